/**
 * The duplicate-shutdown guard of one UPS group (core spec §8.3): a flag file
 * (`shutdown_flag_file`, plus `.<sanitised>` in coordinator mode) backed by an in-memory flag,
 * so the guard still holds when the file cannot be written. Set when a sequence is admitted,
 * cleared at startup and on re-arm (power restored) only — never after a finished sequence.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import type { Logger } from '../logging/types.js';

/** `<base>.<sanitised>` in coordinator mode, `<base>` for the single-UPS monitor. */
export function groupFlagPath(base: string, sanitisedName: string | null): string {
  return sanitisedName ? `${base}.${sanitisedName}` : base;
}

export class ShutdownFlag {
  private memory = false;
  /** Set when the file could not be removed: from then on only the in-memory flag counts. */
  private fileUnreliable = false;

  constructor(
    readonly path: string,
    private readonly logger: Logger,
  ) {}

  /** Set in memory or on disk (a file left by an earlier run counts until cleared). */
  isSet(): boolean {
    return this.memory || (!this.fileUnreliable && existsSync(this.path));
  }

  /** Admits one sequence: false when the guard is already set. */
  trySet(): boolean {
    if (this.isSet()) return false;
    this.memory = true;
    try {
      writeFileSync(this.path, `pid=${process.pid}\ncreated_at=${new Date().toISOString()}\n`);
    } catch (error) {
      this.logger.warn(
        `Cannot write shutdown flag file ${this.path} (${describe(error)}); the in-memory guard still holds`,
      );
    }
    return true;
  }

  /** Clears both; never throws (an undeletable file is logged). */
  clear(): void {
    this.memory = false;
    try {
      rmSync(this.path, { force: true });
      this.fileUnreliable = false;
    } catch (error) {
      this.fileUnreliable = true;
      this.logger.warn(`Cannot remove shutdown flag file ${this.path}: ${describe(error)}`);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
