/**
 * Loopback ports for tests: a free one, found by binding port 0 (tests never use fixed ports),
 * and a probe that says when a server started by a test answers on its port.
 */
import { connect, createServer, type Socket } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * True once something accepts a connection on 127.0.0.1:`port` within a second; with
 * `greeting`, only once the server's first bytes pass it (an SSH banner, say).
 */
export function portAnswers(port: number, greeting?: (first: Buffer) => boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    if (greeting) socket.once('data', (data: Buffer) => done(greeting(data)));
    else socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface SilentServer {
  port: number;
  /** How many connections it has accepted so far. */
  accepted(): number;
  /** Drops every connection and closes the listener. */
  close(): Promise<void>;
}

/**
 * A loopback TCP server that accepts connections and never says a word: the peer a client
 * hangs on (a broker or sshd that stopped answering), for tests of prompt stop and abort.
 */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    accepted: () => sockets.length,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
