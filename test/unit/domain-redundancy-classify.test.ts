import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultTriggerPolicy } from '../../src/domain/advance.js';
import { classifyMember, effectiveHealth, type MemberPolicy } from '../../src/domain/redundancy.js';
import type { MemberHealth, UpsSnapshot } from '../../src/domain/types.js';
import { NOW, snap } from '../support/domain-snapshot.js';

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
