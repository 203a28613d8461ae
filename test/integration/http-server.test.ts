import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { HttpServer, isLoopbackBind } from '../../src/http/server.js';
import { recordingLogger, testDeps } from '../support/http-app.js';

describe('HttpServer', () => {
  it('a bind failure is a warning and start() resolves null', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const address = blocker.address();
    assert.ok(address && typeof address === 'object');
    const logger = recordingLogger();
    const server = new HttpServer(testDeps({ logger }), { bind: '127.0.0.1', port: address.port });
    try {
      assert.equal(await server.start(), null);
      assert.ok(logger.lines.some((l) => l.level === 'warn' && /could not listen/.test(l.message)));
      await server.stop();
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('loopback bind: listening line and the read-only notice, no cleartext warning', async () => {
    const logger = recordingLogger();
    const server = new HttpServer(testDeps({ logger }), { bind: '127.0.0.1', port: 0 });
    const bound = await server.start();
    try {
      assert.ok(bound);
      const response = await fetch(`http://127.0.0.1:${bound.port}/health`);
      assert.equal(response.status, 200);
      const text = logger.lines.map((l) => l.message).join('\n');
      assert.match(text, new RegExp(`API server listening on 127\\.0\\.0\\.1:${bound.port}`));
      assert.match(text, /read-only \(write endpoints answer 403\)/);
      assert.doesNotMatch(text, /PLAIN HTTP/);
    } finally {
      await server.stop();
      await server.stop();
    }
  });

  it('non-loopback bind warns about plain HTTP and the sanitized view', async () => {
    const logger = recordingLogger();
    const server = new HttpServer(testDeps({ logger }), { bind: '0.0.0.0', port: 0 });
    const bound = await server.start();
    try {
      assert.ok(bound);
      const warnings = logger.lines
        .filter((l) => l.level === 'warn')
        .map((l) => l.message)
        .join('\n');
      for (const needle of [
        'PLAIN HTTP',
        'unencrypted',
        'TLS reverse proxy',
        'auth disabled',
        'Write endpoints are disabled',
        '/api/v1/config returns a sanitized view',
      ]) {
        assert.ok(warnings.includes(needle), needle);
      }
    } finally {
      await server.stop();
    }
  });

  it('stop() drains in-flight requests and never throws', async () => {
    const server = new HttpServer(testDeps(), { bind: '127.0.0.1', port: 0, drainMs: 2_000 });
    const bound = await server.start();
    assert.ok(bound);
    const pending = fetch(`http://127.0.0.1:${bound.port}/api/v1/ups`);
    const response = await pending;
    await server.stop();
    assert.equal(response.status, 200);
    await assert.rejects(fetch(`http://127.0.0.1:${bound.port}/health`));
  });

  it('loopback detection', () => {
    for (const bind of ['127.0.0.1', ' ::1 ', 'LOCALHOST'])
      assert.equal(isLoopbackBind(bind), true, bind);
    for (const bind of ['0.0.0.0', '127.0.0.2', '::', '192.168.1.2'])
      assert.equal(isLoopbackBind(bind), false, bind);
  });
});
