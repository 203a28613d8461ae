/**
 * The Fastify application of the read-side API, built separately from listening so tests run it
 * in-process (`inject`) or on a real socket, and the daemon wraps it in `HttpServer`. Owns the
 * one error mapping: every error the server produces leaves as the JSON envelope, a 404 lists
 * the visible endpoints, and a 500 never carries internals.
 */
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { jsonSchemaTransform, validatorCompiler } from 'fastify-type-provider-zod';
import { ConcurrencyGate } from './concurrency-gate.js';
import { resolveDeps, type HttpDeps } from './deps.js';
import { availableEndpoints, type IndexVisibility } from './endpoint-index.js';
import { HttpError, clientErrorResponse, envelope, toHttpError } from './errors.js';
import { HostGuard } from './host-guard.js';
import { BODY_LIMIT_BYTES } from './json-body.js';
import { parseQueryString } from './query.js';
import { registerDataRoutes } from './routes-data.js';
import { registerPlanRoutes } from './routes-plan.js';
import { registerStatusRoutes, type RouteContext } from './routes-status.js';
import { installTransport } from './transport.js';

/** Transport limits of observability §3.1. */
export const HTTP_LIMITS = Object.freeze({
  maxConnections: 64,
  maxInFlight: 32,
  timeoutMs: 10_000,
  bodyLimitBytes: BODY_LIMIT_BYTES,
});

export function buildHttpApp(input: HttpDeps): FastifyInstance {
  const deps = resolveDeps(input);
  const hostGuard = new HostGuard(deps.config().api.allowed_hosts);
  const app = Fastify({
    // Router-level rejections (malformed percent-encoding, oversized segment) still answer with
    // the envelope, after the Host guard.
    frameworkErrors: (error, request, reply) => {
      const mapped = !hostGuard.allows(request.headers.host)
        ? new HttpError(421, 'MISDIRECTED_REQUEST', 'Host header not allowed')
        : error.code === 'FST_ERR_BAD_URL'
          ? new HttpError(400, 'INVALID_REQUEST', 'path is not valid percent-encoding', {
              cause: error,
            })
          : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
            ? new HttpError(414, 'INVALID_REQUEST', 'path segment too long', { cause: error })
            : toHttpError(error);
      // The reply of a framework error is typed per route schema; it has none here.
      void (reply as unknown as FastifyReply)
        .code(mapped.status)
        .headers({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })
        .type('application/json; charset=utf-8')
        .send(envelope(mapped));
    },
    logger: false,
    bodyLimit: HTTP_LIMITS.bodyLimitBytes,
    connectionTimeout: HTTP_LIMITS.timeoutMs,
    keepAliveTimeout: HTTP_LIMITS.timeoutMs,
    requestTimeout: HTTP_LIMITS.timeoutMs,
    exposeHeadRoutes: false,
    // Requests arriving on kept-alive sockets while stopping are served, not answered with
    // Fastify's non-envelope 503.
    return503OnClosing: false,
    // A missing Host must reach the Host guard (421 envelope), not Node's bare 400.
    http: { requireHostHeader: false, connectionsCheckingInterval: 1_000 },
    clientErrorHandler: (error, socket) => {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ECONNRESET' || code === 'EPIPE' || !socket.writable) {
        socket.destroy();
        return;
      }
      socket.end(clientErrorResponse(code));
    },
    routerOptions: {
      ignoreTrailingSlash: true,
      maxParamLength: 512,
      querystringParser: parseQueryString,
    },
  });

  const visibility = (): IndexVisibility => {
    const config = deps.config();
    const authActive = deps.auth().active;
    const selfTestAnywhere =
      config.self_test.enabled || config.ups.some((ups) => ups.self_test.enabled);
    return {
      prometheus: config.prometheus.enabled,
      nutControl: config.nut_control.enabled,
      authActive,
      selfTest: authActive && (selfTestAnywhere || config.nut_control.enabled),
    };
  };
  const notFound = (message: string): HttpError =>
    new HttpError(404, 'NOT_FOUND', message, {
      extra: { availableEndpoints: availableEndpoints(visibility()) },
    });
  const ctx: RouteContext = { deps, visibility, notFound };

  app.setValidatorCompiler(validatorCompiler);
  // Responses are plain JSON.stringify: schemas document the API, they never filter fields.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  app.setErrorHandler((error, request, reply) => {
    const mapped = toHttpError(error);
    if (mapped.status >= 500 && mapped.code === 'INTERNAL_ERROR') {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      deps.logger.error(`API ${request.method} ${request.url} failed: ${detail}`);
    }
    reply
      .code(mapped.status)
      .headers(mapped.headers)
      .type('application/json; charset=utf-8')
      .send(envelope(mapped));
  });
  app.setNotFoundHandler(() => {
    throw notFound('Endpoint not found');
  });

  installTransport(app, {
    hostGuard,
    gate: new ConcurrencyGate(HTTP_LIMITS.maxInFlight),
    logger: deps.logger,
    notFound,
    auth: deps.auth,
  });

  app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'eneru API',
        version: deps.version,
        description:
          'Read-side HTTP API of the eneru UPS monitoring daemon (compatible with Eneru 6.1 /api/v1).',
      },
    },
    transform: jsonSchemaTransform,
  });
  app.register(async (scope) => {
    registerStatusRoutes(scope, ctx);
    registerDataRoutes(scope, ctx);
    registerPlanRoutes(scope, ctx);
  });
  return app;
}
