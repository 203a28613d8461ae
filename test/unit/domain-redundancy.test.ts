import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultTriggerPolicy } from '../../src/domain/advance.js';
import {
  classifyMember,
  defaultStartupGraceSec,
  effectiveHealth,
  evaluateQuorum,
  initialQuorumTracker,
  markFireSuppressed,
  readinessWindowSec,
  redundancyGroupSnapshot,
  type MemberPolicy,
  type QuorumGroupPolicy,
  type QuorumMember,
} from '../../src/domain/redundancy.js';
import type { MemberHealth, UpsSnapshot } from '../../src/domain/types.js';

const NOW = 1_700_000_000_000;

function snap(
  overrides: Partial<UpsSnapshot> = {},
  vars: Record<string, string> = {},
): UpsSnapshot {
  return {
    status: 'OL',
    vars: { 'battery.charge': '100', 'battery.runtime': '1800', ...vars },
    depletionRatePctPerMin: 0,
    timeOnBatterySec: 0,
    lastUpdateWallMs: NOW - 1000,
    connectionState: 'OK',
    triggerActive: false,
    triggerReason: '',
    staleDataCount: 0,
    nominalVoltage: 230,
    warningLow: 207,
    warningHigh: 253,
    voltageState: 'NORMAL',
    avrState: 'INACTIVE',
    bypassState: 'INACTIVE',
    overloadState: 'INACTIVE',
    ...overrides,
  };
}

const policy: MemberPolicy = {
  triggers: defaultTriggerPolicy(),
  checkIntervalSec: 1,
  staleTolerance: 3,
  grace: { enabled: true, durationSec: 60 },
};
const noGrace: MemberPolicy = { ...policy, grace: { enabled: false, durationSec: 60 } };

describe('member classification (first match wins)', () => {
  const cases: {
    name: string;
    snapshot: UpsSnapshot | null;
    hasMonitor?: boolean;
    policy?: MemberPolicy;
    lost?: number;
    expect: MemberHealth;
  }[] = [
    { name: 'no monitor', snapshot: snap(), hasMonitor: false, expect: 'unknown' },
    { name: 'never polled (no snapshot)', snapshot: null, expect: 'unknown' },
    {
      name: 'never polled (lastUpdate 0)',
      snapshot: snap({ lastUpdateWallMs: 0 }),
      expect: 'unknown',
    },
    { name: 'FAILED', snapshot: snap({ connectionState: 'FAILED' }), expect: 'unknown' },
    {
      name: 'FAILED beats trigger',
      snapshot: snap({ connectionState: 'FAILED', triggerActive: true }),
      expect: 'unknown',
    },
    {
      name: 'GRACE inside grace → degraded',
      snapshot: snap({ connectionState: 'GRACE_PERIOD', connectionLostWallMs: NOW - 59_000 }),
      expect: 'degraded',
    },
    {
      name: 'GRACE at grace expiry → unknown',
      snapshot: snap({ connectionState: 'GRACE_PERIOD', connectionLostWallMs: NOW - 60_000 }),
      expect: 'unknown',
    },
    {
      name: 'GRACE lost time from the member input',
      snapshot: snap({ connectionState: 'GRACE_PERIOD' }),
      lost: NOW - 61_000,
      expect: 'unknown',
    },
    {
      name: 'GRACE without lost time: age - stale vs grace',
      snapshot: snap({ connectionState: 'GRACE_PERIOD', lastUpdateWallMs: NOW - 10_000 }),
      expect: 'degraded',
    },
    {
      name: 'age = stale (5 s) is fresh',
      snapshot: snap({ lastUpdateWallMs: NOW - 5000 }),
      policy: noGrace,
      expect: 'healthy',
    },
    {
      name: 'age > stale without grace → unknown',
      snapshot: snap({ lastUpdateWallMs: NOW - 5001 }),
      policy: noGrace,
      expect: 'unknown',
    },
    {
      name: 'age > stale within stale+grace → degraded (in-flight)',
      snapshot: snap({ lastUpdateWallMs: NOW - 65_000 }),
      expect: 'degraded',
    },
    {
      name: 'age > stale + grace → unknown',
      snapshot: snap({ lastUpdateWallMs: NOW - 65_001 }),
      expect: 'unknown',
    },
    {
      name: 'stale retry within pre-grace window (3×5+1 = 16 s) → degraded',
      snapshot: snap({ lastUpdateWallMs: NOW - 16_000, staleDataCount: 2 }),
      policy: noGrace,
      expect: 'degraded',
    },
    {
      name: 'stale retry past pre-grace window → unknown',
      snapshot: snap({ lastUpdateWallMs: NOW - 16_001, staleDataCount: 2 }),
      policy: noGrace,
      expect: 'unknown',
    },
    {
      name: 'trigger active → critical',
      snapshot: snap({ triggerActive: true }),
      expect: 'critical',
    },
    { name: 'FSD → critical', snapshot: snap({ status: 'OB FSD' }), expect: 'critical' },
    {
      name: 'OB within stabilization → degraded even when low',
      snapshot: snap({ status: 'OB', timeOnBatterySec: 29 }, { 'battery.charge': '5' }),
      expect: 'degraded',
    },
    {
      name: 'OB after stabilization, low charge (19.9) → critical',
      snapshot: snap({ status: 'OB', timeOnBatterySec: 30 }, { 'battery.charge': '19.9' }),
      expect: 'critical',
    },
    {
      name: 'OB charge 20 → degraded',
      snapshot: snap({ status: 'OB', timeOnBatterySec: 30 }, { 'battery.charge': '20' }),
      expect: 'degraded',
    },
    {
      name: 'OB runtime 599 → critical',
      snapshot: snap({ status: 'OB', timeOnBatterySec: 30 }, { 'battery.runtime': '599' }),
      expect: 'critical',
    },
    {
      name: 'OB runtime 600 → degraded',
      snapshot: snap({ status: 'OB', timeOnBatterySec: 30 }, { 'battery.runtime': '600' }),
      expect: 'degraded',
    },
    {
      name: 'OB depletion before grace → degraded',
      snapshot: snap({ status: 'OB', timeOnBatterySec: 89, depletionRatePctPerMin: 20 }),
      expect: 'degraded',
    },
    {
      name: 'OB depletion at grace → critical',
      snapshot: snap({ status: 'OB', timeOnBatterySec: 90, depletionRatePctPerMin: 20 }),
      expect: 'critical',
    },
    {
      name: 'OB extended t = threshold → degraded',
      snapshot: snap({ status: 'OB', timeOnBatterySec: 900 }),
      expect: 'degraded',
    },
    {
      name: 'OB extended t > threshold → critical',
      snapshot: snap({ status: 'OB', timeOnBatterySec: 901 }),
      expect: 'critical',
    },
    {
      name: 'OL low charge is not critical (recovering)',
      snapshot: snap({}, { 'battery.charge': '5' }),
      expect: 'healthy',
    },
    { name: 'healthy', snapshot: snap(), expect: 'healthy' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const member = {
        snapshot: c.snapshot,
        hasMonitor: c.hasMonitor ?? true,
        ...(c.lost !== undefined ? { connectionLostWallMs: c.lost } : {}),
      };
      assert.equal(classifyMember(member, c.policy ?? policy, NOW), c.expect);
    });
  }
});

describe('counting policy', () => {
  const table: [
    MemberHealth,
    'healthy' | 'critical',
    'critical' | 'degraded' | 'healthy',
    MemberHealth,
  ][] = [
    ['healthy', 'critical', 'critical', 'healthy'],
    ['critical', 'healthy', 'healthy', 'critical'],
    ['degraded', 'healthy', 'critical', 'healthy'],
    ['degraded', 'critical', 'critical', 'critical'],
    ['unknown', 'healthy', 'critical', 'critical'],
    ['unknown', 'healthy', 'healthy', 'healthy'],
    ['unknown', 'healthy', 'degraded', 'healthy'],
    ['unknown', 'critical', 'degraded', 'critical'],
  ];
  for (const [raw, degraded, unknown, expected] of table) {
    it(`${raw} (degraded→${degraded}, unknown→${unknown}) counts ${expected}`, () => {
      assert.equal(effectiveHealth(raw, degraded, unknown), expected);
    });
  }
});

describe('quorum evaluation', () => {
  const group: QuorumGroupPolicy = {
    name: 'rack',
    upsSources: ['A@h', 'B@h'],
    minHealthy: 1,
    degradedCountsAs: 'healthy',
    unknownCountsAs: 'critical',
    isLocal: false,
    triggers: defaultTriggerPolicy(),
    startupGraceSec: defaultStartupGraceSec([1, 1]),
  };
  const timing = {
    checkIntervalSec: 1,
    staleTolerance: 3,
    grace: { enabled: true, durationSec: 60 },
  };
  const member = (name: string, snapshot: UpsSnapshot | null, hasMonitor = true): QuorumMember => ({
    name,
    snapshot,
    hasMonitor,
    timing,
  });
  const clock = (sinceStartSec: number) => ({ monoMs: sinceStartSec * 1000, wallMs: NOW });

  it('startup grace and readiness window defaults (10 s, 80 s)', () => {
    assert.equal(defaultStartupGraceSec([1, 1]), 10);
    assert.equal(defaultStartupGraceSec([2, 5]), 30);
    assert.equal(readinessWindowSec(group, [member('A@h', null), member('B@h', null)]), 80);
    assert.equal(
      readinessWindowSec(group, [
        member('A@h', null),
        {
          ...member('B@h', null),
          timing: { ...timing, grace: { enabled: false, durationSec: 300 } },
        },
      ]),
      80,
    );
  });

  it('holds with one healthy member; fires once when both are critical; re-arms on recovery', () => {
    let tracker = initialQuorumTracker(0);
    let ev = evaluateQuorum(
      group,
      [member('A@h', snap()), member('B@h', snap({ triggerActive: true }))],
      tracker,
      clock(100),
    );
    assert.deepEqual(
      [ev.healthyCount, ev.quorumLost, ev.fire, ev.transition],
      [1, false, false, null],
    );
    tracker = ev.tracker;
    ev = evaluateQuorum(
      group,
      [member('A@h', snap({ status: 'OB FSD' })), member('B@h', snap({ triggerActive: true }))],
      tracker,
      clock(101),
    );
    assert.deepEqual(
      [ev.healthyCount, ev.quorumLost, ev.fire, ev.transition],
      [0, true, true, 'lost'],
    );
    assert.equal(ev.reason, 'redundancy quorum lost: healthy=0 < min_healthy=1');
    assert.deepEqual(
      ev.notes.map((n) => n.message),
      [
        "Redundancy group 'rack' quorum LOST (healthy=0, min_healthy=1; A@h=critical, B@h=critical)",
      ],
    );
    tracker = ev.tracker;
    ev = evaluateQuorum(
      group,
      [member('A@h', snap({ status: 'OB FSD' })), member('B@h', snap({ triggerActive: true }))],
      tracker,
      clock(102),
    );
    assert.deepEqual([ev.quorumLost, ev.fire, ev.transition], [true, false, null]);
    tracker = ev.tracker;
    ev = evaluateQuorum(group, [member('A@h', snap()), member('B@h', snap())], tracker, clock(103));
    assert.deepEqual([ev.quorumLost, ev.transition], [false, 'restored']);
    assert.deepEqual(
      ev.notes.map((n) => n.message),
      [
        "Redundancy group 'rack' quorum restored -- re-armed for next event (healthy=2, min_healthy=1; A@h=healthy, B@h=healthy)",
      ],
    );
    tracker = ev.tracker;
    ev = evaluateQuorum(
      group,
      [member('A@h', snap({ triggerActive: true })), member('B@h', snap({ triggerActive: true }))],
      tracker,
      clock(104),
    );
    assert.equal(ev.fire, true, 'fires again for the next event');
  });

  it('a suppressed fire restores without "re-armed" and is offered again', () => {
    const critical = [
      member('A@h', snap({ triggerActive: true })),
      member('B@h', snap({ triggerActive: true })),
    ];
    let ev = evaluateQuorum(group, critical, initialQuorumTracker(0), clock(100));
    assert.equal(ev.fire, true);
    let tracker = markFireSuppressed(ev.tracker);
    ev = evaluateQuorum(group, critical, tracker, clock(101));
    assert.equal(ev.fire, true);
    tracker = markFireSuppressed(ev.tracker);
    ev = evaluateQuorum(group, [member('A@h', snap()), member('B@h', snap())], tracker, clock(102));
    assert.equal(
      ev.notes[0]?.message,
      "Redundancy group 'rack' quorum restored (healthy=2, min_healthy=1; A@h=healthy, B@h=healthy)",
    );
  });

  it('cold start: a never-published member defers the decision inside the readiness window', () => {
    const members = [
      member('A@h', snap({ lastUpdateWallMs: 0 })),
      member('B@h', snap({ lastUpdateWallMs: 0 })),
    ];
    let ev = evaluateQuorum(group, members, initialQuorumTracker(0), clock(79));
    assert.deepEqual(
      [ev.rawQuorumLost, ev.quorumLost, ev.quorumDeferred, ev.fire],
      [true, false, true, false],
    );
    assert.deepEqual(
      ev.notes.map((n) => n.message),
      [
        "Redundancy group 'rack' deferring quorum decision: member(s) A@h, B@h have not published a first snapshot yet (cold-start protection).",
      ],
    );
    ev = evaluateQuorum(group, members, ev.tracker, clock(79.5));
    assert.equal(ev.notes.length, 0, 'logged once');
    ev = evaluateQuorum(group, members, ev.tracker, clock(80));
    assert.deepEqual([ev.quorumLost, ev.quorumDeferred, ev.fire], [true, false, true]);
  });

  it('cold start ends as soon as every member has published once', () => {
    let ev = evaluateQuorum(
      group,
      [member('A@h', snap()), member('B@h', snap({ lastUpdateWallMs: 0 }))],
      initialQuorumTracker(0),
      clock(5),
    );
    assert.equal(ev.quorumLost, false);
    ev = evaluateQuorum(
      group,
      [member('A@h', snap()), member('B@h', snap())],
      ev.tracker,
      clock(6),
    );
    // Both published; now A dies and B is FSD: no hold any more.
    ev = evaluateQuorum(
      group,
      [
        member('A@h', snap({ connectionState: 'FAILED' })),
        member('B@h', snap({ status: 'OB FSD' })),
      ],
      ev.tracker,
      clock(7),
    );
    assert.deepEqual([ev.quorumLost, ev.quorumDeferred, ev.fire], [true, false, true]);
  });

  it('members without a monitor count UNKNOWN at once and do not hold', () => {
    const ev = evaluateQuorum(
      group,
      [member('A@h', null, false), member('B@h', null, false)],
      initialQuorumTracker(0),
      clock(1),
    );
    assert.deepEqual([ev.quorumLost, ev.quorumDeferred, ev.fire], [true, false, true]);
    assert.deepEqual(
      ev.members.map((m) => [m.health, m.effectiveHealth]),
      [
        ['unknown', 'critical'],
        ['unknown', 'critical'],
      ],
    );
  });

  it('builds the API row', () => {
    const ev = evaluateQuorum(
      { ...group, name: 'rack@a:b/c' },
      [member('A@h', snap()), member('B@h', snap({ status: 'OB', timeOnBatterySec: 5 }))],
      initialQuorumTracker(0),
      clock(100),
    );
    assert.deepEqual(redundancyGroupSnapshot({ ...group, name: 'rack@a:b/c' }, ev), {
      groupId: 'redundancy-rack-a-b-c',
      name: 'rack@a:b/c',
      upsSources: ['A@h', 'B@h'],
      minHealthy: 1,
      healthyCount: 2,
      quorumLost: false,
      quorumDeferred: false,
      members: [
        { name: 'A@h', health: 'healthy', effectiveHealth: 'healthy' },
        { name: 'B@h', health: 'degraded', effectiveHealth: 'healthy' },
      ],
      isLocal: false,
    });
  });
});
