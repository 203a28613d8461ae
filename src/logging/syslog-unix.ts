/**
 * Local syslog socket transport (`/dev/log` and friends). Node has no AF_UNIX datagram
 * sockets, so the optional native `unix-dgram` package provides them; like Python's
 * SysLogHandler, a socket that turns out to be a stream socket (EPROTOTYPE) is used as one,
 * with NUL-terminated messages. Datagrams are sent unconnected (sendto), so a restarted
 * journald/rsyslog is picked up without reconnect logic. Without the package, only stream
 * sockets work and a warning says why.
 */
import { createRequire } from 'node:module';
import { createConnection } from 'node:net';
import { LoggingError } from './errors.js';
import { createStreamTransport, nulTerminated } from './syslog-stream.js';
import {
  errnoName,
  failureTracker,
  type Report,
  type SyslogTransport,
} from './syslog-transport.js';

/** The part of unix-dgram's socket API used here (the package ships no types). */
export interface UnixDgramSocket {
  on(event: 'error', listener: (error: Error & { code?: unknown }) => void): void;
  on(event: 'message', listener: (message: Buffer) => void): void;
  on(event: 'listening' | 'connect', listener: () => void): void;
  bind(path: string): void;
  connect(path: string): void;
  send(
    buf: Buffer,
    offset: number,
    length: number,
    path: string,
    callback: (error?: Error & { code?: unknown }) => void,
  ): void;
  close(): void;
}
export interface UnixDgramModule {
  createSocket(type: 'unix_dgram', listener?: (message: Buffer) => void): UnixDgramSocket;
}

/** Load unix-dgram, or return why it is unavailable (not installed, native build missing). */
export function loadUnixDgram(): UnixDgramModule | LoggingError {
  try {
    const mod: unknown = createRequire(import.meta.url)('unix-dgram');
    if (
      typeof mod === 'object' &&
      mod !== null &&
      typeof (mod as UnixDgramModule).createSocket === 'function'
    ) {
      return mod as UnixDgramModule;
    }
    return new LoggingError('SYSLOG_UNAVAILABLE', 'the unix-dgram package has an unexpected shape');
  } catch (cause) {
    return new LoggingError(
      'SYSLOG_UNAVAILABLE',
      'UNIX datagram sockets need the optional unix-dgram package',
      {
        cause,
      },
    );
  }
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null
    ? errnoName((error as { code?: unknown }).code)
    : undefined;
}

/** Connect once to learn what the socket is: 'dgram', 'stream' (EPROTOTYPE) or an error. */
function probe(mod: UnixDgramModule, path: string): 'dgram' | 'stream' | Error {
  let result: 'dgram' | 'stream' | Error = 'dgram';
  const socket = mod.createSocket('unix_dgram');
  // unix-dgram emits connect errors synchronously from connect().
  socket.on('error', (error) => {
    result = errorCode(error) === 'EPROTOTYPE' ? 'stream' : error;
  });
  socket.connect(path);
  try {
    socket.close();
  } catch (error) {
    // A probe socket that fails to close leaks one fd; not worth failing syslog over.
    void error;
  }
  return result;
}

function streamTransport(path: string, report: Report): SyslogTransport {
  return createStreamTransport(
    { target: `unix://${path}`, connect: () => createConnection({ path }), frame: nulTerminated },
    report,
  );
}

function describe(error: Error): string {
  const name = errorCode(error);
  return name ? `${name} (${error.message})` : error.message;
}

/**
 * `nulTerminate`: append a NUL to each datagram, as the original's SysLogHandler did for its
 * BSD-style lines (receivers strip it). Stream sockets always use NUL as the separator.
 */
export function createUnixTransport(
  path: string,
  report: Report,
  nulTerminate: boolean,
  mod = loadUnixDgram(),
): SyslogTransport {
  if (mod instanceof LoggingError) {
    report(
      new LoggingError(
        'SYSLOG_UNAVAILABLE',
        `Syslog unix://${path}: ${mod.message}; trying it as a stream socket`,
        { cause: mod.cause },
      ),
    );
    return streamTransport(path, report);
  }
  const kind = probe(mod, path);
  if (kind === 'stream') return streamTransport(path, report);
  const tracker = failureTracker(`unix://${path}`, report);
  // Keep going after a failed probe: the syslog daemon may simply not be up yet, and every
  // line retries; the tracker reports the outage once and its end once.
  if (kind instanceof Error)
    tracker.fail('SYSLOG_INIT_FAILED', 'cannot connect', new Error(describe(kind)));
  let socket: UnixDgramSocket | null = mod.createSocket('unix_dgram');
  socket.on('error', (error) =>
    tracker.fail('SYSLOG_SEND_FAILED', 'socket error', new Error(describe(error))),
  );
  return {
    send(payload) {
      if (socket === null) return;
      const message = nulTerminate ? nulTerminated(payload) : payload;
      socket.send(message, 0, message.length, path, (error) => {
        if (error) tracker.fail('SYSLOG_SEND_FAILED', 'send failed', new Error(describe(error)));
        else tracker.ok();
      });
    },
    close() {
      const open = socket;
      socket = null;
      try {
        open?.close();
      } catch (error) {
        // Closing a datagram fd cannot lose data; a failure here has no one left to tell.
        void error;
      }
      return Promise.resolve();
    },
  };
}
