import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultMonitorPolicy, nextPollDelayMs, toSnapshot } from '../../src/domain/advance.js';
import { Replay } from '../support/domain-replay.js';

const ol = {
  'ups.status': 'OL',
  'battery.charge': '100',
  'battery.runtime': '1800',
  'ups.load': '20',
  'input.voltage': '230',
};
const ob = {
  'ups.status': 'OB DISCHRG',
  'battery.charge': '80',
  'battery.runtime': '1500',
  'ups.load': '20',
  'input.voltage': '0',
};
const policy = (overrides = {}) =>
  defaultMonitorPolicy({ upsName: 'UPS@nas', staleTolerance: 3, ...overrides });

describe('connection state machine', () => {
  it('a hard error enters GRACE_PERIOD at once, then FAILED after the grace with the suffix', () => {
    const r = new Replay(policy({ grace: { enabled: true, durationSec: 30, flapThreshold: 5 } }));
    r.ok(ol);
    r.error('Connection refused', { afterMs: 1000 });
    assert.equal(r.state.connection.state, 'GRACE_PERIOD');
    assert.deepEqual(r.notes.map((n) => n.message).slice(-2), [
      'ERROR: Cannot connect to UPS UPS@nas (Attempt 1/3). Output: Connection refused',
      'Connection to UPS UPS@nas lost. Grace period started (30s).',
    ]);
    r.error('Connection refused', { afterMs: 29_000 }); // 29 s after loss
    assert.equal(r.state.connection.state, 'GRACE_PERIOD');
    assert.equal(r.events.length, 0);
    r.error('Connection refused', { afterMs: 1000 }); // 30 s: ≥ duration
    assert.equal(r.state.connection.state, 'FAILED');
    assert.deepEqual(
      r.events.map((e) => [e.type, e.detail, e.notify]),
      [
        [
          'CONNECTION_LOST',
          'Cannot connect to UPS UPS@nas (Network, Server, or Config error). Monitoring is inactive. (Grace period 30s expired)',
          true,
        ],
      ],
    );
    r.error('Connection refused', { afterMs: 5000 });
    assert.equal(r.events.length, 1, 'FAILED stays quiet');
    const restored = r.ok(ol);
    assert.deepEqual(
      restored.events.map((e) => [e.type, e.detail]),
      [['CONNECTION_RESTORED', 'Connection to UPS UPS@nas restored. Monitoring is active.']],
    );
    assert.equal(r.state.connection.state, 'OK');
  });

  it('stale data below tolerance while OL does not enter grace; at tolerance it does', () => {
    const r = new Replay(policy());
    r.ok(ol);
    r.stale();
    r.stale();
    assert.equal(r.state.connection.state, 'OK');
    assert.equal(r.state.connection.staleDataCount, 2);
    assert.equal(toSnapshot(r.state, r.clock).staleDataCount, 2);
    assert.deepEqual(
      r.noteMatching('Data stale').map((n) => n.message),
      [
        'WARNING: Data stale from UPS UPS@nas (Attempt 1/3).',
        'WARNING: Data stale from UPS UPS@nas (Attempt 2/3).',
      ],
    );
    r.stale();
    assert.equal(r.state.connection.state, 'GRACE_PERIOD');
    assert.equal(r.noteMatching('lost (data stale). Grace period started (60s).').length, 1);
    r.stale({ afterMs: 60_000 });
    assert.deepEqual(
      r.events.map((e) => e.detail),
      [
        'Data from UPS UPS@nas is persistently stale (>= 3 attempts). Monitoring is inactive. (Grace period 60s expired)',
      ],
    );
  });

  it('grace disabled: CONNECTION_LOST at once, without suffix, only once', () => {
    const r = new Replay(policy({ grace: { enabled: false, durationSec: 60, flapThreshold: 5 } }));
    r.ok(ol);
    r.error();
    r.error();
    assert.deepEqual(
      r.events.map((e) => e.detail),
      ['Cannot connect to UPS UPS@nas (Network, Server, or Config error). Monitoring is inactive.'],
    );
    assert.equal(r.state.connection.state, 'FAILED');
  });

  it('recovery inside the grace period is quiet and counts a flap; the threshold notifies once', () => {
    const r = new Replay(policy({ grace: { enabled: true, durationSec: 60, flapThreshold: 3 } }));
    r.ok(ol);
    for (let i = 0; i < 3; i += 1) {
      r.error();
      r.ok(ol, { afterMs: 5000 });
    }
    assert.equal(r.events.length, 0);
    assert.equal(
      r.noteMatching('recovered during grace period (5s elapsed). No notification sent.').length,
      3,
    );
    assert.deepEqual(
      r.notifications.map((n) => [n.title, n.category]),
      [['NUT Server Unstable', 'health']],
    );
    assert.equal(r.state.connection.flapCount, 0, 'counter resets after notifying');
  });

  it('flaps older than 24 h start a new count', () => {
    const r = new Replay(policy({ grace: { enabled: true, durationSec: 60, flapThreshold: 2 } }));
    r.ok(ol);
    r.error();
    r.ok(ol);
    r.error('x', { afterMs: 86_400_000 + 5000 });
    r.ok(ol);
    assert.equal(r.notifications.length, 0);
    assert.equal(r.state.connection.flapCount, 1);
  });

  it('errors while already in GRACE/FAILED are not logged again', () => {
    const r = new Replay(policy());
    r.ok(ol);
    r.error('x');
    r.error('x');
    assert.equal(r.noteMatching('ERROR: Cannot connect').length, 1);
  });

  it('a good poll resets both counters; a hard error resets the stale counter', () => {
    const r = new Replay(policy());
    r.ok(ol);
    r.stale();
    r.stale();
    r.error();
    assert.equal(r.state.connection.staleDataCount, 0);
    assert.equal(r.state.connection.connectionErrorCount, 1);
    r.ok(ol);
    assert.equal(r.state.connection.connectionErrorCount, 0);
  });
});

describe('on-battery failsafe (FSB)', () => {
  it('fires once per outage after tolerance hard errors, never through the grace path', () => {
    const r = new Replay(policy());
    r.ok(ol);
    r.ok(ob);
    r.error();
    r.error();
    assert.equal(r.commands.length, 0, 'below tolerance: wait');
    assert.equal(r.state.connection.state, 'OK');
    const fired = r.error();
    assert.deepEqual(fired.commands, [
      {
        kind: 'shutdown',
        failsafe: true,
        reason: 'FAILSAFE (FSB): connection lost while On Battery',
      },
    ]);
    assert.deepEqual(
      fired.notifications.map((n) => [n.title, n.category]),
      [['FAILSAFE (FSB) TRIGGERED!', 'shutdown']],
    );
    assert.deepEqual(
      r.events.filter((e) => e.type !== 'ON_BATTERY'),
      [],
      'no EMERGENCY_SHUTDOWN_INITIATED row',
    );
    assert.equal(r.state.connection.state, 'FAILED');
    r.error();
    r.error();
    assert.equal(r.commands.length, 1, 'once per outage');
    // Back, still on battery: latch kept.
    r.ok(ob);
    r.error();
    r.error();
    r.error();
    assert.equal(r.commands.length, 1);
    // Power returns: latch re-arms.
    r.ok(ol);
    r.ok(ob);
    r.error();
    r.error();
    r.error();
    assert.equal(r.commands.filter((c) => c.kind === 'shutdown' && c.failsafe).length, 2);
  });

  it('stale data while on battery fires at tolerance', () => {
    const r = new Replay(policy({ staleTolerance: 2 }));
    r.ok(ob);
    r.stale();
    assert.equal(r.commands.length, 0);
    r.stale();
    assert.equal(r.commands.length, 1);
  });

  it('advisory members only set the advisory trigger', () => {
    const r = new Replay(policy({ advisory: true }));
    r.ok(ob);
    r.error();
    r.error();
    r.error();
    assert.deepEqual(r.commands, []);
    assert.equal(r.state.triggerActive, true);
    assert.equal(r.state.triggerReason, 'FAILSAFE (FSB): connection lost while On Battery');
    assert.equal(r.state.connection.state, 'FAILED');
    // FAILED → OK clears the advisory latch.
    r.ok(ol);
    assert.equal(r.state.triggerActive, false);
  });
});

describe('poll delay', () => {
  it('check_interval after success, 5 s after failure', () => {
    const p = policy({ checkIntervalSec: 2 });
    const r = new Replay(p);
    assert.equal(nextPollDelayMs(r.ok(ol), p), 2000);
    assert.equal(nextPollDelayMs(r.error(), p), 5000);
    assert.equal(nextPollDelayMs({ kind: 'stale', message: 'Data stale' }, p), 5000);
    assert.equal(nextPollDelayMs({ kind: 'ok', vars: {} }, p), 2000);
  });
});
