/**
 * One client connection of the NUT simulator: splits request lines, answers each in order
 * with upsd's reply shapes and `ERR` codes, and applies the fault switches per UPS. Replies
 * go through an ordered write chain so split or delayed replies never overtake each other.
 */
import net from 'node:net';
import tls from 'node:tls';
import { LineSplitter, quote, tokenize } from '../nut/protocol.js';

export interface SimFaults {
  /** Send every reply in small random chunks (1..7 bytes), one event-loop turn apart. */
  splitReplies: boolean;
  /** Requests about these UPSes are never answered. */
  silentUps: Set<string>;
  /** Requests about these UPSes get a garbage line. */
  garbageUps: Set<string>;
  /** Requests about these UPSes get `ERR DATA-STALE`. */
  staleUps: Set<string>;
  /** Requests about these UPSes get `ERR DRIVER-NOT-CONNECTED`. */
  driverGone: Set<string>;
  /** Delay before every reply (slow upsd). */
  replyDelayMs: number;
}

/** What a session reads from and reports to the server. */
export interface SimModel {
  countRequest(): void;
  /** Reports how many requests of this connection await their reply (pipelining check). */
  reportInFlight(count: number): void;
  hasUps(ups: string): boolean;
  listUps(): Array<[string, string]>;
  listVarReply(ups: string): string | null;
  getVar(ups: string, name: string): string | undefined;
  setVars(ups: string, vars: Readonly<Record<string, string>>): void;
  commands(ups: string): string[];
  checkUser(username: string, password: string): boolean;
  recordControl(entry: string): void;
  tlsContext(): { key: string | Buffer; cert: string | Buffer } | null;
}

export const SIM_VERSION_LINE = 'Network UPS Tools upsd 2.8.0 - eneru simulator';
export const GARBAGE_LINE = '\u0001\u00ff garbage "unterminated';

const err = (code: string): string => `ERR ${code}\n`;

export class SimSession {
  private socket: net.Socket;
  private readonly splitter = new LineSplitter();
  private writes: Promise<void> = Promise.resolve();
  private username: string | null = null;
  private password: string | null = null;
  private tlsActive = false;
  private inFlight = 0;

  constructor(
    private readonly model: SimModel,
    private readonly faults: SimFaults,
    socket: net.Socket,
  ) {
    this.socket = socket;
  }

  attach(): void {
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  private onData(chunk: Buffer): void {
    let lines: string[];
    try {
      lines = this.splitter.push(chunk);
    } catch {
      this.send(err('TOO-LONG'));
      this.socket.end();
      return;
    }
    for (const line of lines) {
      if (line.trim() === '') continue;
      this.model.countRequest();
      this.inFlight += 1;
      this.model.reportInFlight(this.inFlight);
      let words: string[];
      try {
        words = tokenize(line);
      } catch {
        this.send(err('INVALID-ARGUMENT'));
        continue;
      }
      if (this.handle(words) === 'starttls') return;
    }
  }

  /** Answers one request; returns 'starttls' when the socket is being upgraded. */
  private handle(words: string[]): 'starttls' | void {
    const [verb = '', a, b, c, d] = words;
    switch (verb.toUpperCase()) {
      case 'VER':
        return this.send(`${SIM_VERSION_LINE}\n`);
      case 'NETVER':
        return this.send('1.3\n');
      case 'HELP':
        return this.send(
          'Commands: HELP VER GET LIST SET INSTCMD LOGIN LOGOUT USERNAME PASSWORD STARTTLS\n',
        );
      case 'LIST':
        return this.list(a ?? '', b, words.length);
      case 'GET':
        if (a !== 'VAR' || b === undefined || c === undefined)
          return this.send(err('INVALID-ARGUMENT'));
        return this.aboutUps(b, () => {
          const value = this.model.getVar(b, c);
          return value === undefined ? err('VAR-NOT-SUPPORTED') : `VAR ${b} ${c} ${quote(value)}\n`;
        });
      case 'USERNAME':
        if (a === undefined) return this.send(err('INVALID-ARGUMENT'));
        if (this.username !== null) return this.send(err('ALREADY-SET-USERNAME'));
        this.username = a;
        return this.send('OK\n');
      case 'PASSWORD':
        if (a === undefined) return this.send(err('INVALID-ARGUMENT'));
        if (this.password !== null) return this.send(err('ALREADY-SET-PASSWORD'));
        this.password = a;
        return this.send('OK\n');
      case 'LOGIN':
        if (a === undefined) return this.send(err('INVALID-ARGUMENT'));
        return this.aboutUps(a, () => 'OK\n');
      case 'LOGOUT':
        this.send('OK Goodbye\n');
        void this.writes.then(() => this.socket.end());
        return;
      case 'INSTCMD':
        if (a === undefined || b === undefined) return this.send(err('INVALID-ARGUMENT'));
        return this.control(a, () => {
          if (!this.model.commands(a).includes(b)) return err('CMD-NOT-SUPPORTED');
          this.model.recordControl(`INSTCMD ${a} ${b}`);
          return 'OK\n';
        });
      case 'SET':
        if (a !== 'VAR' || b === undefined || c === undefined || d === undefined)
          return this.send(err('INVALID-ARGUMENT'));
        return this.control(b, () => {
          if (this.model.getVar(b, c) === undefined) return err('VAR-NOT-SUPPORTED');
          this.model.setVars(b, { [c]: d });
          this.model.recordControl(`SET VAR ${b} ${c} ${d}`);
          return 'OK\n';
        });
      case 'STARTTLS':
        return this.startTls();
      default:
        return this.send(err('UNKNOWN-COMMAND'));
    }
  }

  private list(kind: string, ups: string | undefined, count: number): void {
    if (kind === 'UPS' && count === 2) {
      let reply = 'BEGIN LIST UPS\n';
      for (const [name, desc] of this.model.listUps()) reply += `UPS ${name} ${quote(desc)}\n`;
      return this.send(`${reply}END LIST UPS\n`);
    }
    if (ups === undefined || count !== 3) return this.send(err('INVALID-ARGUMENT'));
    if (kind === 'VAR')
      return this.aboutUps(ups, () => this.model.listVarReply(ups) ?? err('UNKNOWN-UPS'));
    if (kind === 'CMD') {
      return this.aboutUps(ups, () => {
        const body = this.model
          .commands(ups)
          .map((cmd) => `CMD ${ups} ${cmd}\n`)
          .join('');
        return `BEGIN LIST CMD ${ups}\n${body}END LIST CMD ${ups}\n`;
      });
    }
    return this.send(err('INVALID-ARGUMENT'));
  }

  /** Applies the per-UPS faults, then the UPS-existence check, then builds the reply. */
  private aboutUps(ups: string, reply: () => string): void {
    if (this.faults.silentUps.has(ups)) {
      this.inFlight -= 1;
      return;
    }
    if (this.faults.garbageUps.has(ups)) return this.send(`${GARBAGE_LINE}\n`);
    if (!this.model.hasUps(ups)) return this.send(err('UNKNOWN-UPS'));
    if (this.faults.driverGone.has(ups)) return this.send(err('DRIVER-NOT-CONNECTED'));
    if (this.faults.staleUps.has(ups)) return this.send(err('DATA-STALE'));
    this.send(reply());
  }

  private control(ups: string, reply: () => string): void {
    if (this.username === null) return this.send(err('USERNAME-REQUIRED'));
    if (this.password === null) return this.send(err('PASSWORD-REQUIRED'));
    if (!this.model.checkUser(this.username, this.password)) return this.send(err('ACCESS-DENIED'));
    this.aboutUps(ups, reply);
  }

  private startTls(): 'starttls' | void {
    const context = this.model.tlsContext();
    if (!context) return this.send(err('FEATURE-NOT-CONFIGURED'));
    if (this.tlsActive) return this.send(err('ALREADY-SSL-MODE'));
    const plain = this.socket;
    plain.removeAllListeners('data');
    this.tlsActive = true;
    void this.writes.then(() => {
      plain.write('OK STARTTLS\n');
      this.inFlight -= 1;
      const secure = new tls.TLSSocket(plain, {
        isServer: true,
        key: context.key,
        cert: context.cert,
      });
      secure.on('error', () => plain.destroy());
      this.socket = secure;
      this.splitter.reset();
      this.attach();
    });
    return 'starttls';
  }

  /** Queues a reply behind earlier ones, applying the delay / split-chunk faults. */
  private send(text: string): void {
    const delayMs = this.faults.replyDelayMs;
    const split = this.faults.splitReplies;
    if (delayMs <= 0 && !split) {
      this.writes = this.writes.then(() => this.write(text, true));
      return;
    }
    this.writes = this.writes.then(async () => {
      if (delayMs > 0) await pause(delayMs);
      if (!split) return this.write(text, true);
      const data = Buffer.from(text, 'utf8');
      for (let i = 0; i < data.length;) {
        const size = 1 + Math.floor(Math.random() * 7);
        this.write(data.subarray(i, i + size), i + size >= data.length);
        i += size;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    });
  }

  /** `last` marks the final bytes of a reply: the request is then answered. */
  private write(data: string | Buffer, last: boolean): void {
    if (last) this.inFlight -= 1;
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(data);
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
