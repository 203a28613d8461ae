import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createConnection } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoggingError } from '../../src/logging/errors.js';
import { createStreamTransport, octetCounting } from '../../src/logging/syslog-stream.js';
import { createUnixTransport } from '../../src/logging/syslog-unix.js';
import {
  tcpReceiver,
  unixStreamReceiver,
  waitFor,
  type Receiver,
} from '../support/syslog-receiver.js';

let dir = '';
const receivers: Receiver[] = [];
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eneru-syslog-stream-'));
});
after(async () => {
  for (const r of receivers) await r.stop();
  await rm(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const probe = await tcpReceiver();
  await probe.stop();
  return probe.port;
}

test('bounded queue: the oldest lines are dropped while down, and the drop is reported', async () => {
  const port = await freePort();
  const reports: LoggingError[] = [];
  const transport = createStreamTransport(
    {
      target: `tcp://127.0.0.1:${port}`,
      connect: () => createConnection({ host: '127.0.0.1', port }),
      frame: octetCounting,
      maxQueue: 3,
      minBackoffMs: 50,
    },
    (e) => reports.push(e),
  );
  try {
    for (let i = 1; i <= 5; i++) transport.send(Buffer.from(`m${i}`));
    await waitFor(() => reports.length >= 1, 'the connect failure report');
    const rx = await tcpReceiver(port);
    receivers.push(rx);
    await waitFor(() => rx.messages.length >= 3, 'queued lines after reconnect');
    assert.deepEqual(rx.messages, ['m3', 'm4', 'm5']);
    await waitFor(
      () => reports.some((r) => /2 line\(s\) dropped/.test(r.message)),
      'the drop report',
    );
    assert.equal(
      reports.filter((r) => r.code === 'SYSLOG_SEND_FAILED' && /connect failed/.test(r.message))
        .length,
      1,
    );
  } finally {
    await transport.close();
  }
});

test('close() delivers lines logged while the connection was still being made', async () => {
  const rx = await tcpReceiver();
  receivers.push(rx);
  const transport = createStreamTransport(
    {
      target: 'tcp',
      connect: () => createConnection({ host: '127.0.0.1', port: rx.port }),
      frame: octetCounting,
    },
    () => undefined,
  );
  transport.send(Buffer.from('last words'));
  await transport.close();
  await waitFor(() => rx.messages.length >= 1, 'the flushed line');
  assert.deepEqual(rx.messages, ['last words']);
});

test('close() with an unreachable peer returns promptly; later sends are ignored', async () => {
  const port = await freePort();
  const transport = createStreamTransport(
    {
      target: 'tcp',
      connect: () => createConnection({ host: '127.0.0.1', port }),
      frame: octetCounting,
    },
    () => undefined,
  );
  transport.send(Buffer.from('nobody listens'));
  await new Promise((resolve) => setTimeout(resolve, 100));
  const started = Date.now();
  await transport.close();
  assert.ok(Date.now() - started < 1500);
  transport.send(Buffer.from('after close is ignored'));
});

test('without unix-dgram, a stream socket still works and the reason is reported', async () => {
  const path = join(dir, 'stream.sock');
  const rx = await unixStreamReceiver(path);
  receivers.push(rx);
  const reports: LoggingError[] = [];
  const missing = new LoggingError(
    'SYSLOG_UNAVAILABLE',
    'UNIX datagram sockets need the optional unix-dgram package',
  );
  const transport = createUnixTransport(path, (e) => reports.push(e), true, missing);
  try {
    transport.send(Buffer.from('<30>hello'));
    await waitFor(() => rx.messages.length >= 1, 'the stream message');
    assert.deepEqual(rx.messages, ['<30>hello']);
    assert.equal(reports.length, 1);
    assert.equal(reports[0]?.code, 'SYSLOG_UNAVAILABLE');
    assert.match(reports[0]?.message ?? '', /unix-dgram/);
  } finally {
    await transport.close();
  }
});
