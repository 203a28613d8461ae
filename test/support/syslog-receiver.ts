/**
 * Real syslog receivers for the logging integration tests: a UDP socket, a TCP server with
 * RFC 6587 octet-counting de-framing, a UNIX datagram socket (via unix-dgram) and a UNIX
 * stream socket with NUL-separated messages; plus RFC 3164 / 5424 parsers and a polling wait.
 */
import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { waitFor as pollUntil } from './wait.js';

export interface Receiver {
  messages: string[];
  port: number;
  stop(): Promise<void>;
}

/** The shared polling wait, with the argument order and the fast poll the syslog tests use. */
export function waitFor(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  return pollUntil(cond, timeoutMs, what, 20);
}

export async function udpReceiver(): Promise<Receiver> {
  const socket = createSocket('udp4');
  const messages: string[] = [];
  socket.on('message', (msg) => messages.push(msg.toString('utf8')));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  return {
    messages,
    port,
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** Split an RFC 6587 octet-counted byte stream into messages (frames may span chunks). */
export function octetDeframer(onMessage: (m: string) => void): (chunk: Buffer) => void {
  let buffer = Buffer.alloc(0);
  return (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const space = buffer.indexOf(0x20);
      if (space < 0) return;
      const length = Number(buffer.subarray(0, space).toString('ascii'));
      if (!Number.isInteger(length))
        throw new Error(`bad frame header: ${buffer.subarray(0, space).toString()}`);
      if (buffer.length < space + 1 + length) return;
      onMessage(buffer.subarray(space + 1, space + 1 + length).toString('utf8'));
      buffer = buffer.subarray(space + 1 + length);
    }
  };
}

function serverReceiver(
  listen: (server: Server) => Promise<number>,
  nulFramed: boolean,
): Promise<Receiver> {
  const messages: string[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let pending = '';
    const deframe = octetDeframer((m) => messages.push(m));
    socket.on('data', (chunk: Buffer) => {
      if (!nulFramed) return deframe(chunk);
      pending += chunk.toString('utf8');
      const parts = pending.split('\0');
      pending = parts.pop() ?? '';
      messages.push(...parts);
    });
  });
  return listen(server).then((port) => ({
    messages,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  }));
}

export function tcpReceiver(port = 0): Promise<Receiver> {
  return serverReceiver(
    (server) =>
      new Promise((resolve) =>
        server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
      ),
    false,
  );
}

export function unixStreamReceiver(path: string): Promise<Receiver> {
  return serverReceiver(
    (server) => new Promise((resolve) => server.listen(path, () => resolve(0))),
    true,
  );
}

interface DgramSocket {
  on(event: 'error', l: (e: Error) => void): void;
  bind(path: string): void;
  close(): void;
}
interface DgramModule {
  createSocket(type: 'unix_dgram', listener: (msg: Buffer) => void): DgramSocket;
}

export function unixDgramReceiver(path: string): Receiver {
  const mod = createRequire(import.meta.url)('unix-dgram') as DgramModule;
  const messages: string[] = [];
  const socket = mod.createSocket('unix_dgram', (msg) => messages.push(msg.toString('utf8')));
  let error: Error | null = null;
  socket.on('error', (e) => {
    error = e;
  });
  socket.bind(path);
  if (error) throw error;
  return {
    messages,
    port: 0,
    stop: () => {
      socket.close();
      return Promise.resolve();
    },
  };
}

export interface Parsed3164 {
  pri: number;
  timestamp: string;
  hostname: string | null;
  tag: string;
  pid: number;
  body: string;
}

export function parse3164(message: string): Parsed3164 {
  const m =
    /^<(\d{1,3})>([A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}) (?:(\S+) )?([\w-]+)\[(\d+)\]: (.*)$/s.exec(
      message,
    );
  if (!m) throw new Error(`not RFC 3164: ${JSON.stringify(message)}`);
  return {
    pri: Number(m[1]),
    timestamp: m[2] ?? '',
    hostname: m[3] ?? null,
    tag: m[4] ?? '',
    pid: Number(m[5]),
    body: m[6] ?? '',
  };
}

export interface Parsed5424 {
  pri: number;
  version: number;
  timestamp: string;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  sd: Record<string, Record<string, string>>;
  body: string;
}

/** A strict-enough RFC 5424 parser: header, structured data with escapes, message. */
export function parse5424(message: string): Parsed5424 {
  const head = /^<(\d{1,3})>(\d) (\S+) (\S+) (\S+) (\S+) (\S+) /.exec(message);
  if (!head) throw new Error(`not RFC 5424: ${JSON.stringify(message)}`);
  let rest = message.slice(head[0].length);
  const sd: Record<string, Record<string, string>> = {};
  if (rest.startsWith('-')) rest = rest.slice(1);
  else {
    while (rest.startsWith('[')) {
      const idEnd = rest.search(/[ \]]/);
      const sdId = rest.slice(1, idEnd);
      const params: Record<string, string> = {};
      let i = idEnd;
      while (rest[i] === ' ') {
        const eq = rest.indexOf('="', i);
        const name = rest.slice(i + 1, eq);
        let value = '';
        let j = eq + 2;
        for (; rest[j] !== '"'; j++) {
          if (j >= rest.length) throw new Error('unterminated PARAM-VALUE');
          if (rest[j] === '\\' && ['"', '\\', ']'].includes(rest[j + 1] ?? '')) j++;
          value += rest[j];
        }
        params[name] = value;
        i = j + 1;
      }
      if (rest[i] !== ']') throw new Error(`bad SD-ELEMENT at ${i}: ${rest}`);
      sd[sdId] = params;
      rest = rest.slice(i + 1);
    }
  }
  if (rest.startsWith(' ')) rest = rest.slice(1);
  return {
    pri: Number(head[1]),
    version: Number(head[2]),
    timestamp: head[3] ?? '',
    hostname: head[4] ?? '',
    appName: head[5] ?? '',
    procId: head[6] ?? '',
    msgId: head[7] ?? '',
    sd,
    body: rest,
  };
}
