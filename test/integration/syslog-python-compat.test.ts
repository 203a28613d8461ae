/**
 * Compatibility with the original's syslog output, checked against the real thing: Python's
 * logging.handlers.SysLogHandler (what the original used) and eneru both send to one UDP
 * receiver for every facility and level; the PRI values must agree and eneru's message body
 * must be Python's datagram without its header-less framing (`<PRI>` … NUL).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { createLogging } from '../../src/logging/index.js';
import { SYSLOG_FACILITIES } from '../../src/logging/syslog-facility.js';
import { parse3164, udpReceiver, waitFor, type Receiver } from '../support/syslog-receiver.js';

const receivers: Receiver[] = [];
after(async () => {
  for (const r of receivers) await r.stop();
});

const LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR'] as const;
const PY = `
import logging, logging.handlers, sys
port = int(sys.argv[1])
for facility in sys.argv[2].split(","):
    h = logging.handlers.SysLogHandler(address=("127.0.0.1", port), facility=facility)
    log = logging.getLogger("py-" + facility)
    log.setLevel(logging.DEBUG)
    log.propagate = False
    log.addHandler(h)
    for level in ("DEBUG", "INFO", "WARNING", "ERROR"):
        log.log(getattr(logging, level), "%s/%s", facility, level)
    h.close()
`;

test('PRI for every facility × level matches Python SysLogHandler, body is the same line', async () => {
  const facilities = Object.keys(SYSLOG_FACILITIES);
  const python = await udpReceiver();
  const ours = await udpReceiver();
  receivers.push(python, ours);

  const run = spawnSync('python3', ['-c', PY, String(python.port), facilities.join(',')], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(run.status, 0, run.stderr);

  const sink = new Writable({ write: (_c, _e, done) => done() });
  for (const facility of facilities) {
    const logging = createLogging({
      format: 'text',
      level: 'debug',
      file: null,
      stdout: sink,
      syslog: {
        address: '127.0.0.1',
        port: ours.port,
        facility,
        format: 'rfc3164',
        protocol: 'udp',
      },
    });
    logging.logger.debug(`${facility}/DEBUG`);
    logging.logger.info(`${facility}/INFO`);
    logging.logger.warn(`${facility}/WARNING`);
    logging.logger.error(`${facility}/ERROR`);
    await logging.close();
  }

  const expected = facilities.length * LEVELS.length;
  await waitFor(
    () => python.messages.length >= expected && ours.messages.length >= expected,
    'all datagrams',
  );

  const pyPri = new Map<string, number>();
  for (const m of python.messages) {
    const match = /^<(\d+)>(.*)\0$/s.exec(m);
    assert.ok(match, `Python datagram shape: ${JSON.stringify(m)}`);
    pyPri.set(match[2] ?? '', Number(match[1]));
  }
  for (const m of ours.messages) {
    const parsed = parse3164(m);
    const body = parsed.body.replace(/^.*? - /, '');
    assert.equal(parsed.pri, pyPri.get(body), `PRI of ${body}`);
  }
  assert.equal(pyPri.get('daemon/INFO'), 30);
});
