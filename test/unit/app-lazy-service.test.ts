/**
 * `lazyService`: the service's code is loaded by `start`, not before; `stop` stops what was
 * loaded, also while loading is still under way, and does nothing when it was never started.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lazyService, type Service } from '../../src/app/services.js';

function recordingService(calls: string[]): Service {
  return {
    name: 'inner',
    start: () => {
      calls.push('start');
    },
    stop: () => {
      calls.push('stop');
    },
  };
}

describe('lazyService', () => {
  it('loads on start, then starts and stops the loaded service', async () => {
    const calls: string[] = [];
    const service = lazyService('outer', async () => {
      calls.push('load');
      return recordingService(calls);
    });
    assert.equal(service.name, 'outer');
    assert.deepEqual(calls, []);
    await service.start();
    await service.stop();
    assert.deepEqual(calls, ['load', 'start', 'stop']);
  });

  it('stop without start loads nothing', async () => {
    const calls: string[] = [];
    const service = lazyService('outer', async () => {
      calls.push('load');
      return recordingService(calls);
    });
    await service.stop();
    assert.deepEqual(calls, []);
  });

  it('a stop during loading waits for it and stops the loaded service', async () => {
    const calls: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const service = lazyService('outer', async () => {
      await gate;
      return recordingService(calls);
    });
    const starting = service.start();
    const stopping = service.stop();
    release();
    await starting;
    await stopping;
    assert.deepEqual(calls.sort(), ['start', 'stop']);
  });

  it('a failed load rejects start and leaves stop harmless', async () => {
    const service = lazyService('outer', () => Promise.reject(new Error('module missing')));
    await assert.rejects(async () => service.start(), /module missing/);
    await service.stop();
  });
});
