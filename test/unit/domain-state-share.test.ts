// advance() hands back the previous poll's nested models when they did not change: the values
// a state shows are always those of the poll, changed models are new objects, and the previous
// state is never altered.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { advance, defaultMonitorPolicy, initialState } from '../../src/domain/advance.js';
import { cloneState, shareUnchanged } from '../../src/domain/state.js';

const policy = defaultMonitorPolicy();
const start = initialState(policy, { monoMs: 0, wallMs: 1e12 });

describe('shareUnchanged', () => {
  it('keeps every nested model of an unchanged copy', () => {
    const next = shareUnchanged(start, cloneState(start));
    assert.equal(next.connection, start.connection);
    assert.equal(next.outage, start.outage);
    assert.equal(next.voltage, start.voltage);
    assert.equal(next.slowNut, start.slowNut);
    assert.equal(next.anomaly, start.anomaly);
  });

  it('keeps the changed models with their new values and leaves the previous state alone', () => {
    const before = structuredClone(start);
    const copy = cloneState(start);
    copy.connection.staleDataCount += 1;
    copy.outage.history.push({ monoMs: 1, wallMs: 2, chargePct: 99 });
    const next = shareUnchanged(start, copy);
    assert.equal(next.connection.staleDataCount, 1);
    assert.deepEqual(next.outage.history, [{ monoMs: 1, wallMs: 2, chargePct: 99 }]);
    assert.equal(next.anomaly, start.anomaly);
    assert.deepEqual(start, before);
  });

  it('advance() still reports every change across polls', () => {
    const stale = advance(
      start,
      {
        monoMs: 1000,
        wallMs: 1e12 + 1000,
        durationMs: 5,
        outcome: { kind: 'stale', message: 'x' },
      },
      policy,
    ).state;
    assert.equal(stale.connection.staleDataCount, 1);
    assert.equal(start.connection.staleDataCount, 0);
    const vars = { 'ups.status': 'OL', 'battery.charge': '100', 'input.voltage': '230.0' };
    const good = advance(
      stale,
      { monoMs: 2000, wallMs: 1e12 + 2000, durationMs: 5, outcome: { kind: 'ok', vars } },
      policy,
    ).state;
    assert.equal(good.connection.staleDataCount, 0);
    assert.equal(stale.connection.staleDataCount, 1);
    assert.equal(good.status, 'OL');
    const again = advance(
      good,
      { monoMs: 3000, wallMs: 1e12 + 3000, durationMs: 5, outcome: { kind: 'ok', vars } },
      policy,
    ).state;
    assert.equal(again.connection, good.connection);
    assert.equal(again.previousStatus, 'OL');
    assert.equal(again.anomaly.prevMonoMs, 3000);
    assert.equal(good.anomaly.prevMonoMs, 2000);
  });
});
