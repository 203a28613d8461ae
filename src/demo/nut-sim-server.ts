/**
 * NutSimServer: an embedded server speaking NUT's network protocol (the subset eneru uses)
 * for the demo, tests and benchmarks. It reuses the client's quoting code so both sides agree,
 * serves thousands of UPSes to many clients, and injects faults a real upsd cannot produce:
 * replies split into tiny chunks, requests never answered, garbage lines, stale data, a
 * missing driver. `start()` binds 127.0.0.1 (port 0 unless given); `stop()` never throws.
 */
import net from 'node:net';
import { encodeCommand, quote } from '../nut/protocol.js';
import { SimSession, type SimFaults, type SimModel } from './sim-session.js';

export type { SimFaults } from './sim-session.js';

/** Misuse of the simulator's life cycle (a listen failure is the `net` error itself, as `cause`). */
export class SimServerError extends Error {
  override readonly name = 'SimServerError';
  constructor(
    readonly code: 'ALREADY_STARTED' | 'NOT_LISTENING' | 'LISTEN_FAILED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface NutSimServerOptions {
  host?: string;
  port?: number;
  /** Known users (name → password) allowed to run INSTCMD / SET VAR. */
  users?: Record<string, string>;
  /** When set, STARTTLS is offered with this key pair; otherwise it answers FEATURE-NOT-CONFIGURED. */
  tls?: { key: string | Buffer; cert: string | Buffer } | null;
}

interface UpsEntry {
  vars: Map<string, string>;
  description: string;
  commands: string[];
  /** Encoded `LIST VAR` reply, rebuilt lazily after a change (hot path for the benchmarks). */
  listReply: string | null;
}

const DEFAULT_COMMANDS = [
  'beeper.disable',
  'beeper.enable',
  'test.battery.start.quick',
  'test.battery.stop',
];

export class NutSimServer implements SimModel {
  readonly faults: SimFaults = {
    splitReplies: false,
    silentUps: new Set(),
    garbageUps: new Set(),
    staleUps: new Set(),
    driverGone: new Set(),
    replyDelayMs: 0,
  };
  /** Control commands received, in order (`INSTCMD ups cmd`, `SET VAR ups name value`). */
  readonly controlLog: string[] = [];
  private readonly upses = new Map<string, UpsEntry>();
  private readonly sockets = new Set<net.Socket>();
  private server: net.Server | null = null;
  private requests = 0;
  private serverErrors = 0;
  private maxInFlight = 0;

  constructor(private readonly opts: NutSimServerOptions = {}) {}

  async start(): Promise<{ host: string; port: number }> {
    if (this.server) throw new SimServerError('ALREADY_STARTED', 'NutSimServer already started');
    const server = net.createServer((socket) => this.accept(socket));
    server.maxConnections = 10_000;
    const host = this.opts.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) =>
        reject(
          new SimServerError(
            'LISTEN_FAILED',
            `NutSimServer cannot listen on ${host}:${this.opts.port ?? 0}: ${err.message}`,
            { cause: err },
          ),
        ),
      );
      server.listen({ host, port: this.opts.port ?? 0 }, () => {
        server.removeAllListeners('error');
        // Accept failures (EMFILE, ...) must not crash the process hosting the demo.
        server.on('error', () => {
          this.serverErrors += 1;
        });
        resolve();
      });
    });
    this.server = server;
    return this.address();
  }

  address(): { host: string; port: number } {
    const addr = this.server?.address();
    if (!addr || typeof addr === 'string')
      throw new SimServerError('NOT_LISTENING', 'NutSimServer is not listening');
    return { host: addr.address, port: addr.port };
  }

  /** Closes every client connection and the listener; never throws. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.disconnectAll();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Drops every client connection (as an upsd restart would) but keeps listening. */
  disconnectAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  /** Creates the UPS if needed and merges `vars` into its variables. */
  setVars(ups: string, vars: Readonly<Record<string, string>>, description?: string): void {
    let entry = this.upses.get(ups);
    if (!entry) {
      entry = {
        vars: new Map(),
        description: description ?? `Simulated UPS ${ups}`,
        commands: [...DEFAULT_COMMANDS],
        listReply: null,
      };
      this.upses.set(ups, entry);
    } else if (description !== undefined) {
      entry.description = description;
    }
    for (const [name, value] of Object.entries(vars)) entry.vars.set(name, value);
    entry.listReply = null;
  }

  /** Replaces all variables of a UPS. */
  replaceVars(ups: string, vars: Readonly<Record<string, string>>): void {
    this.upses.get(ups)?.vars.clear();
    this.setVars(ups, vars);
  }

  removeUps(ups: string): void {
    this.upses.delete(ups);
  }

  setCommands(ups: string, commands: readonly string[]): void {
    const entry = this.upses.get(ups);
    if (entry) entry.commands = [...commands];
  }

  getVars(ups: string): Record<string, string> | undefined {
    const entry = this.upses.get(ups);
    return entry ? Object.fromEntries(entry.vars) : undefined;
  }

  get upsNames(): string[] {
    return [...this.upses.keys()];
  }

  /** Requests handled since start (all connections). */
  get requestCount(): number {
    return this.requests;
  }

  /**
   * Most requests one connection ever had awaiting their reply at once. A client that
   * honours NUT's one-request-at-a-time rule keeps this at 1.
   */
  get maxInFlightPerConnection(): number {
    return this.maxInFlight;
  }

  /** Listener errors since start (accept failures); the server keeps running. */
  get errorCount(): number {
    return this.serverErrors;
  }

  get connectionCount(): number {
    return this.sockets.size;
  }

  // SimModel: what a session needs to answer requests.
  countRequest(): void {
    this.requests += 1;
  }

  reportInFlight(count: number): void {
    if (count > this.maxInFlight) this.maxInFlight = count;
  }

  hasUps(ups: string): boolean {
    return this.upses.has(ups);
  }

  listUps(): Array<[string, string]> {
    return [...this.upses.entries()].map(([name, e]) => [name, e.description]);
  }

  listVarReply(ups: string): string | null {
    const entry = this.upses.get(ups);
    if (!entry) return null;
    if (entry.listReply === null) {
      let reply = encodeCommand(['BEGIN', 'LIST', 'VAR', ups]);
      for (const [name, value] of entry.vars) reply += varLine(ups, name, value);
      entry.listReply = reply + encodeCommand(['END', 'LIST', 'VAR', ups]);
    }
    return entry.listReply;
  }

  getVar(ups: string, name: string): string | undefined {
    return this.upses.get(ups)?.vars.get(name);
  }

  commands(ups: string): string[] {
    return this.upses.get(ups)?.commands ?? [];
  }

  checkUser(username: string, password: string): boolean {
    const users = this.opts.users;
    return users !== undefined && Object.hasOwn(users, username) && users[username] === password;
  }

  recordControl(entry: string): void {
    this.controlLog.push(entry);
  }

  tlsContext(): { key: string | Buffer; cert: string | Buffer } | null {
    return this.opts.tls ?? null;
  }

  private accept(socket: net.Socket): void {
    if (!this.server) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const session = new SimSession(this, this.faults, socket);
    session.attach();
  }
}

/** `VAR ups name "value"` with the value quoted and escaped exactly as upsd does. */
export function varLine(ups: string, name: string, value: string): string {
  return `VAR ${ups} ${name} ${quote(value)}\n`;
}
