/**
 * Shares SQLite connections between the per-UPS statistics databases. Each file stays its own
 * database (core spec §6: one file per UPS, WAL), but up to ten of them are ATTACHed to one
 * connection instead of each holding a connection of its own: SQLite's per-connection cost
 * (lookaside buffers, the registered FTS/R-Tree/JSON modules, the connection itself) is
 * ~80 KiB, which at 1000 UPSes was ~80 MB of the daemon's RSS (bench/results/poll-scale.md).
 *
 * Isolation between the files on one connection is kept by `StoreConnection`: every write
 * transaction is DEFERRED and takes only its own file's write lock, so a locked, read-only or
 * corrupt file fails its own operations and nobody else's. A file is migrated on a short-lived
 * connection of its own before it is attached, so the schema code needs no schema prefixes.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreConnection } from './connection.js';
import { applyWriterPragmas, migrate } from './schema.js';

/** SQLITE_MAX_ATTACHED of better-sqlite3's SQLite build (`PRAGMA compile_options`). */
export const MAX_FILES_PER_CONNECTION = 10;

interface SharedConnection {
  readonly db: Database.Database;
  /** Attached files by schema name. */
  readonly files: Map<string, string>;
  readonly freeSchemas: string[];
}

/** Creates the directory if needed, opens the file alone, applies pragmas and migrates it. */
function prepareFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    applyWriterPragmas(db);
    migrate(db);
  } finally {
    db.close();
  }
}

export class ConnectionPool {
  private readonly connections = new Set<SharedConnection>();

  constructor(private readonly filesPerConnection = MAX_FILES_PER_CONNECTION) {
    if (!Number.isInteger(filesPerConnection) || filesPerConnection < 1) {
      throw new RangeError(`filesPerConnection must be an integer >= 1, got ${filesPerConnection}`);
    }
  }

  /** Open SQLite connections (for diagnostics, tests and benchmarks). */
  get connectionCount(): number {
    return this.connections.size;
  }

  /**
   * Migrates `path` to the current schema and attaches it to a connection with room. Throws
   * SQLite's error (cannot open, not a database, read-only ...); nothing stays attached then.
   */
  open(path: string): StoreConnection {
    prepareFile(path);
    const shared = this.connectionWithRoomFor(path);
    const schema = shared.freeSchemas.pop();
    if (schema === undefined) throw new Error('connection pool: no free schema slot');
    try {
      shared.db.prepare(`ATTACH DATABASE ? AS ${schema}`).run(path);
    } catch (err) {
      shared.freeSchemas.push(schema);
      this.closeIfUnused(shared);
      throw err;
    }
    shared.files.set(schema, path);
    const connection = new StoreConnection(shared.db, schema, path, () =>
      this.detach(shared, schema),
    );
    try {
      connection.applySettings();
    } catch (err) {
      connection.close();
      throw err;
    }
    return connection;
  }

  /** A file is never attached twice to one connection (SQLite would lock against itself). */
  private connectionWithRoomFor(path: string): SharedConnection {
    for (const shared of this.connections) {
      const holdsPath = [...shared.files.values()].includes(path);
      if (shared.freeSchemas.length > 0 && !holdsPath) return shared;
    }
    const db = new Database(':memory:');
    db.pragma('busy_timeout = 500');
    db.pragma('temp_store = MEMORY');
    const freeSchemas = Array.from(
      { length: this.filesPerConnection },
      (_, i) => `ups${this.filesPerConnection - 1 - i}`,
    );
    const shared: SharedConnection = { db, files: new Map(), freeSchemas };
    this.connections.add(shared);
    return shared;
  }

  /** A schema that fails to detach stays attached and its name is not reused. */
  private detach(shared: SharedConnection, schema: string): void {
    if (!shared.files.has(schema)) return;
    shared.db.exec(`DETACH DATABASE ${schema}`);
    shared.files.delete(schema);
    shared.freeSchemas.push(schema);
    this.closeIfUnused(shared);
  }

  private closeIfUnused(shared: SharedConnection): void {
    if (shared.files.size > 0) return;
    this.connections.delete(shared);
    shared.db.close();
  }
}
