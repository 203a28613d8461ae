// NutClient against a scripted raw TCP server for byte-level faults: an extra unsolicited line,
// a connection closed half-way through a LIST, an endless line without newline, and a reply
// to another UPS than asked. Each must settle with a typed error and leave the client usable.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { LineSplitter, NutClient, NutError } from '../../src/nut/index.js';
import { waitFor } from '../support/nut-sim.js';

type Script = (line: string, socket: net.Socket) => void;

function isNutError(code: string, pattern?: RegExp) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof NutError, `expected NutError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (pattern) assert.match(err.message, pattern);
    return true;
  };
}

describe('NutClient against a scripted raw server', () => {
  let server: net.Server;
  let port = 0;
  let script: Script = () => undefined;
  const sockets = new Set<net.Socket>();
  const clients: NutClient[] = [];
  const client = (): NutClient => {
    const c = new NutClient({ host: '127.0.0.1', port, tls: 'off', requestTimeoutMs: 2000 });
    clients.push(c);
    return c;
  };
  /** Normal answers for what the scripted faults do not cover. */
  const normal: Script = (line, socket) => {
    if (line === 'GET VAR u ups.status') socket.write('VAR u ups.status "OL"\n');
    else socket.write('ERR UNKNOWN-COMMAND\n');
  };

  before(async () => {
    server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      const splitter = new LineSplitter();
      socket.on('data', (chunk: Buffer) => {
        for (const line of splitter.push(chunk)) script(line, socket);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    port = (server.address() as net.AddressInfo).port;
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('an extra line after a complete reply kills that connection; the next request reconnects', async () => {
    script = (line, socket) => {
      if (line === 'GET VAR u x') socket.write('VAR u x "1"\nSURPRISE extra line\n');
      else normal(line, socket);
    };
    const c = client();
    assert.equal(await c.getVar('u', 'x'), '1');
    await waitFor(() => !c.connected, 3000, 'the unsolicited line to drop the connection');
    assert.equal(await c.getVar('u', 'ups.status'), 'OL');
    assert.equal(c.connected, true);
  });

  it('a connection closed half-way through a LIST: CONNECTION, never a partial result', async () => {
    script = (line, socket) => {
      if (line === 'LIST VAR u') {
        socket.write('BEGIN LIST VAR u\nVAR u ups.status "OL"\n');
        setImmediate(() => socket.destroy());
      } else normal(line, socket);
    };
    const c = client();
    await assert.rejects(c.listVars('u'), isNutError('CONNECTION', /closed the connection/));
    assert.equal(await c.getVar('u', 'ups.status'), 'OL');
  });

  it('an endless line without newline: PROTOCOL, the buffer is bounded', async () => {
    script = (line, socket) => {
      if (line === 'LIST VAR u') socket.write('x'.repeat(70 * 1024));
      else normal(line, socket);
    };
    const c = client();
    await assert.rejects(
      c.listVars('u'),
      isNutError('PROTOCOL', /sent garbage: line longer than 65536 bytes/),
    );
    assert.equal(await c.getVar('u', 'ups.status'), 'OL');
  });

  it('a LIST about another UPS than asked: PROTOCOL naming the line', async () => {
    script = (line, socket) => {
      if (line === 'LIST VAR u') socket.write('BEGIN LIST VAR other\nEND LIST VAR other\n');
      else normal(line, socket);
    };
    await assert.rejects(
      client().listVars('u'),
      isNutError('PROTOCOL', /unexpected reply: BEGIN LIST VAR other/),
    );
  });

  it('a reply with CRLF line ends and an ERR with extra text', async () => {
    script = (line, socket) => {
      if (line === 'LIST VAR u')
        socket.write('BEGIN LIST VAR u\r\nVAR u a "1"\r\nEND LIST VAR u\r\n');
      else if (line === 'GET VAR u b') socket.write('ERR VAR-NOT-SUPPORTED no such variable\r\n');
      else normal(line, socket);
    };
    const c = client();
    assert.deepEqual(await c.listVars('u'), { a: '1' });
    await assert.rejects(
      c.getVar('u', 'b'),
      isNutError('VAR-NOT-SUPPORTED', /\(no such variable\)/),
    );
  });
});
