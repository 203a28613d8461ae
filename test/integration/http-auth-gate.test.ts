/**
 * API auth is not implemented yet; these tests pin that the server fails closed whenever auth
 * would be effectively active (explicitly, or implicitly through users in the auth database).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getJson, testApp } from '../support/http-app.js';

describe('auth active (sign-in not implemented yet): fail closed', () => {
  it('explicit api.auth.enabled: writes 401 with WWW-Authenticate, login 503, reads stay open', async () => {
    const app = testApp({ raw: { api: { auth: { enabled: true } } } });
    const write = await app.inject({
      method: 'POST',
      url: '/api/v1/config/reload',
      headers: { host: 'localhost' },
    });
    assert.equal(write.statusCode, 401);
    assert.equal(write.headers['www-authenticate'], 'Bearer');
    assert.deepEqual(write.json(), {
      error: { code: 'UNAUTHORIZED', message: 'authentication required' },
    });
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { host: 'localhost' },
    });
    assert.equal(login.statusCode, 503);
    assert.equal(login.json().error.code, 'AUTH_UNAVAILABLE');
    assert.deepEqual((await getJson(app, '/api/v1/auth/state')).body, {
      enabled: true,
      requireForReads: false,
    });
    assert.equal((await getJson(app, '/api/v1/ups')).status, 200);
    const config = await getJson(app, '/api/v1/config');
    assert.deepEqual((config.body.api as { auth: unknown }).auth, {
      enabled: true,
      requireForReads: false,
    });
    await app.close();
  });

  it('require_for_reads: reads and unknown paths 401, /ready only {ready}, probes and auth/state open', async () => {
    const app = testApp({ raw: { api: { auth: { enabled: true, require_for_reads: true } } } });
    for (const path of ['/api/v1/ups', '/metrics', '/api/v1', '/api/v1/events', '/no/such/path']) {
      const response = await getJson(app, path);
      assert.equal(response.status, 401, path);
      assert.equal(response.headers['www-authenticate'], 'Bearer');
    }
    assert.equal((await getJson(app, '/health')).status, 200);
    const ready = await getJson(app, '/ready');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body, { ready: true });
    assert.deepEqual((await getJson(app, '/api/v1/auth/state')).body, {
      enabled: true,
      requireForReads: true,
    });
    const unknownPost = await app.inject({
      method: 'POST',
      url: '/nope',
      headers: { host: 'localhost' },
    });
    assert.equal(unknownPost.statusCode, 404);
    await app.close();
  });

  it('api.auth.enabled unset: active once the auth database has a user', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eneru-auth-'));
    const dbPath = join(dir, 'auth.db');
    try {
      const app = testApp({ raw: { api: { auth: { db_path: dbPath } } } });
      assert.deepEqual((await getJson(app, '/api/v1/auth/state')).body, {
        enabled: false,
        requireForReads: false,
      });
      await app.close();
      const db = new Database(dbPath);
      db.exec('CREATE TABLE users (username TEXT PRIMARY KEY)');
      db.prepare('INSERT INTO users (username) VALUES (?)').run('alice');
      db.close();
      const withUser = testApp({ raw: { api: { auth: { db_path: dbPath } } } });
      assert.deepEqual((await getJson(withUser, '/api/v1/auth/state')).body, {
        enabled: true,
        requireForReads: false,
      });
      await withUser.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explicit false with require_for_reads reports auth off (pinned)', async () => {
    const app = testApp({ raw: { api: { auth: { enabled: false, require_for_reads: true } } } });
    assert.deepEqual((await getJson(app, '/api/v1/auth/state')).body, {
      enabled: false,
      requireForReads: false,
    });
    assert.equal((await getJson(app, '/api/v1/ups')).status, 200);
    await app.close();
  });
});

describe('index visibility with auth active', () => {
  it('lists login, logout, event deletion and reload in the original order; self-test only when enabled', async () => {
    const paths = async (raw: Record<string, unknown>): Promise<string[]> => {
      const app = testApp({ raw });
      const response = await getJson(app, '/api/v1');
      await app.close();
      return (response.body.endpoints as Array<{ path: string }>).map((e) => e.path);
    };
    const active = await paths({ api: { auth: { enabled: true } } });
    const order = [
      '/api/v1/auth/state',
      '/api/v1/auth/login',
      '/api/v1/auth/logout',
      '/api/v1/ups/{name}/events',
      '/api/v1/ups/{name}/energy',
      '/api/v1/config/reload',
    ];
    assert.deepEqual(
      active.filter((p) => order.includes(p)),
      order,
    );
    assert.ok(!active.includes('/api/v1/ups/{name}/self-test'));
    const selfTest = await paths({
      api: { auth: { enabled: true } },
      self_test: { enabled: true },
    });
    assert.ok(selfTest.includes('/api/v1/ups/{name}/self-test'));
    const off = await paths({ self_test: { enabled: false } });
    for (const path of ['/api/v1/auth/login', '/api/v1/config/reload', '/api/v1/ups/{name}/events'])
      assert.ok(!off.includes(path), path);
  });
});
