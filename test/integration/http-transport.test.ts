import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { connect, type Socket } from 'node:net';
import { buildHttpApp } from '../../src/http/app.js';
import { recordingLogger, testApp, testDeps } from '../support/http-app.js';
import { rawRequest } from '../support/raw-http.js';

/** An app on a real socket, with a few test-only routes added before it is ready. */
async function listening(
  extend: (app: FastifyInstance) => void = () => undefined,
  options: Parameters<typeof testDeps>[0] = {},
): Promise<{ app: FastifyInstance; port: number }> {
  const app = buildHttpApp(testDeps(options));
  extend(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { app, port: address.port };
}

const get = (path: string, headers = 'Host: 127.0.0.1\r\n'): string =>
  `GET ${path} HTTP/1.1\r\n${headers}\r\n`;

describe('Host guard (421 before routing)', () => {
  const allowed = [
    '127.0.0.1',
    '127.0.0.1:9191',
    '[::1]',
    '[::1]:9191',
    '::1',
    'localhost',
    'LOCALHOST:80',
    ' localhost ',
    '10.1.2.3',
  ];
  const denied = [
    'evil.example',
    'evil.example:9191',
    ':9191',
    '[::1',
    '[::1]evil.example',
    '[::1]:9191x',
    '[::1]:',
    ' ',
    'eneru.lan',
  ];

  it('admits IP literals and localhost, rejects everything else with the envelope', async () => {
    const app = testApp();
    for (const host of allowed) {
      const response = await app.inject({ method: 'GET', url: '/health', headers: { host } });
      assert.equal(response.statusCode, 200, `host ${JSON.stringify(host)}`);
    }
    for (const host of denied) {
      const response = await app.inject({ method: 'GET', url: '/health', headers: { host } });
      assert.equal(response.statusCode, 421, `host ${JSON.stringify(host)}`);
      assert.deepEqual(response.json(), {
        error: { code: 'MISDIRECTED_REQUEST', message: 'Host header not allowed' },
      });
    }
    await app.close();
  });

  it('api.allowed_hosts admits names case-insensitively, with a port', async () => {
    const app = testApp({ raw: { api: { allowed_hosts: ['eneru.lan', ' UPS.example.com '] } } });
    for (const host of ['Eneru.LAN', 'eneru.lan:9191', 'ups.example.com']) {
      assert.equal((await app.inject({ url: '/health', headers: { host } })).statusCode, 200, host);
    }
    assert.equal(
      (await app.inject({ url: '/health', headers: { host: 'other.lan' } })).statusCode,
      421,
    );
    await app.close();
  });

  it('a 421 never runs the route; only the first rejection is logged, naming its Host', async () => {
    const logger = recordingLogger();
    let runs = 0;
    const app = buildHttpApp(testDeps({ logger }));
    app.get('/test/count', async () => ({ runs: ++runs }));
    assert.equal(
      (await app.inject({ url: '/test/count', headers: { host: 'first.example' } })).statusCode,
      421,
    );
    assert.equal(
      (await app.inject({ url: '/test/count', headers: { host: 'second.example' } })).statusCode,
      421,
    );
    assert.equal(runs, 0);
    const warnings = logger.lines.filter((l) => l.level === 'warn');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]?.message ?? '', /first\.example/);
    assert.match(warnings[0]?.message ?? '', /api\.allowed_hosts/);
    await app.close();
  });

  it('a request without any Host header gets the 421 envelope (HTTP/1.1 and 1.0)', async () => {
    const { app, port } = await listening();
    try {
      for (const version of ['1.1', '1.0']) {
        const result = await rawRequest(port, `GET /health HTTP/${version}\r\n\r\n`);
        assert.equal(result.status, 421, version);
        assert.match(result.body, /MISDIRECTED_REQUEST/);
      }
    } finally {
      await app.close();
    }
  });
});

describe('methods, headers and errors', () => {
  let app: FastifyInstance;
  let port: number;
  const logger = recordingLogger();
  before(async () => {
    ({ app, port } = await listening(
      (a) => {
        a.get('/test/bad-type', async (_request, reply) => {
          reply.header('content-type', 'text/html\r\nX-Bad: injected');
          return { ok: true };
        });
        a.get('/test/html', async (_request, reply) => reply.type('text/html').send('<p>hi</p>'));
        a.get('/test/boom', async () => {
          throw new Error('secret internals at /etc/eneru');
        });
        a.post('/test/echo', async (request) => ({ received: request.body }));
      },
      { logger },
    ));
  });
  after(async () => {
    await app.close();
  });

  it('routed responses carry the security headers and a Content-Length', async () => {
    const result = await rawRequest(port, get('/health'));
    assert.equal(result.status, 200);
    assert.equal(result.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(result.headers['cache-control'], 'no-store');
    assert.equal(result.headers['x-content-type-options'], 'nosniff');
    assert.equal(Number(result.headers['content-length']), Buffer.byteLength(result.body));
    assert.equal(result.closedByServer, false);
  });

  it('a content type outside the whitelist (or with injected headers) is sent as JSON', async () => {
    const response = await app.inject({ url: '/test/bad-type', headers: { host: 'localhost' } });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(response.headers['x-bad'], undefined);
    const html = await app.inject({ url: '/test/html', headers: { host: 'localhost' } });
    assert.equal(html.headers['content-type'], 'text/html; charset=utf-8');
  });

  it('HEAD is answered on /health and /ready only; elsewhere 405 with an empty body', async () => {
    for (const path of ['/health', '/ready']) {
      const head = await rawRequest(port, `HEAD ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`, {
        headOnly: true,
      });
      const full = await rawRequest(port, get(path));
      assert.equal(head.status, full.status, path);
      assert.equal(head.body, '');
      assert.ok(Number(head.headers['content-length']) > 0);
    }
    const ups = await rawRequest(port, 'HEAD /api/v1/ups HTTP/1.1\r\nHost: localhost\r\n\r\n', {
      headOnly: true,
    });
    assert.equal(ups.status, 405);
    assert.equal(ups.body, '');
    // No Host check for a HEAD that is refused anyway.
    const noHost = await rawRequest(
      port,
      'HEAD /api/v1/ups HTTP/1.1\r\nHost: evil.example\r\n\r\n',
      { headOnly: true },
    );
    assert.equal(noHost.status, 405);
  });

  it('OPTIONS, PATCH and unknown methods get a JSON 405 with Allow', async () => {
    for (const method of ['OPTIONS', 'PATCH']) {
      const response = await app.inject({
        method: method as 'OPTIONS',
        url: '/health',
        headers: { host: 'localhost' },
      });
      assert.equal(response.statusCode, 405, method);
      assert.equal(response.json().error.code, 'METHOD_NOT_ALLOWED');
      assert.equal(response.headers.allow, 'GET, HEAD, POST, PUT, DELETE');
    }
    const brew = await rawRequest(port, 'BREW /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
    assert.equal(brew.status, 405);
    assert.equal(JSON.parse(brew.body).error.code, 'METHOD_NOT_ALLOWED');
  });

  it('a 500 never leaks internals and the stack is logged', async () => {
    const response = await app.inject({ url: '/test/boom', headers: { host: 'localhost' } });
    assert.equal(response.statusCode, 500);
    assert.deepEqual(response.json(), {
      error: { code: 'INTERNAL_ERROR', message: 'Internal server error' },
    });
    assert.ok(
      logger.lines.some((l) => l.level === 'error' && l.message.includes('secret internals')),
    );
  });

  it('unknown paths and traversal attempts are 404 with availableEndpoints, never 200', async () => {
    for (const path of [
      '/nope.js',
      '/../config.py',
      '/..%2f..%2fconfig.py',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/api/v2',
      '/',
    ]) {
      const result = await rawRequest(port, get(path));
      assert.equal(result.status, 404, path);
      const body = JSON.parse(result.body);
      assert.equal(body.error.code, 'NOT_FOUND');
      assert.ok(body.availableEndpoints.includes('/api/v1/ups'));
    }
  });

  it('an early answer with an unread body closes the connection; a consumed body keeps it', async () => {
    const early = [
      'GET /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{}',
      'POST /api/v1/config/reload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{}',
      'POST /nope HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n',
    ];
    for (const request of early) {
      const result = await rawRequest(port, request);
      assert.equal(result.headers.connection?.toLowerCase(), 'close', request);
      assert.equal(result.closedByServer, true, request);
    }
    const invalid = await rawRequest(
      port,
      'GET /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: invalid\r\n\r\n',
    );
    assert.equal(invalid.status, 400);
    assert.deepEqual(JSON.parse(invalid.body), {
      error: { code: 'INVALID_REQUEST', message: 'invalid Content-Length' },
    });
    assert.equal(invalid.closedByServer, true);
    const consumed = await rawRequest(
      port,
      'POST /test/echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{}',
    );
    assert.equal(consumed.status, 200);
    assert.deepEqual(JSON.parse(consumed.body), { received: {} });
    assert.notEqual(consumed.headers.connection?.toLowerCase(), 'close');
    assert.equal(consumed.closedByServer, false);
  });

  it('body rules for routes that read one', async () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      app.inject({
        method: 'POST',
        url: '/test/echo',
        headers: { host: 'localhost', ...headers },
        payload: body,
      });
    assert.deepEqual((await post('')).json(), { received: {} });
    assert.deepEqual((await post('{"a":1}', { 'content-type': 'text/plain' })).json(), {
      received: { a: 1 },
    });
    const notJson = await post('{nope');
    assert.equal(notJson.statusCode, 400);
    assert.equal(notJson.json().error.message, 'body must be valid JSON');
    const notObject = await post('[1]');
    assert.equal(notObject.statusCode, 400);
    assert.equal(notObject.json().error.message, 'body must be a JSON object');
    const huge = await post(JSON.stringify({ x: 'y'.repeat(70_000) }));
    assert.equal(huge.statusCode, 413);
    assert.deepEqual(huge.json(), {
      error: { code: 'PAYLOAD_TOO_LARGE', message: 'body exceeds 65536 bytes' },
    });
    const chunked = await rawRequest(
      port,
      'POST /test/echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n',
    );
    assert.equal(chunked.status, 411);
    assert.equal(JSON.parse(chunked.body).error.code, 'LENGTH_REQUIRED');
    assert.equal(chunked.closedByServer, true);
  });
});

describe('limits: in-flight requests, connections, slow clients', () => {
  it('processes at most 32 requests at once; the rest wait and all complete', async () => {
    let active = 0;
    let peak = 0;
    const { app, port } = await listening((a) => {
      a.get('/test/slow', async () => {
        active += 1;
        peak = Math.max(peak, active);
        await new Promise((resolve) => setTimeout(resolve, 150));
        active -= 1;
        return { ok: true };
      });
    });
    try {
      const results = await Promise.all(
        Array.from({ length: 48 }, () =>
          rawRequest(port, get('/test/slow'), { settleMs: 10, deadlineMs: 20_000 }),
        ),
      );
      assert.ok(results.every((r) => r.status === 200));
      assert.equal(peak, 32);
    } finally {
      await app.close();
    }
  });

  it('accepts at most 64 connections; extra sockets are closed without an answer', async () => {
    const { HttpServer } = await import('../../src/http/server.js');
    const server = new HttpServer(testDeps(), { bind: '127.0.0.1', port: 0 });
    const bound = await server.start();
    assert.ok(bound);
    const sockets: Socket[] = [];
    try {
      const closed = await Promise.all(
        Array.from(
          { length: 70 },
          () =>
            new Promise<boolean>((resolve) => {
              const socket = connect(bound.port, '127.0.0.1');
              sockets.push(socket);
              const timer = setTimeout(() => resolve(false), 1_500);
              socket.on('close', () => {
                clearTimeout(timer);
                resolve(true);
              });
              socket.on('error', () => undefined);
            }),
        ),
      );
      assert.equal(closed.filter(Boolean).length, 6);
      // The held connections still work.
      const open = sockets.find((s) => !s.destroyed);
      assert.ok(open);
      for (const socket of sockets) socket.destroy();
      // The server frees the slots as it sees the closes: poll until a new client is served.
      const deadline = Date.now() + 10_000;
      let status = 0;
      while (status !== 200 && Date.now() < deadline) {
        status = (await rawRequest(bound.port, get('/health'), { settleMs: 10, deadlineMs: 1_000 }))
          .status;
      }
      assert.equal(status, 200);
    } finally {
      for (const socket of sockets) socket.destroy();
      await server.stop();
    }
  });

  it(
    'a slow body is cut after the 10 s deadline while other clients are served',
    { timeout: 40_000 },
    async () => {
      const { app, port } = await listening((a) =>
        a.post('/test/echo', async (request) => ({ received: request.body })),
      );
      try {
        const started = Date.now();
        const slow = rawRequest(
          port,
          'POST /test/echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\n{"',
          {
            deadlineMs: 30_000,
          },
        );
        const health = await rawRequest(port, get('/health'));
        assert.equal(health.status, 200);
        const result = await slow;
        const elapsed = Date.now() - started;
        assert.equal(result.closedByServer, true);
        assert.ok(elapsed >= 9_000 && elapsed < 25_000, `closed after ${elapsed} ms`);
        if (result.status !== 0) {
          assert.equal(result.status, 400);
          assert.equal(JSON.parse(result.body).error.message, 'request body timed out');
        }
      } finally {
        await app.close();
      }
    },
  );
});
