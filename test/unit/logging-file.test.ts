import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogging } from '../../src/logging/index.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eneru-log-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

test('file output appends the same lines as stdout, creating parent directories', async () => {
  const path = join(dir, 'nested', 'deeper', 'ups-monitor.log');
  await rm(join(dir, 'nested'), { recursive: true, force: true });
  const out = sink();
  const first = createLogging({ format: 'text', file: path, stdout: out.stream });
  first.logger.info('first run password=pw1');
  await first.close();
  const second = createLogging({ format: 'json', file: path, stdout: sink().stream });
  second.logger.info('second run');
  await second.close();
  const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean);
  assert.equal(lines.length, 2);
  assert.equal(`${lines[0]}\n`, out.text());
  assert.match(lines[0] ?? '', / - first run password=<redacted>$/);
  assert.equal((JSON.parse(lines[1] ?? '{}') as { message?: string }).message, 'second run');
});

test('an unwritable file path → console only plus one WARNING', async () => {
  const blocker = join(dir, 'a-regular-file');
  await writeFile(blocker, 'not a directory');
  const path = join(blocker, 'ups-monitor.log');
  const out = sink();
  const logging = createLogging({ format: 'json', file: path, stdout: out.stream });
  logging.logger.info('still logging');
  await logging.close();
  const records = out
    .text()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(records.length, 2);
  assert.equal(records[0]?.level, 'WARNING');
  assert.equal(records[0]?.code, 'LOG_FILE_UNWRITABLE');
  assert.match(
    String(records[0]?.message),
    /^Cannot write to .*ups-monitor\.log \(ENOTDIR.*\), logging to console only$/,
  );
  assert.equal(records[1]?.message, 'still logging');
});

test('a file that fails later (disk full) is dropped with one WARNING; console goes on', async () => {
  const out = sink();
  const logging = createLogging({ format: 'text', file: '/dev/full', stdout: out.stream });
  logging.logger.info('a');
  logging.logger.info('b');
  await logging.close();
  const lines = out.text().split('\n').filter(Boolean);
  assert.equal(lines.length, 3);
  assert.match(lines[0] ?? '', / - a$/);
  assert.match(lines[1] ?? '', / - Cannot write to \/dev\/full \(ENOSPC.*logging to console only$/);
  assert.match(lines[2] ?? '', / - b$/);
});

test('a stdout that breaks (EPIPE) is reported in the file, which keeps every line', async () => {
  const path = join(dir, 'epipe.log');
  const broken = new Writable({
    write(_chunk, _enc, done) {
      done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    },
  });
  const logging = createLogging({ format: 'text', file: path, stdout: broken });
  logging.logger.info('one');
  await new Promise((resolve) => setImmediate(resolve));
  logging.logger.info('two');
  await logging.close();
  const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean);
  assert.equal(lines.length, 3);
  assert.match(lines[0] ?? '', / - one$/);
  assert.match(lines[1] ?? '', / - stdout unusable \(write EPIPE\), console logging stopped$/);
  assert.match(lines[2] ?? '', / - two$/);
});
