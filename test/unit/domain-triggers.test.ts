import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defaultMonitorPolicy,
  defaultTriggerPolicy,
  type TriggerPolicy,
} from '../../src/domain/advance.js';
import { emptyOutputs } from '../../src/domain/outputs.js';
import { evaluateTriggers } from '../../src/domain/triggers.js';
import { Replay } from '../support/domain-replay.js';

function decide(
  vars: Record<string, string>,
  t: number,
  rate: number,
  overrides: Partial<TriggerPolicy> = {},
) {
  const out = emptyOutputs();
  const triggers = defaultTriggerPolicy({ stabilizationSec: 0, ...overrides });
  const decision = evaluateTriggers(
    { vars, timeOnBatterySec: t, depletionRatePctPerMin: rate, extendedTimeNoted: false },
    triggers,
    out,
  );
  return { ...decision, notes: out.notes.map((n) => n.message) };
}

const healthy = { 'battery.charge': '80', 'battery.runtime': '1800' };

describe('shutdown trigger boundaries (T1–T4)', () => {
  const cases: {
    name: string;
    vars: Record<string, string>;
    t: number;
    rate: number;
    policy?: Partial<TriggerPolicy>;
    reason: string | null;
  }[] = [
    {
      name: 'charge 20 with threshold 20 does not fire',
      vars: { ...healthy, 'battery.charge': '20' },
      t: 100,
      rate: 0,
      reason: null,
    },
    {
      name: 'charge 19.9 truncates to 19 < 20',
      vars: { ...healthy, 'battery.charge': '19.9' },
      t: 100,
      rate: 0,
      reason: 'Battery charge 19% below threshold 20%',
    },
    {
      name: 'charge 20.9 truncates to 20, not below',
      vars: { ...healthy, 'battery.charge': '20.9' },
      t: 100,
      rate: 0,
      reason: null,
    },
    {
      name: 'charge 0 fires',
      vars: { ...healthy, 'battery.charge': '0' },
      t: 100,
      rate: 0,
      reason: 'Battery charge 0% below threshold 20%',
    },
    {
      name: 'negative charge is invalid, not low',
      vars: { ...healthy, 'battery.charge': '-5' },
      t: 100,
      rate: 0,
      reason: null,
    },
    {
      name: 'runtime 600 is not < 600',
      vars: { ...healthy, 'battery.runtime': '600' },
      t: 100,
      rate: 0,
      reason: null,
    },
    {
      name: 'runtime 599.9 truncates to 599',
      vars: { ...healthy, 'battery.runtime': '599.9' },
      t: 100,
      rate: 0,
      reason: 'Runtime 9m 59s below threshold 10m 0s',
    },
    {
      name: 'runtime 45 formats in seconds',
      vars: { ...healthy, 'battery.runtime': '45' },
      t: 100,
      rate: 0,
      reason: 'Runtime 45s below threshold 10m 0s',
    },
    {
      name: 'depletion above critical after grace',
      vars: healthy,
      t: 90,
      rate: 15.01,
      reason: 'Depletion rate 15.01%/min above threshold 15.0%/min (after grace period)',
    },
    {
      name: 'depletion equal to critical does not fire',
      vars: healthy,
      t: 200,
      rate: 15,
      reason: null,
    },
    {
      name: 'depletion inside grace (t=89 < 90) does not fire',
      vars: healthy,
      t: 89,
      rate: 40,
      reason: null,
    },
    {
      name: 'depletion integral rate keeps Python float form',
      vars: healthy,
      t: 120,
      rate: 20,
      reason: 'Depletion rate 20.0%/min above threshold 15.0%/min (after grace period)',
    },
    {
      name: 'extended time t == threshold does not fire',
      vars: healthy,
      t: 900,
      rate: 0,
      reason: null,
    },
    {
      name: 'extended time t > threshold fires',
      vars: healthy,
      t: 901,
      rate: 0,
      reason: 'Time on battery 15m 1s exceeded threshold 15m 0s',
    },
    {
      name: 'extended time disabled never fires',
      vars: healthy,
      t: 5000,
      rate: 0,
      policy: { extendedTime: { enabled: false, thresholdSec: 900 } },
      reason: null,
    },
    {
      name: 'extended time over an hour formats Hh Mm',
      vars: healthy,
      t: 3725,
      rate: 0,
      policy: { extendedTime: { enabled: true, thresholdSec: 3600 } },
      reason: 'Time on battery 1h 2m exceeded threshold 1h 0m',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(decide(c.vars, c.t, c.rate, c.policy).reason, c.reason);
    });
  }

  it('first match wins: T1 before T2 before T3 before T4', () => {
    const all = { 'battery.charge': '5', 'battery.runtime': '10' };
    assert.equal(decide(all, 5000, 50).reason, 'Battery charge 5% below threshold 20%');
    assert.equal(
      decide({ ...all, 'battery.charge': '50' }, 5000, 50).reason,
      'Runtime 10s below threshold 10m 0s',
    );
    assert.equal(decide(healthy, 5000, 50).reason?.startsWith('Depletion rate 50.0%/min'), true);
  });

  it('notes the depletion grace period while t < grace', () => {
    const { notes } = decide(healthy, 30, 40);
    assert.deepEqual(notes, [
      'INFO: High depletion rate (40.0%/min) ignored during grace period (30s/90s).',
    ]);
  });

  it('stabilization ignores T1–T4 and says so', () => {
    const vars = { 'battery.charge': '10', 'battery.runtime': '1800' };
    const r = decide(vars, 10, 0, { stabilizationSec: 30 });
    assert.equal(r.reason, null);
    assert.equal(r.stabilizing, true);
    assert.deepEqual(r.notes, [
      'INFO: Low battery reading (10% < 20%) ignored during on-battery stabilization (10s/30s).',
    ]);
    const runtime = decide({ 'battery.charge': '90', 'battery.runtime': '100' }, 29, 0, {
      stabilizationSec: 30,
    });
    assert.equal(runtime.reason, null);
    assert.match(
      runtime.notes[0] ?? '',
      /^INFO: Critical runtime reading \(1m 40s < 10m 0s\) ignored during on-battery stabilization \(29s\/30s\)\.$/,
    );
    const depletion = decide(healthy, 20, 40, {
      stabilizationSec: 30,
      depletion: { windowSec: 300, criticalRatePctPerMin: 15, gracePeriodSec: 0 },
    });
    assert.deepEqual(depletion.notes, [
      'INFO: High depletion rate (40.0%/min) ignored during on-battery stabilization (20s/30s).',
    ]);
    const extended = decide(healthy, 20, 0, {
      stabilizationSec: 30,
      extendedTime: { enabled: true, thresholdSec: 10 },
    });
    assert.deepEqual(extended.notes, [
      'INFO: Extended-time trigger ignored during on-battery stabilization (20s/30s).',
    ]);
    assert.equal(
      decide(vars, 30, 0, { stabilizationSec: 30 }).reason,
      'Battery charge 10% below threshold 20%',
    );
  });

  it('extended-time disabled writes its INFO once per outage', () => {
    const out = emptyOutputs();
    const triggers = defaultTriggerPolicy({ extendedTime: { enabled: false, thresholdSec: 900 } });
    const first = evaluateTriggers(
      { vars: healthy, timeOnBatterySec: 901, depletionRatePctPerMin: 0, extendedTimeNoted: false },
      triggers,
      out,
    );
    assert.equal(first.extendedTimeNoted, true);
    evaluateTriggers(
      { vars: healthy, timeOnBatterySec: 902, depletionRatePctPerMin: 0, extendedTimeNoted: true },
      triggers,
      out,
    );
    assert.deepEqual(
      out.notes.map((n) => n.message),
      [
        'INFO: System on battery for 15m 1s exceeded threshold (15m 0s) - extended time shutdown disabled',
      ],
    );
  });

  it('non-numeric readings only warn', () => {
    const r = decide({ 'battery.charge': 'n/a', 'battery.runtime': '' }, 100, 0);
    assert.equal(r.reason, null);
    assert.equal(r.readingsValid, false);
    assert.deepEqual(r.notes, [
      "WARNING: Received non-numeric battery charge value: 'n/a'",
      "WARNING: Received non-numeric battery runtime value: ''",
    ]);
  });
});

describe('shutdown admission through advance()', () => {
  const ol = {
    'ups.status': 'OL',
    'battery.charge': '100',
    'battery.runtime': '1800',
    'ups.load': '20',
    'input.voltage': '230',
  };
  const ob = (charge: string, runtime = '1800') => ({
    'ups.status': 'OB DISCHRG',
    'battery.charge': charge,
    'battery.runtime': runtime,
    'ups.load': '20',
    'input.voltage': '0',
  });

  it('admits the first trigger once per outage and re-arms only when power returns', () => {
    const r = new Replay(
      defaultMonitorPolicy({ triggers: defaultTriggerPolicy({ stabilizationSec: 0 }) }),
    );
    r.ok(ol);
    r.ok(ob('50'));
    const first = r.ok(ob('15'));
    assert.deepEqual(first.commands, [
      { kind: 'shutdown', failsafe: false, reason: 'Battery charge 15% below threshold 20%' },
    ]);
    assert.deepEqual(
      first.events.map((e) => [e.type, e.detail, e.notify]),
      [['EMERGENCY_SHUTDOWN_INITIATED', 'Battery charge 15% below threshold 20%', true]],
    );
    assert.equal(first.notifications.length, 1);
    assert.equal(first.notifications[0]?.title, 'EMERGENCY SHUTDOWN INITIATED!');
    assert.equal(first.notifications[0]?.category, 'shutdown');
    assert.ok(
      first.notes.some(
        (n) =>
          n.message ===
          'CRITICAL: Triggering immediate shutdown. Reason: Battery charge 15% below threshold 20%',
      ),
    );

    // 90 more on-battery polls: no second command, re-trigger note at most once per 60 s.
    for (let i = 0; i < 90; i += 1) r.ok(ob('14'));
    assert.equal(r.commands.filter((c) => c.kind === 'shutdown').length, 1);
    assert.equal(r.noteMatching('Ignoring re-trigger.').length, 2);
    assert.equal(r.state.shutdownAdmitted, true);

    const back = r.ok(ol);
    assert.deepEqual(back.commands, [{ kind: 'rearm' }]);
    assert.equal(r.state.shutdownAdmitted, false);
    r.ok(ob('10'));
    assert.equal(r.commands.filter((c) => c.kind === 'shutdown').length, 2);
  });

  it('FSD wins over everything, without stabilization', () => {
    const r = new Replay(defaultMonitorPolicy());
    r.ok(ol);
    const res = r.ok({ ...ob('90'), 'ups.status': 'OB FSD' });
    assert.deepEqual(res.commands, [
      { kind: 'shutdown', failsafe: false, reason: 'UPS signaled FSD (Forced Shutdown) flag.' },
    ]);
    assert.deepEqual(r.eventTypes(), ['EMERGENCY_SHUTDOWN_INITIATED']);
  });

  it('advisory members latch triggerActive and never command a shutdown', () => {
    const r = new Replay(
      defaultMonitorPolicy({
        advisory: true,
        triggers: defaultTriggerPolicy({ stabilizationSec: 0 }),
      }),
    );
    r.ok(ol);
    r.ok(ob('15'));
    assert.equal(r.state.triggerActive, true);
    assert.equal(r.state.triggerReason, 'Battery charge 15% below threshold 20%');
    r.ok(ob('14'));
    assert.equal(
      r.noteMatching(
        'Trigger condition met (advisory, redundancy group): Battery charge 15% below threshold 20%',
      ).length,
      1,
    );
    assert.equal(r.commands.filter((c) => c.kind === 'shutdown').length, 0);
    assert.equal(r.eventTypes().includes('EMERGENCY_SHUTDOWN_INITIATED'), false);
    // A clean on-battery poll clears the latch.
    r.ok(ob('60'));
    assert.equal(r.state.triggerActive, false);
    assert.equal(r.noteMatching('Advisory trigger cleared').length, 1);
    // OB → OL clears it too.
    r.ok(ob('15'));
    assert.equal(r.state.triggerActive, true);
    r.ok(ol);
    assert.equal(r.state.triggerActive, false);
  });

  it('advisory latch is kept during stabilization and on invalid readings', () => {
    const r = new Replay(
      defaultMonitorPolicy({
        advisory: true,
        triggers: defaultTriggerPolicy({ stabilizationSec: 0 }),
      }),
    );
    r.ok(ol);
    r.ok(ob('15'));
    r.ok(ob('n/a'));
    assert.equal(r.state.triggerActive, true);
  });

  it('stabilization delays T1 until t ≥ stab', () => {
    const r = new Replay(
      defaultMonitorPolicy({ triggers: defaultTriggerPolicy({ stabilizationSec: 5 }) }),
    );
    r.ok(ol);
    r.ok(ob('10')); // t = 0
    for (let i = 0; i < 4; i += 1) r.ok(ob('10')); // t = 1..4
    assert.equal(r.commands.length, 0);
    assert.equal(r.noteMatching('ignored during on-battery stabilization').length, 5);
    r.ok(ob('10')); // t = 5
    assert.equal(r.commands.length, 1);
  });
});
