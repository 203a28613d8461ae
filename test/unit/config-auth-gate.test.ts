// The auth gate for nut_control / self_test (observability spec §1), checked against real SQLite
// auth databases in a temp dir: explicit setting wins, otherwise users in the DB turn auth on,
// and a DB that exists but cannot be read counts as active (fail closed).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { authEffectivelyActive, parseConfig, probeAuthDb } from '../../src/config/index.js';

let dir = '';
let withUser = '';
let empty = '';
let garbage = '';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'eneru-auth-gate-'));
  withUser = join(dir, 'with-user.db');
  empty = join(dir, 'empty.db');
  garbage = join(dir, 'garbage.db');
  for (const [path, users] of [
    [withUser, 1],
    [empty, 0],
  ] as const) {
    const db = new Database(path);
    db.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT NOT NULL)');
    for (let i = 0; i < users; i += 1)
      db.prepare('INSERT INTO users (username) VALUES (?)').run(`admin${i}`);
    db.close();
  }
  writeFileSync(garbage, 'this is not a sqlite database, just text padding '.repeat(20));
});

after(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

function gateErrors(api: object, features: object = { nut_control: { enabled: true } }): string[] {
  return parseConfig({ api, ...features })
    .messages.filter((m) => m.level === 'ERROR')
    .map((m) => m.text);
}

describe('config auth gate', () => {
  it('probeAuthDb reads the users count read-only', () => {
    assert.deepEqual(probeAuthDb(withUser), { state: 'ok', users: 1 });
    assert.deepEqual(probeAuthDb(empty), { state: 'ok', users: 0 });
    assert.deepEqual(probeAuthDb(join(dir, 'absent.db')), { state: 'missing' });
    assert.equal(probeAuthDb(garbage).state, 'unreadable');
  });

  it('nut_control without auth (no DB) is an error naming the key', () => {
    const errors = gateErrors({ auth: { db_path: join(dir, 'absent.db') } });
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /^ERROR: 'nut_control\.enabled' requires API authentication/);
  });

  it('self_test without auth is an error, globally and per UPS', () => {
    const db = { auth: { db_path: join(dir, 'absent.db') } };
    assert.match(
      gateErrors(db, { self_test: { enabled: true } })[0] ?? '',
      /'self_test\.enabled' requires API authentication/,
    );
    assert.match(
      gateErrors(db, { ups: { self_test: { enabled: true } } })[0] ?? '',
      /'ups\.self_test\.enabled' requires API authentication/,
    );
  });

  it('a DB with a user turns auth on when api.auth.enabled is unset', () => {
    assert.deepEqual(gateErrors({ auth: { db_path: withUser } }), []);
  });

  it('a DB without users leaves auth off', () => {
    assert.equal(gateErrors({ auth: { db_path: empty } }).length, 1);
  });

  it('an unreadable DB counts as active (fail closed)', () => {
    assert.deepEqual(gateErrors({ auth: { db_path: garbage } }), []);
  });

  it('explicit api.auth.enabled wins over the DB', () => {
    assert.deepEqual(gateErrors({ auth: { enabled: true, db_path: join(dir, 'absent.db') } }), []);
    assert.equal(gateErrors({ auth: { enabled: false, db_path: withUser } }).length, 1);
  });

  it('features off need no auth and the DB is not even opened', () => {
    let probed = false;
    const { messages } = parseConfig(
      {},
      { probeAuthDb: () => ((probed = true), { state: 'missing' }) },
    );
    assert.deepEqual(messages, []);
    assert.equal(probed, false);
  });

  it('authEffectivelyActive follows the same rules', () => {
    const api = parseConfig({ api: { auth: { db_path: withUser } } }).config.api;
    assert.equal(authEffectivelyActive(api), true);
    const off = parseConfig({ api: { auth: { db_path: empty } } }).config.api;
    assert.equal(authEffectivelyActive(off), false);
  });
});
