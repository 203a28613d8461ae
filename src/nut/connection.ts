/**
 * One TCP (optionally TLS-upgraded) connection to upsd carrying one exchange at a time. It
 * frames replies with the line splitter, completes an exchange when the whole reply (a line or
 * a full LIST block) has arrived, and fails the exchange — never leaves it pending — when the
 * socket closes, errors, sends garbage, or the caller's signal aborts (which destroys the
 * socket, since a late reply would desynchronise the stream).
 */
import net from 'node:net';
import tls from 'node:tls';
import { NutError } from './errors.js';
import { LineSplitter, preview } from './protocol.js';
import { replyComplete, type ReplyShape } from './replies.js';

const CLOSE_WAIT_MS = 1000;

/** What a TLS upgrade trusts: a CA bundle (else the system store), or a pinned certificate. */
export interface TlsTrust {
  ca: Buffer | null;
  /** SHA-256 fingerprint of upsd's certificate, hex with or without colons. */
  fingerprint256: string | null;
}

/** `aa:BB:cc...` / `AABBCC...` → `AABBCC...`, so any common spelling compares equal. */
export function normalizeFingerprint(text: string): string {
  return text.replace(/[\s:]/g, '').toUpperCase();
}

interface Exchange {
  shape: ReplyShape;
  lines: string[];
  resolve: (lines: string[]) => void;
  reject: (err: NutError) => void;
}

export class NutConnection {
  private socket: net.Socket;
  /** The TCP socket under a TLS upgrade, destroyed with it. */
  private readonly raw: net.Socket;
  private readonly splitter = new LineSplitter();
  private current: Exchange | null = null;
  private dead: NutError | null = null;
  private readonly closed: Promise<void>;
  private markClosed: () => void = () => undefined;

  private constructor(
    socket: net.Socket,
    private readonly endpoint: string,
  ) {
    this.socket = socket;
    this.raw = socket;
    this.closed = new Promise((resolve) => {
      this.markClosed = resolve;
    });
    this.attach(socket);
  }

  /** Opens the TCP connection; resolves once connected, rejects with CONNECTION or the abort reason. */
  static open(
    host: string,
    port: number,
    endpoint: string,
    signal: AbortSignal,
  ): Promise<NutConnection> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(abortReason(signal, endpoint));
        return;
      }
      const socket = net.connect({ host, port });
      const onAbort = (): void => {
        socket.destroy();
        reject(abortReason(signal, endpoint));
      };
      const onError = (err: Error): void => {
        signal.removeEventListener('abort', onAbort);
        socket.destroy();
        reject(
          new NutError('CONNECTION', `cannot connect to upsd at ${endpoint}: ${describe(err)}`, {
            cause: err,
          }),
        );
      };
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('error', onError);
      socket.once('connect', () => {
        signal.removeEventListener('abort', onAbort);
        socket.removeListener('error', onError);
        socket.setNoDelay(true);
        socket.setKeepAlive(true, 30_000);
        resolve(new NutConnection(socket, endpoint));
      });
    });
  }

  get alive(): boolean {
    return this.dead === null;
  }

  /** Sends one command line and collects its whole reply. */
  exchange(command: string, shape: ReplyShape, signal: AbortSignal): Promise<string[]> {
    if (this.dead) return Promise.reject(this.dead);
    if (this.current) {
      return Promise.reject(
        new NutError('PROTOCOL', `internal: overlapping requests on ${this.endpoint}`),
      );
    }
    if (signal.aborted) return Promise.reject(abortReason(signal, this.endpoint));
    return new Promise<string[]>((resolve, reject) => {
      const onAbort = (): void => {
        const reason = abortReason(signal, this.endpoint);
        this.fail(reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.current = {
        shape,
        lines: [],
        resolve: (lines) => {
          signal.removeEventListener('abort', onAbort);
          resolve(lines);
        },
        reject: (err) => {
          signal.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      this.socket.write(command);
    });
  }

  /**
   * Replaces the plain socket by a TLS one after upsd answered `OK STARTTLS`. Verifies the
   * certificate against `ca` (or the system store) and the host name.
   */
  upgradeTls(host: string, trust: TlsTrust, signal: AbortSignal): Promise<void> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('error');
    plain.removeAllListeners('close');
    plain.on('error', (err: Error) => {
      this.fail(
        new NutError(
          'CONNECTION',
          `connection to upsd at ${this.endpoint} failed: ${describe(err)}`,
          {
            cause: err,
          },
        ),
      );
    });
    return new Promise((resolve, reject) => {
      const pinned = trust.fingerprint256 ? normalizeFingerprint(trust.fingerprint256) : null;
      // A pinned certificate replaces CA verification (self-signed appliance certificates).
      const options: tls.ConnectionOptions = { socket: plain, rejectUnauthorized: pinned === null };
      if (net.isIP(host) === 0) options.servername = host;
      if (trust.ca) options.ca = trust.ca;
      const secure = tls.connect(options);
      this.socket = secure;
      const onAbort = (): void => {
        const reason = abortReason(signal, this.endpoint);
        this.fail(reason);
        reject(reason);
      };
      const onError = (err: Error): void => {
        signal.removeEventListener('abort', onAbort);
        const failure = new NutError(
          'TLS',
          `TLS handshake with upsd at ${this.endpoint} failed: ${describe(err)}`,
          {
            cause: err,
          },
        );
        this.fail(failure);
        reject(failure);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      secure.once('error', onError);
      secure.once('secureConnect', () => {
        const presented = normalizeFingerprint(secure.getPeerCertificate().fingerprint256 ?? '');
        if (pinned !== null && presented !== pinned) {
          onError(
            new Error(
              `certificate fingerprint ${presented || 'missing'} is not the pinned ${pinned}`,
            ),
          );
          return;
        }
        signal.removeEventListener('abort', onAbort);
        secure.removeListener('error', onError);
        this.attach(secure);
        resolve();
      });
    });
  }

  /** Destroys the socket and fails any exchange in flight; resolves once the socket closed. */
  destroy(reason?: NutError): Promise<void> {
    this.fail(
      reason ??
        new NutError('CONNECTION', `connection to upsd at ${this.endpoint} was closed locally`),
    );
    // A destroyed socket always emits 'close'; the bound only guards against a runtime quirk.
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_WAIT_MS);
    });
    return Promise.race([this.closed, bound]).finally(() => clearTimeout(timer));
  }

  private attach(socket: net.Socket): void {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err: Error) => {
      this.fail(
        new NutError(
          'CONNECTION',
          `connection to upsd at ${this.endpoint} failed: ${describe(err)}`,
          { cause: err },
        ),
      );
    });
    socket.on('close', () => {
      this.fail(new NutError('CONNECTION', `upsd at ${this.endpoint} closed the connection`));
      this.markClosed();
    });
  }

  private onData(chunk: Buffer): void {
    let lines: string[];
    try {
      lines = this.splitter.push(chunk);
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      this.fail(
        new NutError('PROTOCOL', `upsd at ${this.endpoint} sent garbage: ${detail}`, {
          cause: err,
        }),
      );
      return;
    }
    for (const line of lines) {
      const exchange = this.current;
      if (!exchange) {
        this.fail(
          new NutError(
            'PROTOCOL',
            `upsd at ${this.endpoint} sent an unsolicited line: ${preview(line)}`,
          ),
        );
        return;
      }
      exchange.lines.push(line);
      if (replyComplete(exchange.shape, exchange.lines)) {
        this.current = null;
        exchange.resolve(exchange.lines);
      }
    }
  }

  private fail(reason: NutError): void {
    if (!this.dead) this.dead = reason;
    const exchange = this.current;
    this.current = null;
    for (const socket of new Set([this.socket, this.raw])) {
      if (!socket.destroyed) socket.destroy();
      if (socket.closed) this.markClosed();
      else socket.once('close', () => this.markClosed());
    }
    exchange?.reject(reason);
  }
}

function abortReason(signal: AbortSignal, endpoint: string): NutError {
  const reason: unknown = signal.reason;
  if (reason instanceof NutError) return reason;
  return new NutError('ABORTED', `request to upsd at ${endpoint} was aborted`, { cause: reason });
}

function describe(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
}
