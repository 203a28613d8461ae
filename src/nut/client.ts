/**
 * NutClient: one persistent connection to one upsd, shared by every UPS it serves. NUT has no
 * request ids, so requests go through a depth-1 queue. Guarantees: every request settles —
 * by its reply, its `ERR`, its deadline (`TIMEOUT`, socket destroyed, queued requests rejected
 * with `CONNECTION`) or `close()`; the connection opens lazily and, after a failed attempt,
 * is retried with exponential backoff while requests in the window fail fast.
 */
import { NutError, toNutError } from './errors.js';
import type { NutConnection } from './connection.js';
import { encodeCommand } from './protocol.js';
import { expectOk, parseCmdList, parseGetVar, parseUpsList, type ReplyShape } from './replies.js';
import { ReconnectBackoff } from './backoff.js';
import { parseVarList } from './var-list.js';
import { openSession, type NutTlsMode } from './session.js';
import { formatEndpoint } from './target.js';

export interface NutClientOptions {
  host: string;
  port: number;
  tls: NutTlsMode;
  caFile?: string | null;
  /**
   * SHA-256 fingerprint of upsd's certificate (hex, colons optional). When set, TLS pins that
   * certificate instead of verifying it against a CA (self-signed appliances).
   */
  certFingerprint?: string | null;
  username?: string | null;
  password?: string | null;
  /** Deadline per request, connection set-up included. */
  requestTimeoutMs: number;
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  onLog?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

/** setTimeout's limit; larger values fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Job {
  words: string[];
  shape: ReplyShape;
  what: string;
  signal: AbortSignal | undefined;
  resolve: (lines: string[]) => void;
  reject: (err: NutError) => void;
}

export class NutClient {
  readonly endpoint: string;
  private conn: NutConnection | null = null;
  private readonly queue: Job[] = [];
  private active: { job: Job; controller: AbortController } | null = null;
  private readonly backoff: ReconnectBackoff;
  private closed = false;

  constructor(private readonly opts: NutClientOptions) {
    this.endpoint = formatEndpoint(opts.host, opts.port);
    this.backoff = new ReconnectBackoff(opts.reconnectInitialMs, opts.reconnectMaxMs);
    const timeout = opts.requestTimeoutMs;
    if (!Number.isFinite(timeout) || timeout <= 0 || timeout > MAX_TIMER_MS) {
      throw new NutError(
        'INVALID-ARGUMENT',
        `requestTimeoutMs for ${this.endpoint} must be a number of milliseconds in 1..${MAX_TIMER_MS}, got ${timeout}`,
      );
    }
  }

  get connected(): boolean {
    return this.conn?.alive ?? false;
  }

  /** `previous`: this UPS's variables from the last read, reused where equal (`parseVarList`). */
  async listVars(
    ups: string,
    signal?: AbortSignal,
    previous?: Readonly<Record<string, string>>,
  ): Promise<Readonly<Record<string, string>>> {
    const what = `LIST VAR ${ups}`;
    try {
      const lines = await this.request(['LIST', 'VAR', ups], 'list', what, signal);
      return parseVarList(lines, ups, `${this.endpoint}, ${what}`, previous);
    } catch (err) {
      throw await this.explainUnknownUps(err, ups, signal);
    }
  }

  async getVar(ups: string, name: string, signal?: AbortSignal): Promise<string> {
    const what = `GET VAR ${ups} ${name}`;
    try {
      const lines = await this.request(['GET', 'VAR', ups, name], 'line', what, signal);
      return parseGetVar(lines, ups, name, `${this.endpoint}, ${what}`);
    } catch (err) {
      throw await this.explainUnknownUps(err, ups, signal);
    }
  }

  /** UPS name → description, as `LIST UPS` reports them. */
  async listUps(signal?: AbortSignal): Promise<Record<string, string>> {
    const lines = await this.request(['LIST', 'UPS'], 'list', 'LIST UPS', signal);
    return parseUpsList(lines, `${this.endpoint}, LIST UPS`);
  }

  async listCommands(ups: string, signal?: AbortSignal): Promise<string[]> {
    const what = `LIST CMD ${ups}`;
    const lines = await this.request(['LIST', 'CMD', ups], 'list', what, signal);
    return parseCmdList(lines, ups, `${this.endpoint}, ${what}`);
  }

  /** `INSTCMD`; upsd requires USERNAME/PASSWORD on the connection (no LOGIN needed). */
  async instCmd(ups: string, command: string, signal?: AbortSignal): Promise<void> {
    const what = `INSTCMD ${ups} ${command}`;
    this.requireCredentials(what);
    expectOk(
      await this.request(['INSTCMD', ups, command], 'line', what, signal),
      `${this.endpoint}, ${what}`,
    );
  }

  async setVar(ups: string, name: string, value: string, signal?: AbortSignal): Promise<void> {
    const what = `SET VAR ${ups} ${name}`;
    this.requireCredentials(what);
    expectOk(
      await this.request(['SET', 'VAR', ups, name, value], 'line', what, signal),
      `${this.endpoint}, ${what}`,
    );
  }

  /** Rejects queued and in-flight requests, closes the socket. Never throws. */
  async close(): Promise<void> {
    this.closed = true;
    const reason = new NutError('CONNECTION', `NUT client for ${this.endpoint} was closed`);
    for (const job of this.queue.splice(0)) job.reject(reason);
    this.active?.controller.abort(reason);
    const conn = this.conn;
    this.conn = null;
    if (conn) await conn.destroy(reason);
  }

  private request(
    words: string[],
    shape: ReplyShape,
    what: string,
    signal?: AbortSignal,
  ): Promise<string[]> {
    return new Promise<string[]>((resolve, reject) => {
      if (this.closed) {
        reject(new NutError('CONNECTION', `NUT client for ${this.endpoint} is closed (${what})`));
        return;
      }
      const aborted = (): NutError =>
        new NutError('ABORTED', `${what} to upsd at ${this.endpoint} was aborted by the caller`, {
          cause: signal?.reason,
        });
      if (signal?.aborted) {
        reject(aborted());
        return;
      }
      // A caller giving up while still queued leaves the queue at once; the connection is untouched.
      const onQueuedAbort = (): void => {
        const index = this.queue.indexOf(job);
        if (index < 0) return;
        this.queue.splice(index, 1);
        reject(aborted());
      };
      const job: Job = {
        words,
        shape,
        what,
        signal,
        resolve: (lines) => {
          signal?.removeEventListener('abort', onQueuedAbort);
          resolve(lines);
        },
        reject: (err) => {
          signal?.removeEventListener('abort', onQueuedAbort);
          reject(err);
        },
      };
      signal?.addEventListener('abort', onQueuedAbort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  private pump(): void {
    if (this.active) return;
    const job = this.queue.shift();
    if (!job) return;
    void this.run(job).finally(() => {
      this.active = null;
      this.pump();
    });
  }

  private async run(job: Job): Promise<void> {
    if (job.signal?.aborted) {
      job.reject(
        new NutError(
          'ABORTED',
          `${job.what} to upsd at ${this.endpoint} was aborted by the caller`,
        ),
      );
      return;
    }
    const controller = new AbortController();
    this.active = { job, controller };
    const timeoutMs = this.opts.requestTimeoutMs;
    const timer = setTimeout(() => {
      controller.abort(
        new NutError(
          'TIMEOUT',
          `no reply from upsd at ${this.endpoint} within ${timeoutMs} ms to ${job.what}`,
        ),
      );
    }, timeoutMs);
    const onCallerAbort = (): void => {
      controller.abort(
        new NutError(
          'ABORTED',
          `${job.what} to upsd at ${this.endpoint} was aborted by the caller`,
        ),
      );
    };
    job.signal?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      const conn = await this.connection(controller.signal);
      const lines = await conn.exchange(encodeCommand(job.words), job.shape, controller.signal);
      job.resolve(lines);
    } catch (raw) {
      const err = toNutError(raw, 'CONNECTION', `${job.what} to upsd at ${this.endpoint}`);
      if (!err.fromServer) await this.dropConnection(err);
      if (err.code === 'TIMEOUT') this.abandonQueue(err);
      job.reject(err);
    } finally {
      clearTimeout(timer);
      job.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  private async connection(signal: AbortSignal): Promise<NutConnection> {
    if (this.conn?.alive) return this.conn;
    this.conn = null;
    const waitMs = this.backoff.waitMs(Date.now());
    if (waitMs > 0) {
      const inSec = (waitMs / 1000).toFixed(1);
      throw new NutError(
        'CONNECTION',
        `upsd at ${this.endpoint} is unreachable (${this.backoff.lastFailure}); next attempt in ${inSec} s`,
      );
    }
    try {
      const conn = await openSession({ ...this.opts, endpoint: this.endpoint }, signal);
      if (this.closed) {
        await conn.destroy();
        throw new NutError('CONNECTION', `NUT client for ${this.endpoint} was closed`);
      }
      if (this.backoff.failing) this.log('info', `reconnected to upsd at ${this.endpoint}`);
      else this.log('debug', `connected to upsd at ${this.endpoint}`);
      this.backoff.succeeded();
      this.conn = conn;
      return conn;
    } catch (raw) {
      const err = toNutError(raw, 'CONNECTION', `cannot connect to upsd at ${this.endpoint}`);
      if (err.code === 'ABORTED' || this.closed) throw err;
      const backoffMs = this.backoff.failed(Date.now(), err.message);
      this.log('warn', `${err.message}; retrying in ${(backoffMs / 1000).toFixed(1)} s`);
      throw err;
    }
  }

  private async dropConnection(reason: NutError): Promise<void> {
    const conn = this.conn;
    this.conn = null;
    if (conn) {
      this.log('debug', `dropping connection to upsd at ${this.endpoint}: ${reason.message}`);
      await conn.destroy(reason);
    }
  }

  private abandonQueue(cause: NutError): void {
    for (const job of this.queue.splice(0)) {
      const message = `${job.what} to upsd at ${this.endpoint} abandoned: the connection was reset after a timeout`;
      job.reject(new NutError('CONNECTION', message, { cause }));
    }
  }

  private requireCredentials(what: string): void {
    if (!this.opts.username || !this.opts.password) {
      throw new NutError(
        'USERNAME-REQUIRED',
        `${what} on upsd at ${this.endpoint} needs nut username and password`,
      );
    }
  }

  /** Turns `ERR UNKNOWN-UPS` into a message naming the UPSes this upsd does serve. */
  private async explainUnknownUps(
    err: unknown,
    ups: string,
    signal?: AbortSignal,
  ): Promise<unknown> {
    if (!(err instanceof NutError) || err.code !== 'UNKNOWN-UPS') return err;
    let available: string;
    try {
      const names = Object.keys(await this.listUps(signal));
      available = names.length > 0 ? names.sort().join(', ') : 'none';
    } catch (listErr) {
      available = `unknown: LIST UPS failed: ${listErr instanceof Error ? listErr.message : String(listErr)}`;
    }
    return new NutError(
      'UNKNOWN-UPS',
      `UPS '${ups}' is not served by ${this.endpoint} (available: ${available})`,
      {
        cause: err,
        fromServer: true,
      },
    );
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
    this.opts.onLog?.(level, message);
  }
}
