/**
 * `GET /api/v1/events` (observability §3.5): parameter rules, the verbosity classes and the
 * cursor paging across every UPS database in the total order `(ts, source, id)`. Each database
 * returns its newest `limit` matches; the merge keeps the newest `limit` overall, oldest first.
 */
import { API_LIFECYCLE_EVENT_TYPES, API_POWER_EVENT_TYPES } from '../domain/event-types.js';
import type { LiveUps } from '../monitor/live-state.js';
import type { Logger } from '../logging/types.js';
import { badRequest } from './errors.js';
import { checkFromTo, intInRange, optionalInt } from './query.js';
import type { EventsReadQuery, StatsAccess, StoredEventRow } from './stats-access.js';

export interface EventsParams {
  limit: number;
  verbosity: number;
  fromSec?: number;
  toSec?: number;
  before?: number;
  cursor?: { source: string; id: number };
}

export interface EventRowJson {
  detail: string;
  eventType: string;
  id: number;
  label: string;
  source: string;
  ts: number;
  ups: string;
}

type Query = Readonly<Record<string, string | undefined>>;

export function parseEventsParams(query: Query): EventsParams {
  const limit = intInRange(query, 'limit', 100, 1, 10_000);
  const verbosity = intInRange(query, 'verbosity', 2, 0, 2);
  const fromSec = optionalInt(query, 'from');
  const toSec = optionalInt(query, 'to');
  checkFromTo(fromSec, toSec);
  const before = optionalInt(query, 'before');
  const source = query.beforeSource;
  const rawId = query.beforeId;
  const params: EventsParams = { limit, verbosity, fromSec, toSec, before };
  if (source !== undefined || rawId !== undefined) {
    if (before === undefined) throw badRequest("'before' is required with cursor details");
    if (source === undefined || rawId === undefined) {
      throw badRequest("'beforeSource' and 'beforeId' must be supplied together");
    }
    const id = intInRange(query, 'beforeId', 1, 1, Number.MAX_SAFE_INTEGER);
    params.cursor = { source, id };
  }
  return params;
}

function typeFilter(verbosity: number): Pick<EventsReadQuery, 'includeTypes' | 'excludeTypes'> {
  if (verbosity === 0) return { includeTypes: API_POWER_EVENT_TYPES };
  if (verbosity === 1) return { excludeTypes: API_LIFECYCLE_EVENT_TYPES };
  return {};
}

/** Per-database bounds for a cursor `(T, S, I)`: strictly older in `(ts, source, id)` order. */
function boundsFor(
  source: string,
  params: EventsParams,
  nowSec: number,
): Pick<EventsReadQuery, 'upperTs' | 'strictlyBefore'> {
  const upper = params.before ?? params.toSec ?? nowSec;
  const cursor = params.cursor;
  if (params.before === undefined || cursor === undefined) return { upperTs: upper };
  if (source < cursor.source) return { upperTs: upper };
  if (source === cursor.source)
    return { upperTs: upper, strictlyBefore: { ts: upper, id: cursor.id } };
  return { upperTs: upper - 1 };
}

function compareRows(a: EventRowJson, b: EventRowJson): number {
  if (a.ts !== b.ts) return a.ts - b.ts;
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  return a.id - b.id;
}

export function readEvents(
  monitors: readonly LiveUps[],
  stats: StatsAccess,
  params: EventsParams,
  nowSec: number,
  logger: Logger,
): EventRowJson[] {
  const merged: EventRowJson[] = [];
  for (const { identity } of monitors) {
    let rows: StoredEventRow[];
    try {
      const reader = stats.readerFor(identity.groupId);
      if (reader === null) continue;
      rows = reader.events({
        ...boundsFor(identity.groupId, params, nowSec),
        ...(params.fromSec !== undefined ? { fromSec: params.fromSec } : {}),
        limit: params.limit,
        ...typeFilter(params.verbosity),
      });
    } catch (error) {
      // One unreadable database must not hide the others' events.
      logger.warn(`events read failed for ${identity.name}: ${String(error)}`, {
        ups: identity.name,
      });
      continue;
    }
    for (const row of rows) {
      merged.push({
        detail: row.detail ?? '',
        eventType: row.event_type,
        id: row.id,
        label: identity.label,
        source: identity.groupId,
        ts: row.ts,
        ups: identity.name,
      });
    }
  }
  merged.sort(compareRows);
  return merged.slice(Math.max(0, merged.length - params.limit));
}
