import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { abortableSleep, backoffDelaySec } from '../../src/mqtt/backoff.js';

describe('MQTT reconnect backoff', () => {
  it('waits 1 then 2, doubling up to a 60 s cap', () => {
    const delays = Array.from({ length: 9 }, (_, attempt) => backoffDelaySec(attempt));
    assert.deepEqual(delays, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
    assert.equal(backoffDelaySec(10_000), 60);
  });

  it('an abort ends the sleep at once', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const sleeping = abortableSleep(60_000, controller.signal);
    controller.abort();
    await sleeping;
    assert.ok(performance.now() - started < 1000);
  });

  it('an already-aborted signal does not sleep', async () => {
    const started = performance.now();
    await abortableSleep(60_000, AbortSignal.abort());
    assert.ok(performance.now() - started < 1000);
  });
});
