/**
 * Stream syslog transport (TCP, or a UNIX stream socket): connects in the background,
 * reconnects with exponential backoff, and keeps a bounded queue while disconnected (oldest
 * lines dropped first and counted). Sending never blocks the caller and never throws; a slow
 * peer is bounded by the socket's buffered bytes, beyond which lines are dropped.
 */
import type { Socket } from 'node:net';
import { failureTracker, type Report, type SyslogTransport } from './syslog-transport.js';
import { LoggingError } from './errors.js';

export interface StreamTransportOptions {
  /** Human-readable target for warnings (`tcp://host:514`, `unix:///dev/log`). */
  target: string;
  connect: () => Socket;
  /** Framing: RFC 6587 octet counting for TCP, a NUL terminator for UNIX stream sockets. */
  frame: (message: Buffer) => Buffer;
  maxQueue?: number;
  maxBufferedBytes?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  closeWaitMs?: number;
}

/** RFC 6587 §3.4.1: `<byte length> <message>`. */
export const octetCounting = (message: Buffer): Buffer =>
  Buffer.concat([Buffer.from(`${message.length} `), message]);

export const nulTerminated = (message: Buffer): Buffer =>
  Buffer.concat([message, Buffer.from([0])]);

export function createStreamTransport(
  opts: StreamTransportOptions,
  report: Report,
): SyslogTransport {
  const maxQueue = opts.maxQueue ?? 1000;
  const maxBufferedBytes = opts.maxBufferedBytes ?? 1024 * 1024;
  const minBackoffMs = opts.minBackoffMs ?? 500;
  const maxBackoffMs = opts.maxBackoffMs ?? 30_000;
  const tracker = failureTracker(opts.target, report);
  const queue: Buffer[] = [];
  let socket: Socket | null = null;
  let connected = false;
  let closed = false;
  let backoffMs = minBackoffMs;
  let retry: NodeJS.Timeout | null = null;
  let dropped = 0;

  const enqueue = (frame: Buffer): void => {
    queue.push(frame);
    if (queue.length > maxQueue) {
      queue.shift();
      dropped += 1;
    }
  };

  const flush = (): void => {
    if (dropped > 0) {
      report(
        new LoggingError(
          'SYSLOG_SEND_FAILED',
          `Syslog ${opts.target}: ${dropped} line(s) dropped while unreachable`,
        ),
      );
      dropped = 0;
    }
    while (
      socket !== null &&
      connected &&
      queue.length > 0 &&
      socket.writableLength < maxBufferedBytes
    ) {
      const next = queue.shift();
      if (next) socket.write(next);
    }
  };

  const scheduleReconnect = (): void => {
    if (closed || retry !== null) return;
    retry = setTimeout(() => {
      retry = null;
      open();
    }, backoffMs);
    retry.unref();
    backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
  };

  function open(): void {
    if (closed) return;
    let s: Socket;
    try {
      s = opts.connect();
    } catch (error) {
      tracker.fail('SYSLOG_SEND_FAILED', 'connect failed', error);
      scheduleReconnect();
      return;
    }
    socket = s;
    s.unref();
    s.on('connect', () => {
      connected = true;
      backoffMs = minBackoffMs;
      tracker.ok();
      flush();
    });
    s.on('drain', flush);
    s.on('error', (error) =>
      tracker.fail('SYSLOG_SEND_FAILED', connected ? 'connection lost' : 'connect failed', error),
    );
    s.on('close', () => {
      if (socket === s) {
        socket = null;
        connected = false;
      }
      scheduleReconnect();
    });
  }

  open();
  return {
    send(message) {
      if (closed) return;
      const frame = opts.frame(message);
      if (
        socket !== null &&
        connected &&
        queue.length === 0 &&
        socket.writableLength < maxBufferedBytes
      ) {
        socket.write(frame);
      } else {
        enqueue(frame);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      if (retry !== null) clearTimeout(retry);
      retry = null;
      const s = socket;
      socket = null;
      if (s === null) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          s.destroy();
          resolve();
        }, opts.closeWaitMs ?? 1000);
        s.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        // Deliver what is queued (the daemon's last lines) if the peer is, or is about to be,
        // reachable within the bounded wait; otherwise give up at once.
        const finish = (): void => {
          for (const frame of queue.splice(0)) s.write(frame);
          s.end();
        };
        if (connected) finish();
        else if (s.connecting) s.once('connect', finish);
        else s.destroy();
      });
    },
  };
}
