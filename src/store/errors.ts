/**
 * Typed store errors. The writer never throws them at the monitor (it logs and counts them);
 * read-side and API-facing helpers throw them so callers can map `code` to a status.
 */
export type StoreErrorCode =
  'STORE_OPEN_FAILED' | 'STORE_WRITE_FAILED' | 'STORE_READ_FAILED' | 'STORE_UNAVAILABLE';

export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

/** A short, stable description of whatever SQLite (or the file system) threw. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' && !err.message.includes(code)
      ? `${code}: ${err.message}`
      : err.message;
  }
  return String(err);
}

/** SQLite result code of a better-sqlite3 error (`SQLITE_BUSY`, ...), or null. */
export function sqliteCode(err: unknown): string | null {
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : null;
}
