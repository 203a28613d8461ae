// The poll loop's sleeper: waits the given time, ends every pending or later sleep at once when
// its signal aborts, never rejects, and can be reused sleep after sleep.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { LoopSleeper } from '../../src/monitor/abortable-sleep.js';

describe('LoopSleeper', () => {
  it('sleeps the given time, again and again', async () => {
    const sleeper = new LoopSleeper(new AbortController().signal);
    for (let i = 0; i < 3; i += 1) {
      const started = performance.now();
      await sleeper.sleep(30);
      assert.ok(performance.now() - started >= 25, `sleep ${i} was too short`);
    }
  });

  it('wakes a pending sleep when the signal aborts, and does not sleep afterwards', async () => {
    const abort = new AbortController();
    const sleeper = new LoopSleeper(abort.signal);
    const started = performance.now();
    const pending = sleeper.sleep(60_000);
    setTimeout(() => abort.abort(), 10);
    await pending;
    await sleeper.sleep(60_000);
    assert.ok(performance.now() - started < 5_000);
  });

  it('resolves at once for a zero delay', async () => {
    await new LoopSleeper(new AbortController().signal).sleep(0);
  });
});
