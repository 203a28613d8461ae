import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoundedQueue } from '../../src/store/bounded-queue.js';
import { flushPhaseFor } from '../../src/store/stats-store.js';

describe('BoundedQueue', () => {
  it('keeps items in order and drops the oldest beyond capacity', () => {
    const q = new BoundedQueue<number>(3);
    assert.deepEqual([q.push(1), q.push(2), q.push(3)], [0, 0, 0]);
    assert.equal(q.push(4), 1);
    assert.deepEqual(q.toArray(), [2, 3, 4]);
    assert.equal(q.length, 3);
  });

  it('removes only what was persisted', () => {
    const q = new BoundedQueue<number>(10);
    for (let i = 0; i < 5; i++) q.push(i);
    const batch = q.toArray();
    q.push(99);
    q.dropOldest(batch.length);
    assert.deepEqual(q.toArray(), [99]);
    q.dropOldest(10);
    assert.equal(q.length, 0);
    assert.deepEqual(q.toArray(), []);
  });

  it('stays correct through many compactions while full', () => {
    const q = new BoundedQueue<number>(1000);
    let dropped = 0;
    for (let i = 0; i < 50_000; i++) dropped += q.push(i);
    assert.equal(dropped, 49_000);
    const items = q.toArray();
    assert.equal(items.length, 1000);
    assert.equal(items[0], 49_000);
    assert.equal(items[999], 49_999);
  });

  it('shrinks on resize, dropping the oldest', () => {
    const q = new BoundedQueue<number>(5);
    for (let i = 0; i < 5; i++) q.push(i);
    assert.equal(q.resize(2), 3);
    assert.deepEqual(q.toArray(), [3, 4]);
  });
});

describe('flushPhaseFor', () => {
  it('is stable per path, within the period, and spreads different paths', () => {
    const period = 10_000;
    const phases = Array.from({ length: 1000 }, (_, i) =>
      flushPhaseFor(`/var/lib/eneru/ups-${i}.db`, period),
    );
    for (const p of phases) assert.ok(Number.isInteger(p) && p >= 0 && p < period);
    assert.equal(flushPhaseFor('/var/lib/eneru/ups-7.db', period), phases[7]);
    const perSecond = new Array<number>(10).fill(0);
    for (const p of phases) perSecond[Math.floor(p / 1000)]! += 1;
    for (const n of perSecond)
      assert.ok(n > 50 && n < 150, `uneven spread: ${perSecond.join(',')}`);
  });
});
