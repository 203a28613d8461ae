/**
 * The listening side of the API: binds the app, applies the socket limits (64 connections, 10 s
 * header/idle timeouts, backlog 128) and logs the original's startup notices. A bind failure is
 * a warning and `start()` resolves null, so monitoring always continues without the API;
 * `stop()` drains in-flight requests, then cuts stragglers, and never throws.
 */
import type { FastifyInstance } from 'fastify';
import { buildHttpApp, HTTP_LIMITS } from './app.js';
import { resolveDeps, type HttpDeps } from './deps.js';

export interface HttpServerOptions {
  bind: string;
  port: number;
  /** How long `stop()` waits for in-flight requests before closing every socket. */
  drainMs?: number;
}

const LOOPBACK_BINDS = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopbackBind(bind: string): boolean {
  return LOOPBACK_BINDS.has(bind.trim().toLowerCase());
}

export class HttpServer {
  private app: FastifyInstance | null = null;

  constructor(
    private readonly deps: HttpDeps,
    private readonly options: HttpServerOptions,
  ) {}

  async start(): Promise<{ address: string; port: number } | null> {
    if (this.app) return this.boundAddress();
    const { logger } = this.deps;
    const app = buildHttpApp(this.deps);
    app.server.maxConnections = HTTP_LIMITS.maxConnections;
    app.server.headersTimeout = HTTP_LIMITS.timeoutMs;
    try {
      await app.listen({ host: this.options.bind, port: this.options.port, backlog: 128 });
    } catch (error) {
      logger.warn(
        `API server could not listen on ${this.options.bind}:${this.options.port}: ${error instanceof Error ? error.message : String(error)} — monitoring continues without the API`,
      );
      await app.close().catch((closeError: unknown) => {
        logger.debug(`API server cleanup after bind failure: ${String(closeError)}`);
      });
      return null;
    }
    this.app = app;
    const bound = this.boundAddress();
    logger.info(`API server listening on ${this.options.bind}:${bound?.port ?? this.options.port}`);
    this.logExposureNotices();
    return bound;
  }

  async stop(): Promise<void> {
    const app = this.app;
    this.app = null;
    if (!app) return;
    const drainMs = this.options.drainMs ?? 5_000;
    let timer: NodeJS.Timeout | undefined;
    const cut = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        app.server.closeAllConnections();
        resolve();
      }, drainMs);
    });
    try {
      await Promise.race([app.close(), cut]);
    } catch (error) {
      this.deps.logger.warn(
        `API server stop: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      clearTimeout(timer);
    }
  }

  private boundAddress(): { address: string; port: number } | null {
    const address = this.app?.server.address();
    if (!address || typeof address === 'string') return null;
    return { address: address.address, port: address.port };
  }

  private logExposureNotices(): void {
    const { logger } = this.deps;
    const auth = resolveDeps(this.deps).auth();
    if (!isLoopbackBind(this.options.bind)) {
      logger.warn(
        `API is bound to non-loopback address ${this.options.bind}: it serves PLAIN HTTP, so requests and ` +
          'responses travel unencrypted. Put a TLS reverse proxy in front of it for remote access.',
      );
    }
    if (auth.active) {
      logger.warn(
        'API auth is active but sign-in is not available in this eneru version: write endpoints answer 401' +
          (auth.requireForReads
            ? ' and reads require a credential (only /health, /ready and /api/v1/auth/state stay open).'
            : '; reads stay open (set api.auth.require_for_reads to close them).'),
      );
      return;
    }
    if (!isLoopbackBind(this.options.bind)) {
      logger.warn(
        'API auth disabled: Write endpoints are disabled (403) and /api/v1/config returns a sanitized view, ' +
          'but status, history, events and metrics are readable by anyone who can reach this port.',
      );
      return;
    }
    logger.info(
      'API auth disabled: the API is read-only (write endpoints answer 403) and /api/v1/config ' +
        'returns a sanitized view.',
    );
  }
}
