import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { createLogging } from '../../src/logging/index.js';

test('Fastify logs through the exported pino instance into the same JSON pipeline', async () => {
  let text = '';
  const stdout = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  const logging = createLogging({ format: 'json', file: null, stdout });
  const app = Fastify({ loggerInstance: logging.pino });
  app.get('/x', async (request) => {
    request.log.warn('handler saw token=abc123');
    return { ok: true };
  });
  try {
    const res = await app.inject({ method: 'GET', url: '/x' });
    assert.equal(res.statusCode, 200);
  } finally {
    await app.close();
    await logging.close();
  }
  const records = text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const warn = records.find((r) => r.level === 'WARNING');
  assert.equal(warn?.message, 'handler saw token=<redacted>');
  assert.equal(warn?.logger, 'ups-monitor');
  assert.equal(typeof warn?.reqId, 'string');
  assert.ok(
    records.some((r) => r.message === 'request completed' && typeof r.responseTime === 'number'),
  );
});
