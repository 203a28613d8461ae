/**
 * Transport rules applied to every request before and after its route (observability §3.1):
 * method and HEAD rules, the Host guard (421), the write gate while auth is off (403), unknown
 * paths (404) before any body is read, the in-flight limit, and the response headers
 * (whitelisted Content-Type, no-store, nosniff, `Connection: close` when a body went unread).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../logging/types.js';
import type { ConcurrencyGate } from './concurrency-gate.js';
import type { AuthView } from './deps.js';
import { HttpError } from './errors.js';
import type { HostGuard } from './host-guard.js';
import { BODY_LIMIT_BYTES, checkFraming, declaresBody, parseJsonObject } from './json-body.js';

const ROUTED_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE']);
const HEAD_PATHS = new Set(['/health', '/ready']);
const BODY_METHODS = new Set(['POST', 'PUT', 'DELETE']);

/** Write routes of the original; all refused while API auth is not active (auth is a later issue). */
const WRITE_ROUTES: ReadonlyArray<readonly [string, RegExp]> = [
  ['DELETE', /^\/api\/v1\/ups\/[^/]+\/events$/],
  ['GET', /^\/api\/v1\/ups\/[^/]+\/(commands|variables)$/],
  ['POST', /^\/api\/v1\/ups\/[^/]+\/command$/],
  ['PUT', /^\/api\/v1\/ups\/[^/]+\/variables\/[^/]+$/],
  ['POST', /^\/api\/v1\/ups\/[^/]+\/self-test$/],
  ['POST', /^\/api\/v1\/config\/reload$/],
];
const AUTH_ROUTES = /^\/api\/v1\/auth\/(login|logout)$/;
/** Open even when reads require a credential (observability §3.2). */
const OPEN_PATHS = new Set(['/health', '/ready', '/api/v1/auth/state']);

const unauthorized = (): HttpError =>
  new HttpError(401, 'UNAUTHORIZED', 'authentication required', {
    headers: { 'www-authenticate': 'Bearer' },
  });

const CONTENT_TYPES = new Set([
  'application/json',
  'text/plain',
  'text/html',
  'application/javascript',
  'text/css',
  'image/svg+xml',
]);

/** Path without query and trailing slashes (`''` → `/`). */
export function routePath(url: string): string {
  const path = url.split('?', 1)[0] ?? '/';
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** Only whitelisted media types pass, always with `; charset=utf-8`; anything else is JSON. */
export function safeContentType(value: unknown): string {
  const base = typeof value === 'string' ? (value.split(';', 1)[0] ?? '').trim().toLowerCase() : '';
  return `${CONTENT_TYPES.has(base) ? base : 'application/json'}; charset=utf-8`;
}

export interface TransportOptions {
  hostGuard: HostGuard;
  gate: ConcurrencyGate;
  logger: Logger;
  /** Builds the 404 error (with `availableEndpoints`). */
  notFound: (message: string) => HttpError;
  auth: () => AuthView;
}

function guard(
  request: FastifyRequest,
  options: TransportOptions,
  state: { hostLogged: boolean },
): void {
  const method = request.method;
  const path = routePath(request.url);
  if (!ROUTED_METHODS.has(method)) {
    throw new HttpError(405, 'METHOD_NOT_ALLOWED', `method ${method} is not allowed`, {
      headers: { allow: 'GET, HEAD, POST, PUT, DELETE' },
    });
  }
  if (method === 'HEAD' && !HEAD_PATHS.has(path)) {
    throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'HEAD is only allowed on /health and /ready', {
      headers: { allow: 'GET' },
    });
  }
  const host = request.headers.host;
  if (!options.hostGuard.allows(host)) {
    if (!state.hostLogged) {
      state.hostLogged = true;
      options.logger.warn(
        `API request rejected: Host header ${JSON.stringify(host ?? '')} not allowed ` +
          '(add the name to api.allowed_hosts to serve it; further rejections are not logged)',
      );
    }
    throw new HttpError(421, 'MISDIRECTED_REQUEST', 'Host header not allowed');
  }
  // This version has no sign-in: with auth active nobody can present a credential, so
  // everything auth protects fails closed instead of falling open.
  const auth = options.auth();
  if (WRITE_ROUTES.some(([m, pattern]) => m === method && pattern.test(path))) {
    if (auth.active) throw unauthorized();
    throw new HttpError(403, 'FORBIDDEN', 'write operations require api.auth.enabled');
  }
  if (method === 'POST' && AUTH_ROUTES.test(path)) {
    if (auth.active) {
      throw new HttpError(
        503,
        'AUTH_UNAVAILABLE',
        'sign-in is not available in this eneru version',
      );
    }
    throw options.notFound('Authentication is disabled');
  }
  if ((method === 'GET' || method === 'HEAD') && auth.requireForReads && !OPEN_PATHS.has(path)) {
    throw unauthorized();
  }
  if (request.is404) throw options.notFound('Endpoint not found');
}

export function installTransport(app: FastifyInstance, options: TransportOptions): void {
  const state = { hostLogged: false };
  const consumed = new WeakSet<IncomingMessage>();

  app.addHook('onRequest', async (request) => guard(request, options, state));
  app.addHook('onRequest', async (_request, reply) => {
    const waiting = options.gate.acquire();
    let held = false;
    let closed = false;
    reply.raw.once('close', () => {
      closed = true;
      if (held) {
        held = false;
        options.gate.release();
      }
    });
    if (waiting) await waiting;
    held = true;
    // The client may have gone while queued: give the slot straight back.
    if (closed) {
      held = false;
      options.gate.release();
    }
  });
  app.addHook('preParsing', async (request) => checkFraming(request.headers));
  // An empty body reads as `{}` (Fastify skips the parser when there is nothing to parse).
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && BODY_METHODS.has(request.method)) request.body = {};
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
    (request, body, done) => {
      consumed.add(request.raw);
      try {
        done(null, parseJsonObject(typeof body === 'string' ? body : body.toString('utf8')));
      } catch (error) {
        done(error instanceof Error ? error : new Error(String(error)), undefined);
      }
    },
  );

  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload) => {
    reply.header('content-type', safeContentType(reply.getHeader('content-type')));
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
    if (declaresBody(request.headers) && !consumed.has(request.raw))
      reply.header('connection', 'close');
    return payload;
  });
}
