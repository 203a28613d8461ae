import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultTriggerPolicy } from '../../src/domain/advance.js';
import {
  defaultStartupGraceSec,
  evaluateQuorum,
  initialQuorumTracker,
  markFireSuppressed,
  readinessWindowSec,
  redundancyGroupSnapshot,
  type QuorumGroupPolicy,
  type QuorumMember,
} from '../../src/domain/redundancy.js';
import type { UpsSnapshot } from '../../src/domain/types.js';
import { NOW, snap } from '../support/domain-snapshot.js';

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
