import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  advance,
  defaultMonitorPolicy,
  defaultTriggerPolicy,
  initialState,
  persistedOutage,
  toSnapshot,
  type MonitorPolicy,
} from '../../src/domain/advance.js';
import type { PollOutcome } from '../../src/domain/types.js';
import { Replay, scenario } from '../support/domain-replay.js';

/** Small deterministic PRNG (mulberry32) so a failing sequence can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATUSES = [
  'OL',
  'OL CHRG',
  'OB DISCHRG',
  'OB DISCHRG LB',
  'OB FSD',
  'FSD',
  'OFF',
  'OL BOOST',
  'OL TRIM',
  'OL OVER',
  'OL BYPASS',
  'DISCHRG',
  'CHRG',
];
const NUMBERS = [
  '100',
  '85',
  '50',
  '19.9',
  '20',
  '5',
  '0',
  '-1',
  'n/a',
  '',
  '1e999',
  '230',
  '120.5',
  '600',
  '599',
  '3600',
];

function randomOutcome(next: () => number): PollOutcome {
  const roll = next();
  if (roll < 0.08) return { kind: 'stale', message: 'Data stale' };
  if (roll < 0.16) return { kind: 'error', message: 'Connection refused' };
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)] as T;
  return {
    kind: 'ok',
    vars: {
      'ups.status': pick(STATUSES),
      'battery.charge': pick(NUMBERS),
      'battery.runtime': pick(NUMBERS),
      'ups.load': pick(NUMBERS),
      'input.voltage': pick(['230', '205', '190', '255', '280', '0', '65535', 'junk', '120.5']),
    },
  };
}

describe('invariants over random reading sequences', () => {
  for (const advisory of [false, true]) {
    it(`${advisory ? 'advisory' : 'independent'}: never throws, at most one non-failsafe shutdown per outage, coherent snapshots`, () => {
      for (let seed = 1; seed <= 20; seed += 1) {
        const next = rng(seed);
        const policy: MonitorPolicy = defaultMonitorPolicy({
          advisory,
          staleTolerance: 1 + Math.floor(next() * 3),
          grace: {
            enabled: next() < 0.7,
            durationSec: 5 + Math.floor(next() * 30),
            flapThreshold: 2,
          },
          voltageHysteresisSec: Math.floor(next() * 10),
          triggers: defaultTriggerPolicy({ stabilizationSec: Math.floor(next() * 10) }),
        });
        let state = initialState(policy, { monoMs: 0, wallMs: 1e12 });
        let monoMs = 0;
        let shutdownsThisOutage = 0;
        for (let i = 0; i < 300; i += 1) {
          monoMs += 500 + Math.floor(next() * 6000);
          const input = {
            monoMs,
            wallMs: 1e12 + monoMs,
            durationMs: Math.floor(next() * 12_000),
            outcome: randomOutcome(next),
          };
          const before = JSON.stringify(state);
          const result = advance(state, input, policy);
          assert.equal(
            JSON.stringify(state),
            before,
            `seed ${seed} poll ${i}: input state was mutated`,
          );
          state = result.state;
          if (result.commands.some((c) => c.kind === 'rearm')) shutdownsThisOutage = 0;
          shutdownsThisOutage += result.commands.filter(
            (c) => c.kind === 'shutdown' && !c.failsafe,
          ).length;
          if (advisory)
            assert.equal(
              result.commands.filter((c) => c.kind === 'shutdown').length,
              0,
              `seed ${seed}: advisory shut down`,
            );
          else
            assert.ok(
              shutdownsThisOutage <= 1,
              `seed ${seed} poll ${i}: second shutdown in one outage`,
            );
          assert.ok(
            !state.triggerActive || advisory,
            `seed ${seed}: triggerActive outside advisory mode`,
          );
          for (const e of result.events) assert.equal(e.wallMs, input.wallMs);
          const notified = result.notifications.filter(
            (n) =>
              n.eventType !== undefined &&
              n.category !== 'voltage' &&
              n.eventType !== 'SLOW_NUT_RESPONSE',
          );
          for (const n of notified)
            assert.ok(
              result.events.some((e) => e.type === n.eventType && e.notify),
              `seed ${seed}: notification without a notify=true row`,
            );
          const snap = toSnapshot(state, { monoMs, wallMs: 1e12 + monoMs });
          assert.ok(snap.timeOnBatterySec >= 0);
          assert.ok(Number.isFinite(snap.depletionRatePctPerMin));
          assert.ok(snap.depletionRatePctPerMin <= 100 * 60, 'rate bounded by the clamp');
          assert.equal(
            snap.onBatterySinceWallMs === null,
            persistedOutage(state) === null && state.resume === null,
          );
        }
      }
    });
  }
});

describe('state handling', () => {
  it('advance never mutates the state it is given', () => {
    const r = new Replay(defaultMonitorPolicy());
    r.ok(scenario('online-charging'));
    const before = r.state;
    const frozen = JSON.stringify(before);
    r.ok(scenario('on-battery'));
    r.ok(scenario('brownout'));
    r.error();
    assert.equal(JSON.stringify(before), frozen);
  });

  it('persisted outage survives a JSON round trip', () => {
    const r = new Replay(defaultMonitorPolicy());
    r.repeat(scenario('on-battery'), 5);
    const persisted = persistedOutage(r.state);
    assert.deepEqual(JSON.parse(JSON.stringify(persisted)), persisted);
  });
});
