// The reconnect schedule: 1×, 2×, 4× ... capped, a window that closes with time, reset on success.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ReconnectBackoff } from '../../src/nut/index.js';

describe('ReconnectBackoff', () => {
  it('doubles from the initial delay up to the cap', () => {
    const backoff = new ReconnectBackoff(1000, 30_000);
    const delays = Array.from({ length: 8 }, () => backoff.failed(0, 'refused'));
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('blocks attempts inside the window and remembers why', () => {
    const backoff = new ReconnectBackoff(500, 4000);
    assert.equal(backoff.waitMs(0), 0);
    assert.equal(backoff.failing, false);
    backoff.failed(10_000, 'connect ECONNREFUSED');
    assert.equal(backoff.waitMs(10_000), 500);
    assert.equal(backoff.waitMs(10_400), 100);
    assert.equal(backoff.waitMs(10_500), 0);
    assert.equal(backoff.lastFailure, 'connect ECONNREFUSED');
    assert.equal(backoff.failing, true);
  });

  it('resets after a success', () => {
    const backoff = new ReconnectBackoff(100, 1000);
    backoff.failed(0, 'a');
    backoff.failed(0, 'b');
    backoff.succeeded();
    assert.equal(backoff.failing, false);
    assert.equal(backoff.waitMs(0), 0);
    assert.equal(backoff.failed(0, 'c'), 100);
  });

  it('defaults to 1 s and 30 s and never overflows', () => {
    const backoff = new ReconnectBackoff();
    assert.equal(backoff.failed(0, 'x'), 1000);
    for (let i = 0; i < 100; i += 1) backoff.failed(0, 'x');
    assert.equal(backoff.failed(0, 'x'), 30_000);
  });
});
