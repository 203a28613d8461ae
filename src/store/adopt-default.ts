/**
 * Switching from single-UPS to coordinator mode (core spec §6): on the first coordinator start
 * an existing `default.db` becomes the first UPS group's file, so its history and event ids
 * carry over. The WAL is checkpointed first so the renamed file is complete on its own. Never
 * throws: the daemon logs the outcome and starts either way.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describeError } from './errors.js';

export const DEFAULT_DB_FILE = 'default.db';

export type AdoptDefaultOutcome =
  | { outcome: 'renamed'; from: string; to: string }
  | { outcome: 'no-default' | 'target-exists' }
  | { outcome: 'failed'; error: string };

/** Renames `<dbDirectory>/default.db` to `targetPath` unless that file already exists. */
export function adoptDefaultDatabase(dbDirectory: string, targetPath: string): AdoptDefaultOutcome {
  const source = join(dbDirectory, DEFAULT_DB_FILE);
  if (!existsSync(source)) return { outcome: 'no-default' };
  if (existsSync(targetPath)) return { outcome: 'target-exists' };
  try {
    const db = new Database(source, { fileMustExist: true });
    try {
      db.pragma('busy_timeout = 500');
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
    renameSync(source, targetPath);
    // Empty after the checkpoint; a stale -shm next to a new default.db would only confuse.
    for (const suffix of ['-wal', '-shm']) rmSync(`${source}${suffix}`, { force: true });
    return { outcome: 'renamed', from: source, to: targetPath };
  } catch (err) {
    return { outcome: 'failed', error: describeError(err) };
  }
}
