import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogging, type LoggingOptions } from '../../src/logging/index.js';

/** A real stream that keeps what was written, split into lines. */
function capture(): { stream: Writable; lines: () => string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l !== ''),
  };
}

function start(opts: Partial<LoggingOptions> = {}) {
  const out = capture();
  const logging = createLogging({ format: 'json', file: null, stdout: out.stream, ...opts });
  const records = () => out.lines().map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logging, out, records };
}

test('JSON lines from the Logger contract, with child fields', async () => {
  const { logging, records } = start();
  const ups = logging.logger.child({ ups: 'UPS1@localhost', group: 'Rack A' });
  ups.info('on battery');
  ups.child({ server: 'nas' }).warn('Remote health degraded');
  logging.logger.error('boom', { error: new Error('token=xyz broke') });
  await logging.close();
  const [a, b, c] = records();
  assert.deepEqual(
    { ...a, timestamp: undefined },
    {
      group: 'Rack A',
      level: 'INFO',
      logger: 'ups-monitor',
      message: 'on battery',
      ups: 'UPS1@localhost',
      timestamp: undefined,
    },
  );
  assert.equal(b?.server, 'nas');
  assert.equal(b?.level, 'WARNING');
  assert.equal(b?.category, 'health');
  assert.equal(c?.level, 'ERROR');
  assert.equal(c?.error, 'token=<redacted> broke');
});

test('call-site fields override child bindings', async () => {
  const { logging, records } = start();
  logging.logger.child({ ups: 'A' }).info('x', { ups: 'B' });
  await logging.close();
  assert.equal(records()[0]?.ups, 'B');
});

test('fields named like pino internals cannot corrupt the line', async () => {
  const { logging, records } = start();
  logging.logger.info('real message', { level: 'bogus', msg: 'fake', time: 1, message: 'fake2' });
  await logging.close();
  const [r] = records();
  assert.equal(r?.level, 'INFO');
  assert.equal(r?.message, 'real message');
});

test('level option filters; default is info', async () => {
  const info = start();
  info.logging.logger.debug('hidden');
  info.logging.logger.info('shown');
  await info.logging.close();
  assert.deepEqual(
    info.records().map((r) => r.message),
    ['shown'],
  );

  const debug = start({ level: 'debug' });
  debug.logging.logger.debug('dbg');
  await debug.logging.close();
  assert.deepEqual(
    debug.records().map((r) => [r.level, r.message]),
    [['DEBUG', 'dbg']],
  );

  const warning = start({ level: 'warning' });
  warning.logging.logger.info('no');
  warning.logging.logger.warn('yes');
  warning.logging.logger.error('also');
  await warning.logging.close();
  assert.deepEqual(
    warning.records().map((r) => r.message),
    ['yes', 'also'],
  );
});

test('text format through the factory, group shown as prefix', async () => {
  const out = capture();
  const logging = createLogging({
    format: 'text',
    file: null,
    stdout: out.stream,
    loggerName: 'custom',
  });
  logging.logger.child({ group: 'Rack A' }).info('Battery at 50% token=secret1');
  logging.logger.info('[redundancy:pair] quorum lost');
  await logging.close();
  const [a, b] = out.lines();
  assert.match(
    a ?? '',
    /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \S+ - \[Rack A\] Battery at 50% token=<redacted>$/,
  );
  assert.match(b ?? '', / - \[redundancy:pair\] quorum lost$/);
});

test('the exported pino instance writes through the same pipeline', async () => {
  const { logging, records } = start({ loggerName: 'eneru-test' });
  logging.pino.child({ reqId: 'req-1' }).info({ responseTime: 1.5 }, 'request completed');
  await logging.close();
  const [r] = records();
  assert.equal(r?.logger, 'eneru-test');
  assert.equal(r?.reqId, 'req-1');
  assert.equal(r?.responseTime, 1.5);
  assert.equal(r?.message, 'request completed');
});

test('a failing stdout never throws into the caller and is reported once', async () => {
  let writes = 0;
  const broken = new Writable({
    write(_chunk, _enc, done) {
      writes += 1;
      done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    },
  });
  const logging = createLogging({ format: 'text', file: null, stdout: broken });
  logging.logger.info('one');
  await new Promise((resolve) => setImmediate(resolve));
  logging.logger.info('two');
  logging.logger.info('three');
  await logging.close();
  assert.equal(writes, 1);
});

test('close is idempotent and logging after close does not throw', async () => {
  const { logging, records } = start();
  await logging.close();
  await logging.close();
  logging.logger.info('late');
  assert.equal(records().length, 1);
});

test('pinned vector end to end: JSON line has group Rack A and no secret', async () => {
  const { logging, out } = start();
  logging.logger.info('[Rack A] MQTT broker mqtt://user:secret@example:1883 token=abc123');
  await logging.close();
  const [line] = out.lines();
  const obj = JSON.parse(line ?? '{}') as Record<string, unknown>;
  assert.equal(obj.group, 'Rack A');
  assert.ok(String(obj.message).startsWith('MQTT broker'));
  assert.ok(!line?.includes('secret') && !line?.includes('abc123'));
});

test('text and JSON say the same thing: group prefix in text is the group field in JSON', async () => {
  const calls = (logger: import('../../src/logging/types.js').Logger): void => {
    logger.info('[UPS-A] Battery 80%');
    logger.child({ group: 'UPS-B' }).info('Battery 70%');
    logger.child({ group: 'UPS-C' }).info('[UPS-C] Battery 60%');
    logger.info('no group here');
  };
  const text = capture();
  const t = createLogging({ format: 'text', file: null, stdout: text.stream });
  calls(t.logger);
  await t.close();
  const json = start();
  calls(json.logging.logger);
  await json.logging.close();
  const fromJson = json
    .records()
    .map((r) =>
      r.group === undefined ? String(r.message) : `[${String(r.group)}] ${String(r.message)}`,
    );
  const fromText = text.lines().map((l) => l.replace(/^.*? - /, ''));
  assert.deepEqual(fromText, fromJson);
  assert.deepEqual(fromText, [
    '[UPS-A] Battery 80%',
    '[UPS-B] Battery 70%',
    '[UPS-C] Battery 60%',
    'no group here',
  ]);
});
