import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HostGuard, parseHostHeader } from '../../src/http/host-guard.js';
import { parseQueryString, optionalInt, intInRange } from '../../src/http/query.js';
import { routePath, safeContentType } from '../../src/http/transport.js';
import { ConcurrencyGate } from '../../src/http/concurrency-gate.js';
import { checkFraming, declaresBody, parseJsonObject } from '../../src/http/json-body.js';
import { HttpError, clientErrorResponse, toHttpError } from '../../src/http/errors.js';
import { endpointIndex } from '../../src/http/endpoint-index.js';

describe('Host header parsing', () => {
  const vectors: Array<[string | undefined, string | null]> = [
    ['localhost', 'localhost'],
    ['localhost:9191', 'localhost'],
    ['  127.0.0.1:80  ', '127.0.0.1'],
    ['[::1]', '::1'],
    ['[::1]:9191', '::1'],
    ['::1', '::1'],
    ['fe80::1:2', 'fe80::1:2'],
    [undefined, null],
    ['', null],
    ['   ', null],
    [':9191', null],
    ['[::1', null],
    ['[::1]evil.example', null],
    ['[::1]:9191x', null],
    ['[::1]:', null],
    ['[]', null],
  ];
  for (const [raw, host] of vectors) {
    it(`${JSON.stringify(raw)} → ${JSON.stringify(host)}`, () =>
      assert.equal(parseHostHeader(raw), host));
  }
  it('guard: IP literals, localhost and allowed names only', () => {
    const guard = new HostGuard(['eneru.lan', ' UPS.Example.com ']);
    for (const ok of [
      '10.0.0.1',
      '[2001:db8::1]:80',
      'LocalHost',
      'Eneru.LAN',
      'eneru.lan:9191',
      'ups.example.com',
    ]) {
      assert.equal(guard.allows(ok), true, ok);
    }
    for (const bad of [
      'evil.example',
      'eneru.lan.evil',
      'localhost.evil',
      '999.1.1.1',
      undefined,
    ]) {
      assert.equal(guard.allows(bad), false, String(bad));
    }
  });
});

describe('query rules', () => {
  it('first value wins, empty values are absent', () => {
    assert.deepEqual(parseQueryString('a=1&a=2&b=&c=x%20y&b=3'), { a: '1', b: '3', c: 'x y' });
  });
  it('integers with named errors and bounds', () => {
    assert.equal(optionalInt({}, 'from'), undefined);
    assert.equal(optionalInt({ from: ' -12 ' }, 'from'), -12);
    assert.throws(() => optionalInt({ from: '1e3' }, 'from'), /from must be an integer/);
    assert.throws(
      () => optionalInt({ from: '99999999999999999999' }, 'from'),
      /from must be an integer/,
    );
    assert.equal(intInRange({}, 'limit', 100, 1, 10_000), 100);
    assert.throws(() => intInRange({ limit: '0' }, 'limit', 100, 1, 10_000), /limit must be >= 1/);
  });
});

describe('paths, content types, bodies, errors', () => {
  it('routePath strips query and trailing slashes', () => {
    assert.equal(routePath('/api/v1/?x=1'), '/api/v1');
    assert.equal(routePath('/'), '/');
    assert.equal(routePath('//'), '/');
  });
  it('content types are whitelisted with charset', () => {
    assert.equal(safeContentType('text/plain'), 'text/plain; charset=utf-8');
    assert.equal(safeContentType('image/SVG+xml; charset=latin1'), 'image/svg+xml; charset=utf-8');
    assert.equal(
      safeContentType('text/html\r\nX-Bad: injected'),
      'application/json; charset=utf-8',
    );
    assert.equal(safeContentType('application/octet-stream'), 'application/json; charset=utf-8');
    assert.equal(safeContentType(undefined), 'application/json; charset=utf-8');
  });
  it('body framing and JSON object rules', () => {
    assert.equal(declaresBody({}), false);
    assert.equal(declaresBody({ 'content-length': '0' }), false);
    assert.equal(declaresBody({ 'content-length': '2' }), true);
    assert.equal(declaresBody({ 'transfer-encoding': 'chunked' }), true);
    assert.throws(
      () => checkFraming({ 'transfer-encoding': 'chunked' }),
      (e: unknown) => e instanceof HttpError && e.status === 411,
    );
    assert.throws(() => checkFraming({ 'content-length': '-1' }), /invalid Content-Length/);
    assert.throws(() => checkFraming({ 'content-length': '65537' }), /body exceeds 65536 bytes/);
    assert.deepEqual(parseJsonObject('  '), {});
    assert.deepEqual(parseJsonObject('{"a":[1]}'), { a: [1] });
    assert.throws(() => parseJsonObject('nope'), /body must be valid JSON/);
    assert.throws(() => parseJsonObject('"text"'), /body must be a JSON object/);
    assert.throws(() => parseJsonObject('null'), /body must be a JSON object/);
  });
  it('unknown errors become a 500 without internals; framework errors keep their status', () => {
    const internal = toHttpError(new Error('SQLITE_CORRUPT at /var/lib/eneru/x.db'));
    assert.equal(internal.status, 500);
    assert.equal(internal.message, 'Internal server error');
    assert.equal(toHttpError({ code: 'FST_ERR_CTP_BODY_TOO_LARGE' }).status, 413);
    const raw = clientErrorResponse('HPE_INVALID_CONTENT_LENGTH');
    assert.match(raw, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.match(raw, /Connection: close/);
    assert.ok(
      raw.endsWith('{"error":{"code":"INVALID_REQUEST","message":"invalid Content-Length"}}'),
    );
  });
  it('index visibility', () => {
    const paths = (v: { prometheus: boolean; nutControl: boolean }) =>
      endpointIndex(v).map((e) => e.path);
    assert.ok(!paths({ prometheus: false, nutControl: false }).includes('/metrics'));
    assert.ok(
      !paths({ prometheus: true, nutControl: false }).includes('/api/v1/ups/{name}/command'),
    );
    assert.ok(
      paths({ prometheus: true, nutControl: true }).includes('/api/v1/ups/{name}/variables/{var}'),
    );
  });
});

describe('concurrency gate', () => {
  it('holds at most max slots and hands them over in FIFO order', async () => {
    const gate = new ConcurrencyGate(2);
    assert.equal(gate.acquire(), undefined);
    assert.equal(gate.acquire(), undefined);
    const order: number[] = [];
    const third = gate.acquire()?.then(() => order.push(3));
    const fourth = gate.acquire()?.then(() => order.push(4));
    assert.equal(gate.queued, 2);
    gate.release();
    gate.release();
    await Promise.all([third, fourth]);
    assert.deepEqual(order, [3, 4]);
    assert.equal(gate.inFlight, 2);
    gate.release();
    gate.release();
    assert.equal(gate.inFlight, 0);
  });
});

describe('router-level rejections keep the envelope', () => {
  it('malformed percent-encoding → 400, oversized segment → 414, bad Host first → 421', async () => {
    const { testApp } = await import('../support/http-app.js');
    const app = testApp();
    try {
      const cases: Array<[string, string, number, string]> = [
        ['/api/v1/ups/%zz', 'localhost', 400, 'INVALID_REQUEST'],
        ['/api/v1/ups/%E0%A4%A', 'localhost', 400, 'INVALID_REQUEST'],
        [`/api/v1/ups/${'x'.repeat(600)}`, 'localhost', 414, 'INVALID_REQUEST'],
        ['/api/v1/ups/%zz', 'evil.example', 421, 'MISDIRECTED_REQUEST'],
      ];
      for (const [url, host, status, code] of cases) {
        const response = await app.inject({ url, headers: { host } });
        assert.equal(response.statusCode, status, url.slice(0, 30));
        assert.equal(response.json().error.code, code);
        assert.equal(response.headers['x-content-type-options'], 'nosniff');
      }
    } finally {
      await app.close();
    }
  });
});
