import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { LiveStateStore } from '../../src/monitor/live-state.js';
import {
  assertSameShape,
  baselineLive,
  fixtureJson,
  identity,
  neverPolled,
  polled,
} from '../support/http-fixtures.js';
import { getJson, testApp } from '../support/http-app.js';

/** The original's answer for a UPS, with the features eneru leaves null (documented). */
function upsFixtureWithoutExtras(file: string): Record<string, unknown> {
  const body = fixtureJson(file) as Record<string, unknown>;
  return { ...body, batteryHealth: null, energy: null };
}

const UPS_CONFIG = {
  ups: [{ name: 'TestUPS@127.0.0.1:3493', display_name: 'Baseline TestUPS' }],
  mqtt: { enabled: true, broker: 'mqtt://user:secret@broker.example:1883' },
  notifications: { enabled: false, urls: ['discord://hook-id/hook-secret-token'] },
  nut_control: { username: 'nutadmin', password: 'nut-secret-pw' },
  remote_health: { enabled: false },
  api: { enabled: true },
};

describe('read endpoints against the original answers', () => {
  let app: FastifyInstance;
  before(async () => {
    app = testApp({ raw: UPS_CONFIG });
    await app.ready();
  });
  after(async () => {
    await app.close();
  });

  it('/health', async () => {
    const response = await getJson(app, '/health');
    assert.equal(response.status, 200);
    assertSameShape(response.body, fixtureJson('01-health.txt'));
    assert.equal(response.body.status, 'ok');
  });

  it('/api/v1 lists the visible endpoints in the original order with its query docs', async () => {
    const response = await getJson(app, '/api/v1');
    const expected = fixtureJson('03-api-index.txt') as { endpoints: Array<{ path: string }> };
    const served = new Set((response.body.endpoints as Array<{ path: string }>).map((e) => e.path));
    const paths = (response.body.endpoints as Array<{ path: string }>).map((e) => e.path);
    // Every endpoint of the original that eneru serves appears in the same relative order.
    const common = expected.endpoints.map((e) => e.path).filter((p) => served.has(p));
    assert.deepEqual(
      paths.filter((p) => common.includes(p)),
      common,
    );
    for (const path of [
      '/health',
      '/ready',
      '/metrics',
      '/api/v1/ups/{name}/history',
      '/api/v1/events',
      '/api/v1/openapi.json',
    ]) {
      assert.ok(served.has(path), path);
    }
    const byPath = new Map(
      (response.body.endpoints as Array<{ path: string; query?: unknown }>).map((e) => [e.path, e]),
    );
    const original = new Map(
      (expected.endpoints as Array<{ path: string; query?: unknown }>).map((e) => [e.path, e]),
    );
    assert.deepEqual(byPath.get('/api/v1/events'), original.get('/api/v1/events'));
    assert.deepEqual(
      byPath.get('/api/v1/ups/{name}/history'),
      original.get('/api/v1/ups/{name}/history'),
    );
    assert.equal(response.body.version, 'v1');
  });

  it('/api/v1/ups and /api/v1/ups/{name} (raw, sanitized, percent-encoded)', async () => {
    const all = await getJson(app, '/api/v1/ups');
    const expected = fixtureJson('04-ups.txt') as Record<string, unknown> & { ups: unknown[] };
    assertSameShape(all.body, { ...expected, ups: [upsFixtureWithoutExtras('05-ups-one.txt')] });
    assert.equal(all.body.version, '7.0.0');
    for (const name of [
      'TestUPS@127.0.0.1:3493',
      'TestUPS-127.0.0.1-3493',
      'TestUPS%40127.0.0.1%3A3493',
      'TestUPS-127.0.0.1-3493/',
    ]) {
      const one = await getJson(app, `/api/v1/ups/${name}`);
      assert.equal(one.status, 200, name);
      assertSameShape(one.body, upsFixtureWithoutExtras('06-ups-one-sanitized.txt'));
      assert.equal(one.body.name, 'TestUPS@127.0.0.1:3493');
      assert.equal(one.body.batteryCharge, '100');
    }
  });

  it('unknown UPS: 404 UPS not found with availableEndpoints', async () => {
    for (const path of [
      '/api/v1/ups/missing',
      '/api/v1/ups/missing/battery-health',
      '/api/v1/ups/missing/energy',
    ]) {
      const response = await getJson(app, path);
      assert.equal(response.status, 404, path);
      assert.deepEqual(response.body.error, { code: 'NOT_FOUND', message: 'UPS not found' });
      assert.ok((response.body.availableEndpoints as string[]).includes('/api/v1/ups'));
    }
  });

  it('/api/v1/config is the sanitized view without secrets', async () => {
    const response = await getJson(app, '/api/v1/config');
    assert.equal(response.status, 200);
    assertSameShape(response.body, fixtureJson('19-config.txt'));
    const original = fixtureJson('19-config.txt') as { notifications: { serviceCount: number } };
    // One notification URL configured here (the original's recording had none).
    original.notifications.serviceCount = 1;
    assert.deepEqual(response.body, original);
    const text = JSON.stringify(response.body);
    for (const secret of ['secret', 'broker.example', 'hook-id', 'nutadmin', 'nut-secret-pw']) {
      assert.ok(!text.includes(secret), secret);
    }
  });

  it('/api/v1/config shows remote servers by flags, never their commands', async () => {
    const withServers = testApp({
      raw: {
        ups: { name: 'UPS@localhost' },
        remote_servers: [
          {
            name: 'nas',
            host: '10.0.0.5',
            user: 'admin',
            enabled: true,
            shutdown_order: 2,
            shutdown_command: 'sudo poweroff --secret-flag',
            ssh_options: ['ConnectTimeout=5'],
            pre_shutdown_commands: [{ command: 'echo hidden-command' }],
          },
        ],
      },
    });
    const response = await getJson(withServers, '/api/v1/config');
    await withServers.close();
    const ups = (response.body.ups as Array<{ remoteServers: unknown[] }>)[0];
    assert.deepEqual(ups?.remoteServers, [
      {
        enabled: true,
        hasPreShutdownCommands: true,
        host: '10.0.0.5',
        isHostLoopback: false,
        name: 'nas',
        shutdownOrder: 2,
        sshOptionsConfigured: true,
        user: 'admin',
      },
    ]);
    assert.ok(!JSON.stringify(response.body).includes('hidden-command'));
    assert.ok(!JSON.stringify(response.body).includes('secret-flag'));
  });

  it('/api/v1/auth/state reports auth off; writes are 403, login/logout 404', async () => {
    assert.deepEqual(
      (await getJson(app, '/api/v1/auth/state')).body,
      fixtureJson('20-auth-state.txt'),
    );
    const writes: Array<[string, string]> = [
      ['GET', '/api/v1/ups/TestUPS-127.0.0.1-3493/commands'],
      ['GET', '/api/v1/ups/missing/variables'],
      ['POST', '/api/v1/ups/TestUPS-127.0.0.1-3493/command'],
      ['PUT', '/api/v1/ups/TestUPS-127.0.0.1-3493/variables/input.transfer.low'],
      ['POST', '/api/v1/ups/TestUPS-127.0.0.1-3493/self-test'],
      ['DELETE', '/api/v1/ups/TestUPS-127.0.0.1-3493/events'],
      ['POST', '/api/v1/config/reload'],
    ];
    for (const [method, url] of writes) {
      const response = await app.inject({
        method: method as 'GET',
        url,
        headers: { host: 'localhost', authorization: 'Bearer anything' },
        ...(method === 'GET' ? {} : { payload: { command: 'load.off' } }),
      });
      assert.equal(response.statusCode, 403, `${method} ${url}`);
      assert.deepEqual(response.json(), fixtureJson('28-commands.txt'));
    }
    for (const url of ['/api/v1/auth/login', '/api/v1/auth/logout']) {
      const response = await app.inject({
        method: 'POST',
        url,
        headers: { host: 'localhost' },
        payload: {},
      });
      assert.equal(response.statusCode, 404);
      assert.equal(response.json().error.message, 'Authentication is disabled');
    }
    const unknownPost = await app.inject({
      method: 'POST',
      url: '/api/v1/nope',
      headers: { host: 'localhost' },
    });
    assert.equal(unknownPost.statusCode, 404);
    assert.equal(unknownPost.json().error.message, 'Endpoint not found');
  });

  it('/api/v1/remote-health and the per-UPS v6.1 reads', async () => {
    assertSameShape(
      (await getJson(app, '/api/v1/remote-health')).body,
      fixtureJson('22-remote-health.txt'),
    );
    const battery = await getJson(app, '/api/v1/ups/TestUPS-127.0.0.1-3493/battery-health');
    assert.deepEqual(battery.body, { batteryHealth: null, ups: 'TestUPS@127.0.0.1:3493' });
    const energy = await getJson(app, '/api/v1/ups/TestUPS%40127.0.0.1%3A3493/energy');
    assert.deepEqual(energy.body, { energy: null, ups: 'TestUPS@127.0.0.1:3493' });
  });

  it('/metrics is text/plain with the registry text', async () => {
    const response = await app.inject({ url: '/metrics', headers: { host: 'localhost' } });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(response.body, 'eneru_up 1\n');
  });

  it('/api/v1/openapi.json describes every served path as OpenAPI 3', async () => {
    const response = await getJson(app, '/api/v1/openapi.json');
    assert.equal(response.status, 200);
    assert.match(String(response.body.openapi), /^3\./);
    const paths = Object.keys(response.body.paths as Record<string, unknown>);
    for (const path of [
      '/health',
      '/ready',
      '/api/v1',
      '/api/v1/ups',
      '/api/v1/ups/{name}',
      '/api/v1/ups/{name}/history',
      '/api/v1/events',
      '/api/v1/config',
      '/metrics',
    ]) {
      assert.ok(paths.includes(path), path);
    }
    const events = (
      response.body.paths as Record<string, { get: { parameters: Array<{ name: string }> } }>
    )['/api/v1/events'];
    assert.deepEqual(events?.get.parameters.map((p) => p.name).sort(), [
      'before',
      'beforeId',
      'beforeSource',
      'from',
      'limit',
      'to',
      'verbosity',
    ]);
  });
});

describe('visibility and readiness', () => {
  it('prometheus.enabled: false hides /metrics (404 Metrics disabled) and drops it from the index', async () => {
    const app = testApp({ raw: { prometheus: { enabled: false } } });
    const metrics = await getJson(app, '/metrics');
    assert.equal(metrics.status, 404);
    assert.equal((metrics.body.error as { message: string }).message, 'Metrics disabled');
    assert.ok(!(metrics.body.availableEndpoints as string[]).includes('/metrics'));
    const index = await getJson(app, '/api/v1');
    assert.ok(
      !(index.body.endpoints as Array<{ path: string }>).some((e) => e.path === '/metrics'),
    );
    await app.close();
  });

  it('/ready: 200 with the original shape when polled, 503 NUT monitoring not connected when never polled', async () => {
    const ok = testApp();
    const ready = await getJson(ok, '/ready');
    await ok.close();
    assert.equal(ready.status, 200);
    assertSameShape(ready.body, fixtureJson('02-ready.txt'));

    const live = baselineLive();
    live.register(identity('Fresh@host'), neverPolled());
    const app = testApp({ live });
    const notReady = await getJson(app, '/ready');
    assert.equal(notReady.status, 503);
    assert.equal(notReady.body.ready, false);
    assert.match(String(notReady.body.reason), /NUT monitoring not connected/);
    const head = await app.inject({
      method: 'HEAD',
      url: '/ready',
      headers: { host: 'localhost' },
    });
    assert.equal(head.statusCode, 503);
    await app.close();
  });

  it('/api/v1/ups follows live state (status, timeOnBattery)', async () => {
    const live = new LiveStateStore();
    live.register(identity('UPS@h'), polled());
    const app = testApp({ live });
    live.update('UPS-h', polled({ status: 'OB DISCHRG', timeOnBatterySec: 17.9 }));
    const response = await getJson(app, '/api/v1/ups/UPS@h');
    await app.close();
    assert.equal(response.body.status, 'OB DISCHRG');
    assert.equal(response.body.timeOnBattery, 17);
  });
});
