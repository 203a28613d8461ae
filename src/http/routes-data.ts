/**
 * Data routes backed by the statistics databases and the config: history, events, the
 * sanitized config view and the OpenAPI document. Database reads are synchronous SQLite on
 * read-only connections; a missing database simply has no rows.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sanitizedConfig } from './config-view.js';
import { parseEventsParams, readEvents } from './events-query.js';
import { HttpError } from './errors.js';
import { parseHistoryParams, parseRange } from './history-query.js';
import { powerRow, type PowerRowJson } from './power-series.js';
import { findUps, type RouteContext } from './routes-status.js';
import * as s from './schemas.js';

export function registerDataRoutes(root: FastifyInstance, ctx: RouteContext): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { deps } = ctx;

  app.get(
    '/api/v1/ups/:name/history',
    {
      schema: {
        summary: 'SQLite metric history for one UPS',
        params: s.upsParams,
        querystring: s.historyQuery,
        response: { 200: s.history, 400: s.errorEnvelope, 404: s.errorEnvelope },
      },
    },
    async (request) => {
      const nowSec = Math.floor(deps.nowMs() / 1000);
      const aggHourlyDays = deps.config().statistics.retention.agg_hourly_days;
      const params = parseHistoryParams(request.query, aggHourlyDays, nowSec);
      const entry = findUps(ctx, request.params.name);
      let data: Array<{ ts: number; value: number }> = [];
      try {
        const reader = deps.stats.readerFor(entry.identity.groupId);
        if (reader) data = reader.history(params.column, params.fromSec, params.toSec);
      } catch (error) {
        throw new HttpError(503, 'STATS_UNAVAILABLE', 'statistics database unavailable', {
          cause: error,
        });
      }
      return {
        data,
        from: params.fromSec,
        metric: params.metric,
        to: params.toSec,
        ups: request.params.name,
      };
    },
  );

  app.get(
    '/api/v1/ups/:name/power',
    {
      schema: {
        summary: 'Per-sample load% and watts series for one UPS',
        params: s.upsParams,
        querystring: s.rangeQuery,
        response: { 200: s.power, 400: s.errorEnvelope, 404: s.errorEnvelope },
      },
    },
    async (request) => {
      const config = deps.config();
      const nowSec = Math.floor(deps.nowMs() / 1000);
      const range = parseRange(request.query, config.statistics.retention.agg_hourly_days, nowSec);
      const entry = findUps(ctx, request.params.name);
      let data: PowerRowJson[] = [];
      try {
        const reader = deps.stats.readerFor(entry.identity.groupId);
        if (reader?.power) {
          const nominal = config.energy.nominal_power;
          data = reader
            .power(range.fromSec, range.toSec)
            .points.map((row) => powerRow(row, nominal));
        }
      } catch (error) {
        throw new HttpError(503, 'STATS_UNAVAILABLE', 'statistics database unavailable', {
          cause: error,
        });
      }
      return { data, from: range.fromSec, to: range.toSec, ups: request.params.name };
    },
  );

  app.get(
    '/api/v1/events',
    {
      schema: {
        summary: 'Recent SQLite event rows, merged across UPS databases',
        querystring: s.eventsQuery,
        response: { 200: s.events, 400: s.errorEnvelope },
      },
    },
    async (request) => {
      const params = parseEventsParams(request.query);
      const nowMs = deps.nowMs();
      const events = readEvents(
        deps.live.list(),
        deps.stats,
        params,
        Math.floor(nowMs / 1000),
        deps.logger,
      );
      return { events, generatedAt: nowMs / 1000 };
    },
  );

  app.get(
    '/api/v1/config',
    { schema: { summary: 'Configuration summary (sanitized)', response: { 200: s.configView } } },
    async () => sanitizedConfig(deps.config(), deps.auth()),
  );

  app.get(
    '/api/v1/openapi.json',
    { schema: { summary: 'This OpenAPI 3 document', hide: true } },
    async () => root.swagger(),
  );
}
