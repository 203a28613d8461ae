/**
 * Status routes: `/health`, `/ready`, `/api/v1`, `/api/v1/ups[/{name}]`, the v6.1 per-UPS reads
 * eneru can answer, `/api/v1/remote-health`, `/api/v1/auth/state` and `/metrics`. Every answer is
 * read from the live state store; no request polls NUT.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { buildUpsDocument, buildUpsObject } from '../monitor/ups-document.js';
import type { LiveUps } from '../monitor/live-state.js';
import type { ResolvedDeps } from './deps.js';
import { endpointIndex, type IndexVisibility } from './endpoint-index.js';
import type { HttpError } from './errors.js';
import * as s from './schemas.js';

export interface RouteContext {
  deps: ResolvedDeps;
  visibility: () => IndexVisibility;
  notFound: (message: string) => HttpError;
}

/** `{name}` is the configured name or its sanitized form (already percent-decoded). */
export function findUps(ctx: RouteContext, name: string): LiveUps {
  const entry = ctx.deps.live.find(name);
  if (!entry) throw ctx.notFound('UPS not found');
  return entry;
}

const errors = { 404: s.errorEnvelope };

export function registerStatusRoutes(root: FastifyInstance, ctx: RouteContext): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { deps } = ctx;
  const nowSec = (): number => deps.nowMs() / 1000;

  const healthSchema = { summary: 'Liveness probe', response: { 200: s.health } };
  app.get('/health', { schema: healthSchema }, async () => ({
    generatedAt: nowSec(),
    status: 'ok' as const,
  }));
  app.head('/health', { schema: { ...healthSchema, hide: true } }, async () => ({
    generatedAt: nowSec(),
    status: 'ok' as const,
  }));

  const readySchema = {
    summary: 'Readiness probe',
    response: { 200: s.readinessAnswer, 503: s.readinessAnswer },
  };
  const ready = async (_request: unknown, reply: { code(status: number): unknown }) => {
    const report = deps.readiness();
    reply.code(report.ready ? 200 : 503);
    // Anonymous callers under require_for_reads see only the verdict (never a 401).
    return deps.auth().requireForReads ? { ready: report.ready } : report;
  };
  app.get('/ready', { schema: readySchema }, ready);
  app.head('/ready', { schema: { ...readySchema, hide: true } }, ready);

  app.get(
    '/api/v1',
    { schema: { summary: 'API endpoint index', response: { 200: s.endpointIndex } } },
    async () => ({
      endpoints: endpointIndex(ctx.visibility()),
      generatedAt: nowSec(),
      version: 'v1' as const,
    }),
  );

  const document = () =>
    buildUpsDocument({
      live: deps.live,
      version: deps.version,
      runtime: { context: deps.runtime.context, loopbackDelegate: deps.loopbackDelegate() },
      nowWallMs: deps.nowMs(),
    });
  app.get(
    '/api/v1/ups',
    { schema: { summary: 'Current UPS and redundancy status', response: { 200: s.upsDocument } } },
    async () => document(),
  );

  const one = { params: s.upsParams };
  app.get(
    '/api/v1/ups/:name',
    {
      schema: {
        summary: 'Current status for one UPS',
        ...one,
        response: { 200: s.upsObject, ...errors },
      },
    },
    async (request) => {
      const entry = findUps(ctx, request.params.name);
      return buildUpsObject(entry, {
        remoteHealth: deps.live.remoteHealthFor(entry.identity.label),
      });
    },
  );
  app.get(
    '/api/v1/ups/:name/battery-health',
    {
      schema: {
        summary: 'Battery health (not computed by eneru yet: null)',
        ...one,
        response: { 200: s.batteryHealth, ...errors },
      },
    },
    async (request) => ({
      batteryHealth: null,
      ups: findUps(ctx, request.params.name).identity.name,
    }),
  );
  app.get(
    '/api/v1/ups/:name/energy',
    {
      schema: {
        summary: 'Energy accounting (not computed by eneru yet: null)',
        ...one,
        response: { 200: s.energy, ...errors },
      },
    },
    async (request) => ({ energy: null, ups: findUps(ctx, request.params.name).identity.name }),
  );

  app.get(
    '/api/v1/remote-health',
    { schema: { summary: 'Remote SSH health rows', response: { 200: s.remoteHealth } } },
    async () => ({
      generatedAt: nowSec(),
      servers: deps.live.remoteHealthRows(),
    }),
  );

  app.get(
    '/api/v1/auth/state',
    { schema: { summary: 'Effective auth state', response: { 200: s.authState } } },
    async () => {
      const auth = deps.auth();
      return { enabled: auth.active, requireForReads: auth.requireForReads };
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics',
        produces: ['text/plain'],
        response: { 200: s.metricsText, ...errors },
      },
    },
    async (_request, reply) => {
      if (!deps.config().prometheus.enabled) throw ctx.notFound('Metrics disabled');
      reply.type('text/plain; charset=utf-8');
      // Streamed with backpressure: a 1000-UPS scrape is ~4 MB that is never held whole.
      return sendStream(reply, Readable.from(deps.metrics.exposition(), { objectMode: false }));
    },
  );
}

/**
 * Sends a byte stream as the body. The route's schema types the reply by its documented body (a
 * string for `/metrics`), which a stream of that string's bytes is not in TypeScript's eyes;
 * Fastify sends streams as they are, without the serializer.
 */
function sendStream(reply: FastifyReply, body: Readable): FastifyReply {
  return reply.send(body);
}
