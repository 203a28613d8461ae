import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defaultMonitorPolicy,
  defaultTriggerPolicy,
  MAX_RESUME_AGE_MS,
  persistedOutage,
  toSnapshot,
} from '../../src/domain/advance.js';
import { Replay, scenario } from '../support/domain-replay.js';

const online = scenario('online-charging');
const onBattery = scenario('on-battery');
const lowBattery = scenario('low-battery');

describe('replayed outages from the NUT scenario fixtures', () => {
  it('online → on-battery (30 polls) → low-battery → online', () => {
    const r = new Replay(defaultMonitorPolicy({ upsName: 'UPS@localhost' }));
    r.ok(online);
    r.repeat(onBattery, 30);
    let snap = toSnapshot(r.state, r.clock);
    assert.equal(snap.status, 'OB DISCHRG');
    assert.equal(snap.timeOnBatterySec, 29);
    assert.equal(snap.depletionRatePctPerMin, 0);
    assert.equal(snap.connectionState, 'OK');
    assert.equal(snap.onBatterySinceWallMs, r.wallMs - 29_000);
    assert.equal(r.commands.length, 0);

    r.ok(lowBattery); // t = 30 = stabilization delay: T1 admitted
    snap = toSnapshot(r.state, r.clock);
    assert.equal(snap.timeOnBatterySec, 30);
    assert.equal(snap.depletionRatePctPerMin, 142, '(85 − 14) / 30 s × 60');
    r.ok(lowBattery);
    r.ok(online);
    snap = toSnapshot(r.state, r.clock);
    assert.equal(snap.timeOnBatterySec, 0);
    assert.equal(snap.depletionRatePctPerMin, 0);
    assert.equal(snap.previousStatus, 'OB DISCHRG LB');
    assert.equal(snap.onBatterySinceWallMs, null);

    assert.deepEqual(
      r.events.map((e) => [e.type, e.detail, e.notify]),
      [
        ['ON_BATTERY', 'Battery: 85%, Runtime: 1200 seconds, Load: 30%', true],
        ['EMERGENCY_SHUTDOWN_INITIATED', 'Battery charge 14% below threshold 20%', true],
        [
          'POWER_RESTORED',
          'Battery: 100% (Status: OL CHRG), Input: 230.5V, Outage duration: 32s',
          true,
        ],
      ],
    );
    assert.deepEqual(r.commands, [
      { kind: 'shutdown', failsafe: false, reason: 'Battery charge 14% below threshold 20%' },
      { kind: 'rearm' },
    ]);
    assert.deepEqual(
      r.notifications.map((n) => [n.category, n.eventType]),
      [
        ['power_event_on_battery', 'ON_BATTERY'],
        ['shutdown', 'EMERGENCY_SHUTDOWN_INITIATED'],
        ['power_event_on_line', 'POWER_RESTORED'],
      ],
    );
    assert.ok(
      r.notes.some(
        (n) =>
          n.message ===
          '⚡  POWER EVENT: ON_BATTERY - Battery: 85%, Runtime: 1200 seconds, Load: 30%',
      ),
    );
    assert.ok(
      r.notes.some((n) =>
        n.message.startsWith(
          'Status changed: OL CHRG -> OB DISCHRG (Battery: 85%, Runtime: 20m 0s, Load: 30%)',
        ),
      ),
    );
  });

  it('critical-runtime: runtime 300 < 600 shuts down after stabilization', () => {
    const r = new Replay(defaultMonitorPolicy());
    r.ok(online);
    r.repeat(scenario('critical-runtime'), 31);
    assert.deepEqual(r.commands, [
      { kind: 'shutdown', failsafe: false, reason: 'Runtime 5m 0s below threshold 10m 0s' },
    ]);
    assert.equal(r.noteMatching('ignored during on-battery stabilization').length, 30);
  });

  it('fsd: immediate, no ON_BATTERY row, power return still restores', () => {
    const r = new Replay(defaultMonitorPolicy());
    r.ok(online);
    r.ok(scenario('fsd'));
    r.ok(scenario('fsd'));
    r.ok(online);
    assert.deepEqual(r.eventTypes(), ['EMERGENCY_SHUTDOWN_INITIATED', 'POWER_RESTORED']);
    assert.deepEqual(
      r.commands.map((c) => c.kind),
      ['shutdown', 'rearm'],
    );
  });

  it('fsd on an advisory member latches the trigger; power return clears it', () => {
    const r = new Replay(defaultMonitorPolicy({ advisory: true }));
    r.ok(online);
    r.ok(scenario('fsd'));
    assert.equal(r.state.triggerActive, true);
    assert.equal(r.state.triggerReason, 'UPS signaled FSD (Forced Shutdown) flag.');
    assert.deepEqual(r.commands, []);
    r.ok(online);
    assert.equal(r.state.triggerActive, false);
    assert.deepEqual(r.commands, [{ kind: 'rearm' }]);
  });

  it('depletion T3 with the default 300 s window fires after the grace period', () => {
    const policy = defaultMonitorPolicy({
      triggers: defaultTriggerPolicy({
        stabilizationSec: 0,
        depletion: { windowSec: 60, criticalRatePctPerMin: 15, gracePeriodSec: 90 },
      }),
    });
    const r = new Replay(policy);
    r.ok(online);
    // 0.5 %/s = 30 %/min from 100 %.
    for (let t = 0; t <= 90; t += 1)
      r.ok({ ...onBattery, 'battery.charge': String(100 - t * 0.5), 'battery.runtime': '3000' });
    assert.equal(r.commands.length, 1);
    assert.equal(
      r.commands[0]?.kind === 'shutdown' && r.commands[0].reason,
      'Depletion rate 30.0%/min above threshold 15.0%/min (after grace period)',
    );
    assert.ok(r.noteMatching('ignored during grace period (89s/90s)').length === 1);
  });

  it('neutral statuses take no power action and note at most every 300 s', () => {
    const r = new Replay(defaultMonitorPolicy());
    r.repeat({ ...online, 'ups.status': 'OFF' }, 301);
    assert.equal(r.noteMatching("UPS status 'OFF' is neither on battery nor on line").length, 2);
    assert.deepEqual(r.commands, []);
    assert.equal(r.events.length, 0);
  });

  it('CHRG alone is on line; DISCHRG alone is neutral; a neutral interlude still restores', () => {
    const r = new Replay(defaultMonitorPolicy());
    r.ok(onBattery);
    r.ok({ ...online, 'ups.status': 'DISCHRG' });
    assert.deepEqual(r.eventTypes(), ['ON_BATTERY']);
    r.ok({ ...online, 'ups.status': 'CHRG' });
    assert.deepEqual(r.eventTypes(), ['ON_BATTERY', 'POWER_RESTORED']);
    assert.deepEqual(r.commands, [{ kind: 'rearm' }]);
    r.ok(online);
    assert.deepEqual(r.eventTypes(), ['ON_BATTERY', 'POWER_RESTORED'], 'no second restore');
  });
});

describe('restart in the middle of an outage', () => {
  function firstHalf() {
    const policy = defaultMonitorPolicy();
    const r = new Replay(policy);
    r.ok(online);
    r.repeat(onBattery, 20); // on battery since r.wallMs - 19 s
    return { policy, r, persisted: persistedOutage(r.state) };
  }

  it('persists nothing when on line', () => {
    const r = new Replay(defaultMonitorPolicy());
    r.ok(online);
    assert.equal(persistedOutage(r.state), null);
  });

  it('continues time on battery and history, without a second ON_BATTERY', () => {
    const { policy, r, persisted } = firstHalf();
    assert.ok(persisted);
    assert.equal(persisted.onBatteryEventRecorded, true);
    assert.equal(persisted.depletionHistory.length, 20);
    // The new process: a different monotonic base, 10 s of downtime.
    const restarted = new Replay(policy, { monoMs: 42, wallMs: r.wallMs + 10_000, persisted });
    assert.deepEqual(
      persistedOutage(restarted.state),
      persisted,
      'still persisted before the first poll',
    );
    restarted.ok(onBattery);
    assert.deepEqual(restarted.eventTypes(), []);
    const snap = toSnapshot(restarted.state, restarted.clock);
    assert.equal(snap.timeOnBatterySec, 19 + 10 + 1);
    assert.equal(snap.onBatterySinceWallMs, persisted.onBatterySinceWallMs);
    assert.equal(restarted.state.outage.history.length, 21);
    assert.equal(restarted.noteMatching('Continuing outage recorded before restart').length, 1);
    // Stabilization (30 s) is already over: a low reading fires at once.
    restarted.ok(lowBattery);
    assert.equal(restarted.commands.length, 1);
    restarted.ok(online);
    assert.equal(
      restarted.events.at(-1)?.detail,
      'Battery: 100% (Status: OL CHRG), Input: 230.5V, Outage duration: 32s',
    );
  });

  it('a restart that finds power back emits POWER_RESTORED with the outage duration', () => {
    const { policy, r, persisted } = firstHalf();
    const restarted = new Replay(policy, { monoMs: 0, wallMs: r.wallMs + 60_000, persisted });
    const res = restarted.ok(online);
    assert.deepEqual(
      res.events.map((e) => [e.type, e.detail]),
      [
        [
          'POWER_RESTORED',
          'Battery: 100% (Status: OL CHRG), Input: 230.5V, Outage duration: 1m 20s',
        ],
      ],
    );
    assert.deepEqual(res.commands, [{ kind: 'rearm' }]);
    assert.equal(persistedOutage(restarted.state), null);
  });

  it('restores the shutdown admission so the sequence is not re-run', () => {
    const policy = defaultMonitorPolicy({
      triggers: defaultTriggerPolicy({ stabilizationSec: 0 }),
    });
    const r = new Replay(policy);
    r.ok(online);
    r.ok(lowBattery);
    assert.equal(r.commands.length, 1);
    const persisted = persistedOutage(r.state);
    assert.equal(persisted?.shutdownAdmitted, true);
    const restarted = new Replay(policy, { wallMs: r.wallMs + 5000, persisted });
    restarted.ok(lowBattery);
    assert.deepEqual(restarted.commands, []);
    assert.equal(restarted.noteMatching('Ignoring re-trigger.').length, 1);
  });

  it('ignores a persisted outage older than 24 h (and one from the future)', () => {
    const { policy, r, persisted } = firstHalf();
    assert.ok(persisted);
    const late = new Replay(policy, {
      wallMs: persisted.onBatterySinceWallMs + MAX_RESUME_AGE_MS + 1,
      persisted,
    });
    late.ok(onBattery);
    assert.deepEqual(late.eventTypes(), ['ON_BATTERY']);
    assert.equal(toSnapshot(late.state, late.clock).timeOnBatterySec, 0);
    const skewed = new Replay(policy, { wallMs: persisted.onBatterySinceWallMs - 1000, persisted });
    assert.equal(skewed.state.resume, null);
    void r;
  });
});
