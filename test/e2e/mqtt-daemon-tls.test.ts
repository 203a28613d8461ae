/**
 * End to end: the built `eneru run` publishing to a real Mosquitto that requires a client
 * certificate (mutual TLS), with a percent-encoded password in the broker URL and
 * `publish_interval: 30`. Content that does not change must not be republished (volatile fields
 * such as lastUpdateTime are not a change), a power cut must be published within one collection
 * period, `homeassistant.enabled: false` must send no discovery, and the password must never
 * reach a log.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startUpsd, type UpsdHarness } from '../support/upsd.js';
import { spawnEneru, type DaemonProcess } from '../support/daemon.js';
import { writeE2eConfig } from '../support/e2e-config.js';
import { waitFor } from '../support/wait.js';
import {
  recordMessages,
  startMosquitto,
  type BrokerCerts,
  type MosquittoHandle,
  type ReceivedMessage,
  type Recorder,
} from '../support/mosquitto.js';

const STEP_TIMEOUT_MS = 30_000;
const PREFIX = 'e2e';
const STATUS = `${PREFIX}/status`;
const AVAILABILITY = `${PREFIX}/availability`;
/** Broker password: percent-encoded in the URL, never in a log. */
const SECRET = 's3cr@t-pw';
const SECRET_ENCODED = encodeURIComponent(SECRET);

function upsStatus(message: ReceivedMessage): string | undefined {
  return (JSON.parse(message.payload) as { ups: { status: string }[] }).ups[0]?.status;
}

describe('MQTT over mTLS with credentials, publish_interval 30', { timeout: 120_000 }, () => {
  let upsd: UpsdHarness;
  let broker: MosquittoHandle;
  let recorder: Recorder;
  let dir: string;
  let daemon: DaemonProcess | null = null;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'eneru-e2e-mqtts-'));
    upsd = await startUpsd({ upses: { TestUPS: 'online-charging' } });
    broker = await startMosquitto({ tls: { requireCertificate: true } });
    const certs = broker.certs as BrokerCerts;
    recorder = await recordMessages(broker.url, [`${PREFIX}/#`, 'homeassistant/#'], {
      ca: readFileSync(certs.caFile),
      cert: readFileSync(certs.clientCertFile),
      key: readFileSync(certs.clientKeyFile),
    });
    const config = writeE2eConfig(
      dir,
      ['ups:', `  name: "TestUPS@127.0.0.1:${upsd.port}"`, '  check_interval: 1'],
      [
        'triggers:',
        '  on_battery_stabilization_delay: 0',
        'mqtt:',
        '  enabled: true',
        `  broker: "${broker.url.replace('://', `://eneru:${SECRET_ENCODED}@`)}"`,
        `  topic_prefix: "${PREFIX}"`,
        '  publish_interval: 30',
        '  homeassistant:',
        '    enabled: false',
        '  tls:',
        `    ca_file: "${certs.caFile}"`,
        `    cert_file: "${certs.clientCertFile}"`,
        `    key_file: "${certs.clientKeyFile}"`,
      ],
    );
    daemon = spawnEneru(['run', '-c', config]);
  });

  after(async () => {
    await daemon?.stop('SIGKILL');
    await recorder?.close();
    await broker?.dispose();
    await upsd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('publishes over mTLS on change only: nothing while steady, at once on a power cut', async () => {
    const steady = (m: ReceivedMessage): boolean => upsStatus(m) === 'OL CHRG';
    await recorder.waitFor(
      () => recorder.on(STATUS).some(steady),
      STEP_TIMEOUT_MS,
      'an OL CHRG status over mTLS',
    );
    const first = recorder.on(STATUS).find(steady) as ReceivedMessage;
    // The publisher collects every 5 s and the poll refreshes lastUpdateTime every second;
    // volatile fields must not count as a change, so no second message before 30 s.
    await waitFor(() => Date.now() - first.atMs >= 11_000, 15_000, 'two collection periods');
    const later = recorder.on(STATUS).filter((m) => m.atMs > first.atMs);
    assert.deepEqual(
      later.map((m) => m.payload),
      [],
      'no republish of unchanged content',
    );

    const since = Date.now();
    await upsd.switchScenario('TestUPS', 'on-battery');
    await recorder.waitFor(
      () => recorder.on(STATUS).some((m) => m.atMs >= since && upsStatus(m) === 'OB DISCHRG'),
      15_000,
      'OB DISCHRG published within a collection period',
    );
    assert.equal(recorder.on(AVAILABILITY).at(-1)?.payload, 'online');
    const discovery = recorder.messages.filter((m) => m.topic.startsWith('homeassistant/'));
    assert.deepEqual(discovery, [], 'homeassistant.enabled: false sends no discovery');

    assert.ok(daemon);
    await daemon.waitForOutput(/MQTT connected/, STEP_TIMEOUT_MS);
    const logFile = readFileSync(join(dir, 'eneru.log'), 'utf8');
    for (const text of [daemon.stdout.join('\n'), daemon.stderr.join('\n'), logFile]) {
      assert.ok(!text.includes(SECRET), 'the broker password never reaches a log');
      assert.ok(!text.includes(SECRET_ENCODED), 'not even percent-encoded');
    }
    const connected = daemon.stdout.find((line) => line.includes('MQTT connected'));
    assert.ok(connected?.includes(`MQTT connected to 127.0.0.1:${broker.port}`), connected);
  });

  test('a clean stop publishes availability offline and disconnects cleanly', async () => {
    assert.ok(daemon);
    const stoppedAt = Date.now();
    assert.equal(await daemon.stop('SIGTERM'), 0, 'graceful stop');
    await recorder.waitFor(
      (messages) =>
        messages.some(
          (m) => m.topic === AVAILABILITY && m.atMs >= stoppedAt && m.payload === 'offline',
        ),
      10_000,
      'offline after a clean stop',
    );
    // A clean DISCONNECT discards the last will, so this offline is the daemon's own message.
    const log = readFileSync(join(broker.dir, 'mosquitto.log'), 'utf8');
    assert.match(log, /Client \S+ disconnected\./, 'the broker saw a clean DISCONNECT');
    assert.doesNotMatch(log, /closed its connection/, 'no dropped connection');
  });
});
