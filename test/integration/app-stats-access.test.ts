/**
 * The API's read-only connections to the per-UPS databases are bounded: reading more databases
 * than the bound closes the least recently used ones, and a closed one reopens on its next read.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CachedStatsAccess } from '../../src/app/http-wiring.js';
import { StatsStore } from '../../src/store/index.js';
import { RETENTION, recordingLogger, tempDirs } from './store-support.js';

const dirs = tempDirs();
after(() => dirs.cleanup());

const T0 = 1_800_000_000;

async function databaseWithEvent(path: string, detail: string): Promise<void> {
  const store = new StatsStore({ path, retention: RETENTION, logger: recordingLogger() });
  store.start();
  store.recordEvent({ ts: T0, eventType: 'ON_BATTERY', detail, notificationSent: true });
  await store.stop();
}

describe('CachedStatsAccess', () => {
  it('keeps at most maxOpenReaders connections and still reads every database', async () => {
    const dir = dirs.make();
    const groups = ['a', 'b', 'c', 'd', 'e'];
    for (const g of groups) await databaseWithEvent(join(dir, `${g}.db`), `event of ${g}`);
    const access = new CachedStatsAccess((groupId) => join(dir, `${groupId}.db`), 2);
    const detailsOf = (groupId: string): string[] =>
      (access.readerFor(groupId)?.events({ upperTs: T0 + 1, limit: 10 }) ?? []).map(
        (e) => e.detail ?? '',
      );
    for (let round = 0; round < 2; round++) {
      for (const g of groups) {
        assert.deepEqual(detailsOf(g), [`event of ${g}`]);
        assert.ok(access.openReaders <= 2, `open readers ${access.openReaders}`);
      }
    }
    access.close();
    assert.equal(access.openReaders, 0);
  });

  it('answers null for a database that does not exist yet', () => {
    const access = new CachedStatsAccess((groupId) => join(dirs.make(), `${groupId}.db`));
    assert.equal(access.readerFor('missing'), null);
    assert.equal(access.openReaders, 0);
  });
});
