/**
 * Builds the HTTP app for tests from real parts: a config parsed by the real loader, a real
 * `LiveStateStore`, real SQLite databases (schema by the store's own migration) read through the
 * store's real `StatsReader`, and a logger that records lines for assertions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { parseConfig } from '../../src/config/index.js';
import type { Config } from '../../src/config/types.js';
import { buildHttpApp } from '../../src/http/app.js';
import type { HttpDeps } from '../../src/http/deps.js';
import type { StatsAccess, StatsReaderLike } from '../../src/http/stats-access.js';
import type { Logger } from '../../src/logging/types.js';
import type { LiveStateStore } from '../../src/monitor/live-state.js';
import { computeReadiness } from '../../src/monitor/readiness.js';
import { migrate } from '../../src/store/schema.js';
import { StatsReader } from '../../src/store/stats-reader.js';
import { baselineLive } from './http-fixtures.js';
import { RecordingLogger, type LogLine } from './recording-logger.js';

export type { LogLine } from './recording-logger.js';

/** A logger that records lines for assertions. */
export function recordingLogger(lines: LogLine[] = []): Logger & { lines: LogLine[] } {
  return new RecordingLogger(lines);
}

export function testConfig(raw: Record<string, unknown> = {}): Config {
  const { config, messages } = parseConfig(raw);
  const errors = messages.filter((m) => m.level === 'ERROR');
  if (errors.length > 0)
    throw new Error(`test config invalid: ${errors.map((m) => m.text).join('; ')}`);
  return config;
}

/** A temp directory of per-UPS databases (`<groupId>.db`) read through the store's StatsReader. */
export class StatsDir implements StatsAccess {
  readonly dir = mkdtempSync(join(tmpdir(), 'eneru-http-'));
  private readonly readers = new Map<string, StatsReader>();

  path(groupId: string): string {
    return join(this.dir, `${groupId}.db`);
  }

  /** Opens (creating and migrating) the database of `groupId` for writing test rows. */
  write(groupId: string, fill: (db: Database.Database) => void): void {
    const db = new Database(this.path(groupId));
    try {
      migrate(db);
      fill(db);
    } finally {
      db.close();
    }
  }

  addEvents(
    groupId: string,
    rows: ReadonlyArray<{ ts: number; type: string; detail?: string }>,
  ): void {
    this.write(groupId, (db) => {
      const insert = db.prepare('INSERT INTO events (ts, event_type, detail) VALUES (?, ?, ?)');
      for (const row of rows) insert.run(row.ts, row.type, row.detail ?? '');
    });
  }

  readerFor(groupId: string): StatsReaderLike | null {
    const cached = this.readers.get(groupId);
    if (cached) return cached;
    const reader = StatsReader.open(this.path(groupId));
    if (reader) this.readers.set(groupId, reader);
    return reader;
  }

  cleanup(): void {
    for (const reader of this.readers.values()) reader.close();
    this.readers.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface TestAppOptions {
  raw?: Record<string, unknown>;
  live?: LiveStateStore;
  stats?: StatsAccess;
  nowMs?: () => number;
  metricsText?: string;
  /** The metrics behind `/metrics` (default: a source that sends `metricsText`). */
  metrics?: HttpDeps['metrics'];
  logger?: Logger;
  readiness?: HttpDeps['readiness'];
}

export function testDeps(options: TestAppOptions = {}): HttpDeps {
  const live = options.live ?? baselineLive();
  return {
    config: testConfig(options.raw ?? {}),
    live,
    stats: options.stats ?? { readerFor: () => null },
    version: '7.0.0',
    runtime: { context: 'bare process', container: false },
    logger: options.logger ?? recordingLogger(),
    metrics: options.metrics ?? {
      async *exposition() {
        yield options.metricsText ?? 'eneru_up 1\n';
      },
    },
    readiness:
      options.readiness ??
      (() =>
        computeReadiness({
          monitors: live.list(),
          groups: [],
          upsGroupCount: live.list().length,
          localShutdown: { enabled: false, command: 'shutdown -h now', triggerOn: 'any' },
          runtime: {
            context: 'bare process',
            container: false,
            loopbackDelegate: { configured: false },
          },
          remoteHealthFor: (label) => live.remoteHealthFor(label),
          hasBinary: () => true,
        })),
    ...(options.nowMs ? { nowMs: options.nowMs } : {}),
  };
}

export function testApp(options: TestAppOptions = {}): FastifyInstance {
  return buildHttpApp(testDeps(options));
}

/** GET with an allowed Host; returns status, headers and parsed JSON (or null). */
export async function getJson(
  app: FastifyInstance,
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: Record<string, unknown> }> {
  const response = await app.inject({
    method: 'GET',
    url,
    headers: { host: '127.0.0.1:9191', ...headers },
  });
  const body = response.body === '' ? {} : (JSON.parse(response.body) as Record<string, unknown>);
  return { status: response.statusCode, headers: response.headers, body };
}
