/**
 * Whether API authentication is effectively active (observability spec §1): an explicit
 * `api.auth.enabled` wins; unset means "on once the auth DB has a user", and a DB that exists
 * but cannot be read counts as active (fail closed). The DB is opened read-only and only the
 * `users` count is read.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { ApiConfig } from './types.js';

export type AuthDbProbe =
  { state: 'missing' } | { state: 'unreadable'; reason: string } | { state: 'ok'; users: number };

export function probeAuthDb(dbPath: string): AuthDbProbe {
  if (!existsSync(dbPath)) return { state: 'missing' };
  let db: Database.Database | null = null;
  try {
    db = new Database(dbPath, { readonly: true, fileMustExist: true });
    const row: unknown = db.prepare('SELECT COUNT(*) AS n FROM users').get();
    const users =
      typeof row === 'object' && row !== null && 'n' in row && typeof row.n === 'number'
        ? row.n
        : NaN;
    return Number.isFinite(users)
      ? { state: 'ok', users }
      : { state: 'unreadable', reason: 'unexpected users count' };
  } catch (cause) {
    return { state: 'unreadable', reason: cause instanceof Error ? cause.message : String(cause) };
  } finally {
    db?.close();
  }
}

export function authEffectivelyActive(
  api: ApiConfig,
  probe: (dbPath: string) => AuthDbProbe = probeAuthDb,
): boolean {
  if (api.auth.enabled !== null) return api.auth.enabled;
  const result = probe(api.auth.db_path);
  if (result.state === 'missing') return false;
  if (result.state === 'unreadable') return true;
  return result.users > 0;
}
