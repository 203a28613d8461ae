import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { hostname } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogging, type Logging, type LoggingOptions } from '../../src/logging/index.js';
import {
  parse3164,
  parse5424,
  tcpReceiver,
  udpReceiver,
  unixDgramReceiver,
  unixStreamReceiver,
  waitFor,
  type Receiver,
} from '../support/syslog-receiver.js';

let dir = '';
const receivers: Receiver[] = [];
const loggings: Logging[] = [];
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eneru-syslog-'));
});
after(async () => {
  for (const l of loggings) await l.close();
  for (const r of receivers) await r.stop();
  await rm(dir, { recursive: true, force: true });
});

function start(opts: Partial<LoggingOptions> & Pick<LoggingOptions, 'syslog'>) {
  let text = '';
  const stdout = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  const logging = createLogging({ format: 'text', file: null, stdout, ...opts });
  loggings.push(logging);
  return { logging, stdout: () => text };
}

const keep = <T extends Receiver>(r: T): T => {
  receivers.push(r);
  return r;
};

test('UDP, RFC 3164: PRI per level on local3, header, text body; power events at warning', async () => {
  const rx = keep(await udpReceiver());
  const { logging } = start({
    level: 'debug',
    syslog: {
      address: '127.0.0.1',
      port: rx.port,
      facility: 'local3',
      format: 'rfc3164',
      protocol: 'udp',
    },
  });
  logging.logger.debug('d');
  logging.logger.info('i');
  logging.logger.warn('w');
  logging.logger.error('e');
  logging.logger.info('⚡  POWER EVENT: ON_BATTERY - Battery 90%');
  await waitFor(() => rx.messages.length >= 5, '5 datagrams');
  const parsed = rx.messages.map(parse3164);
  const byBody = new Map(parsed.map((p) => [p.body.replace(/^.*? - /, ''), p]));
  assert.equal(byBody.get('d')?.pri, 19 * 8 + 7);
  assert.equal(byBody.get('i')?.pri, 19 * 8 + 6);
  assert.equal(byBody.get('w')?.pri, 19 * 8 + 4);
  assert.equal(byBody.get('e')?.pri, 19 * 8 + 3);
  assert.equal(byBody.get('⚡  POWER EVENT: ON_BATTERY - Battery 90%')?.pri, 19 * 8 + 4);
  for (const p of parsed) {
    assert.equal(p.hostname, hostname());
    assert.equal(p.tag, 'eneru');
    assert.equal(p.pid, process.pid);
    assert.match(p.body, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \S+ - /);
    assert.ok(!p.body.endsWith('\0'), 'no NUL over the network');
  }
});

test('UDP, RFC 5424 with JSON body: structured data from child fields, msgid = event type', async () => {
  const rx = keep(await udpReceiver());
  const { logging } = start({
    format: 'json',
    syslog: {
      address: '127.0.0.1',
      port: rx.port,
      facility: 'daemon',
      format: 'rfc5424',
      protocol: 'udp',
    },
  });
  logging.logger
    .child({ ups: 'UPS1@localhost', group: 'Rack A' })
    .info('⚡  POWER EVENT: ON_BATTERY - Battery 80% token=abc123');
  logging.logger.info('plain line');
  await waitFor(() => rx.messages.length >= 2, '2 datagrams');
  const [power, plain] = rx.messages.map(parse5424);
  assert.equal(power?.pri, 28);
  assert.equal(power?.version, 1);
  assert.equal(power?.appName, 'eneru');
  assert.equal(power?.procId, String(process.pid));
  assert.equal(power?.msgId, 'ON_BATTERY');
  assert.match(
    power?.timestamp ?? '',
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/,
  );
  assert.deepEqual(power?.sd, {
    'eneru@32473': {
      category: 'power_event',
      event_type: 'ON_BATTERY',
      ups: 'UPS1@localhost',
      group: 'Rack A',
    },
  });
  const body = JSON.parse(power?.body ?? '{}') as Record<string, unknown>;
  assert.equal(body.group, 'Rack A');
  assert.ok(!rx.messages.join('').includes('abc123'));
  assert.equal(plain?.pri, 30);
  assert.deepEqual(plain?.sd, {});
  assert.equal(plain?.msgId, '-');
});

test('UDP: an oversized line is cut to the largest datagram instead of being lost', async () => {
  const rx = keep(await udpReceiver());
  const { logging, stdout } = start({
    syslog: {
      address: '127.0.0.1',
      port: rx.port,
      facility: 'daemon',
      format: 'rfc3164',
      protocol: 'udp',
    },
  });
  logging.logger.info(`big ${'x'.repeat(100_000)}`);
  await waitFor(() => rx.messages.length >= 1, 'the cut datagram');
  assert.equal(Buffer.byteLength(rx.messages[0] ?? ''), 65_507);
  assert.match(rx.messages[0] ?? '', /^<30>.* - big x+$/);
  assert.ok(!stdout().includes('Syslog '), 'no warning about syslog');
});

test('TCP, RFC 5424 with octet counting: every frame in order, escaped SD values', async () => {
  const rx = keep(await tcpReceiver());
  const { logging } = start({
    syslog: {
      address: '127.0.0.1',
      port: rx.port,
      facility: 'local7',
      format: 'rfc5424',
      protocol: 'tcp',
    },
  });
  const tricky = 'Rack "A" ] \\ end';
  for (let i = 0; i < 50; i++)
    logging.logger.child({ group: tricky }).error(`line ${i}\nsecond part`);
  await waitFor(() => rx.messages.length >= 50, '50 frames');
  const parsed = rx.messages.map(parse5424);
  parsed.forEach((p, i) => {
    assert.equal(p.pri, 23 * 8 + 3);
    assert.equal(p.sd['eneru@32473']?.group, tricky);
    assert.ok(p.body.endsWith(`[${tricky}] line ${i}\nsecond part`), p.body);
  });
});

test('TCP: lines logged before the server is up are queued and delivered after reconnect', async () => {
  const probe = await tcpReceiver();
  const port = probe.port;
  await probe.stop();
  const { logging, stdout } = start({
    syslog: { address: '127.0.0.1', port, facility: 'daemon', format: 'rfc3164', protocol: 'tcp' },
  });
  logging.logger.info('queued one');
  logging.logger.info('queued two');
  await waitFor(() => stdout().includes('Syslog tcp://127.0.0.1'), 'a connect warning on stdout');
  const rx = keep(await tcpReceiver(port));
  await waitFor(() => rx.messages.length >= 2, 'queued frames after reconnect', 20_000);
  logging.logger.info('after');
  await waitFor(() => rx.messages.length >= 3, 'the live frame');
  assert.deepEqual(
    rx.messages.map((m) => parse3164(m).body.replace(/^.*? - /, '')),
    ['queued one', 'queued two', 'after'],
  );
  assert.ok(
    !rx.messages.some((m) => m.includes('Syslog tcp://')),
    'syslog warnings never go to syslog',
  );
  await waitFor(() => stdout().includes('delivery resumed'), 'a recovery note on stdout');
});

test('UNIX datagram socket, RFC 3164: no hostname, NUL-terminated like the original', async () => {
  const path = join(dir, 'log.dgram');
  const rx = keep(unixDgramReceiver(path));
  const { logging } = start({
    syslog: { address: path, port: 514, facility: 'daemon', format: 'rfc3164', protocol: 'udp' },
  });
  logging.logger.info('[Rack A] hello');
  logging.logger.warn('careful');
  await waitFor(() => rx.messages.length >= 2, '2 local datagrams');
  const [a, b] = rx.messages;
  assert.ok(a?.endsWith('\0'));
  const pa = parse3164((a ?? '').slice(0, -1));
  assert.equal(pa.pri, 30);
  assert.equal(pa.hostname, null);
  assert.equal(pa.tag, 'eneru');
  assert.match(pa.body, / - \[Rack A\] hello$/);
  assert.equal(parse3164((b ?? '').slice(0, -1)).pri, 28);
});

test('UNIX datagram socket, RFC 5424', async () => {
  const path = join(dir, 'log5424.dgram');
  const rx = keep(unixDgramReceiver(path));
  const { logging } = start({
    syslog: { address: path, port: 514, facility: 'user', format: 'rfc5424', protocol: 'udp' },
  });
  logging.logger.info('Remote health check failed', { server: 'nas' });
  await waitFor(() => rx.messages.length >= 1, 'a local datagram');
  const p = parse5424(rx.messages[0] ?? '');
  assert.equal(p.pri, 14);
  assert.deepEqual(p.sd, { 'eneru@32473': { category: 'health', server: 'nas' } });
});

test('a UNIX stream socket is used as one (EPROTOTYPE fallback), NUL-separated', async () => {
  const path = join(dir, 'log.stream');
  const rx = keep(await unixStreamReceiver(path));
  const { logging, stdout } = start({
    syslog: { address: path, port: 514, facility: 'daemon', format: 'rfc3164', protocol: 'udp' },
  });
  logging.logger.info('over a stream');
  logging.logger.info('and another');
  await waitFor(() => rx.messages.length >= 2, '2 stream messages');
  assert.match(parse3164(rx.messages[0] ?? '').body, / - over a stream$/);
  assert.match(parse3164(rx.messages[1] ?? '').body, / - and another$/);
  assert.ok(!stdout().includes('Syslog '), 'no warning about syslog');
});

test('a missing local socket → one WARNING on stdout; delivery starts when it appears', async () => {
  const path = join(dir, 'late.dgram');
  const { logging, stdout } = start({
    format: 'json',
    syslog: { address: path, port: 514, facility: 'daemon', format: 'rfc3164', protocol: 'udp' },
  });
  logging.logger.info('lost line');
  logging.logger.info('another lost line');
  const warnings = () =>
    stdout()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((r) => String(r.code).startsWith('SYSLOG_'));
  assert.equal(warnings().length, 1);
  assert.equal(warnings()[0]?.code, 'SYSLOG_INIT_FAILED');
  assert.match(String(warnings()[0]?.message), /unix:\/\/.*late\.dgram: cannot connect \(ENOENT/);
  const rx = keep(unixDgramReceiver(path));
  logging.logger.info('found line');
  await waitFor(() => rx.messages.length >= 1, 'the first delivered line');
  assert.match(rx.messages[0] ?? '', /found line/);
  await waitFor(() => warnings().length === 2, 'the recovery note');
  assert.equal(warnings()[1]?.level, 'INFO');
  assert.equal(warnings()[1]?.code, 'SYSLOG_RECOVERED');
  assert.match(String(warnings()[1]?.message), /delivery resumed after 3 failure\(s\)/);
});

test('an unknown facility → WARNING, no syslog, console logging goes on', async () => {
  const { logging, stdout } = start({
    syslog: {
      address: '127.0.0.1',
      port: 514,
      facility: 'local9',
      format: 'rfc3164',
      protocol: 'udp',
    },
  });
  logging.logger.info('still here');
  await logging.close();
  assert.match(
    stdout(),
    /Cannot initialize syslog forwarding: unknown facility 'local9'\n.* - still here\n$/,
  );
});
