import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { HttpServer, isLoopbackBind } from '../../src/http/server.js';
import { MetricsRegistry } from '../../src/metrics/metrics-registry.js';
import { LiveStateStore } from '../../src/monitor/live-state.js';
import { recordingLogger, testDeps } from '../support/http-app.js';
import { identity, polled } from '../support/http-fixtures.js';

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

  it('streams a large /metrics scrape over the socket, chunked, with every series', async () => {
    const live = new LiveStateStore();
    const count = 1000;
    for (let i = 0; i < count; i += 1) live.register(identity(`UPS${i}@127.0.0.1:3493`), polled());
    const metrics = new MetricsRegistry({ live, version: '7.0.0' });
    metrics.start();
    const server = new HttpServer(testDeps({ live, metrics }), { bind: '127.0.0.1', port: 0 });
    const bound = await server.start();
    try {
      assert.ok(bound);
      const response = await fetch(`http://127.0.0.1:${bound.port}/metrics`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'text/plain; charset=utf-8');
      assert.equal(response.headers.get('transfer-encoding'), 'chunked');
      const text = await response.text();
      assert.ok(text.length > 1_000_000, `${text.length} characters`);
      const charges = text.split('\n').filter((l) => l.startsWith('eneru_ups_battery_charge{'));
      assert.equal(charges.length, count);
      assert.match(text, /^# HELP eneru_up /);
      assert.match(text, /\nprocess_cpu_seconds_total \S+\n/);
      assert.ok(text.endsWith('\n') && !text.endsWith('\n\n'));
    } finally {
      await server.stop();
      metrics.stop();
    }
  });

  it('loopback detection', () => {
    for (const bind of ['127.0.0.1', ' ::1 ', 'LOCALHOST'])
      assert.equal(isLoopbackBind(bind), true, bind);
    for (const bind of ['0.0.0.0', '127.0.0.2', '::', '192.168.1.2'])
      assert.equal(isLoopbackBind(bind), false, bind);
  });
});
