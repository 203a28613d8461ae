/**
 * End to end: the built `eneru run --api` with MQTT on, against a real upsd and a real Mosquitto.
 * The `<prefix>/status` payload must be the `/api/v1/ups` document (same keys, sorted), follow a
 * power cut, the availability topic and Home Assistant discovery must be retained, a 10 s broker
 * outage must neither pause monitoring nor need a daemon restart, and `kill -9` of the daemon
 * must leave the last will `offline` on the availability topic. (mTLS, credentials and
 * publish-on-change-only: mqtt-daemon-tls.test.ts.)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startUpsd, type UpsdHarness } from '../support/upsd.js';
import { spawnEneru, type DaemonProcess } from '../support/daemon.js';
import { writeE2eConfig } from '../support/e2e-config.js';
import { freePort } from '../support/ports.js';
import { waitFor } from '../support/wait.js';
import {
  recordMessages,
  startMosquitto,
  type MosquittoHandle,
  type ReceivedMessage,
  type Recorder,
} from '../support/mosquitto.js';

const STEP_TIMEOUT_MS = 30_000;
const PREFIX = 'e2e';
const STATUS = `${PREFIX}/status`;
const AVAILABILITY = `${PREFIX}/availability`;

interface UpsObject {
  name: string;
  groupId: string;
  status: string;
  [key: string]: unknown;
}
interface UpsDocument {
  ups: UpsObject[];
  [key: string]: unknown;
}

/** True when every object in the value lists its keys in sorted order (the original's sort_keys). */
function keysSortedDeep(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(keysSortedDeep);
  if (value === null || typeof value !== 'object') return true;
  const keys = Object.keys(value);
  const sorted = [...keys].sort();
  return (
    keys.every((key, i) => key === sorted[i]) &&
    Object.values(value as Record<string, unknown>).every(keysSortedDeep)
  );
}

function parse(message: ReceivedMessage | undefined): UpsDocument | null {
  return message ? (JSON.parse(message.payload) as UpsDocument) : null;
}

/** Subscribes afresh, so only messages the broker holds as retained arrive with `retain`. */
async function retainedOn(url: string, topics: string[], expected: number): Promise<Recorder> {
  const late = await recordMessages(url, topics);
  await late.waitFor(
    (messages) => messages.filter((m) => m.retain).length >= expected,
    10_000,
    `${expected} retained message(s) on ${topics.join(', ')}`,
  );
  return late;
}

describe('eneru run with MQTT against real upsd and Mosquitto', { timeout: 240_000 }, () => {
  let upsd: UpsdHarness;
  let broker: MosquittoHandle;
  let recorder: Recorder;
  let dir: string;
  let daemon: DaemonProcess | null = null;
  let apiBase = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'eneru-e2e-mqtt-'));
    upsd = await startUpsd({ upses: { TestUPS: 'online-charging' } });
    broker = await startMosquitto();
    recorder = await recordMessages(broker.url, [`${PREFIX}/#`, 'homeassistant/#']);
    const apiPort = await freePort();
    apiBase = `http://127.0.0.1:${apiPort}`;
    const config = writeE2eConfig(
      dir,
      ['ups:', `  name: "TestUPS@127.0.0.1:${upsd.port}"`, '  check_interval: 1'],
      [
        'triggers:',
        '  on_battery_stabilization_delay: 0',
        '  extended_time:',
        '    enabled: false',
        'mqtt:',
        '  enabled: true',
        `  broker: "${broker.url}"`,
        `  topic_prefix: "${PREFIX}/"`,
        '  publish_interval: 1',
      ],
    );
    daemon = spawnEneru(['run', '-c', config, '--api', '--api-port', String(apiPort)]);
    await daemon.waitForOutput(/API server listening on 127\.0\.0\.1:/, STEP_TIMEOUT_MS);
  });

  after(async () => {
    await daemon?.stop('SIGKILL');
    await recorder?.close();
    await broker?.dispose();
    await upsd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function lastStatus(): UpsDocument | null {
    return parse(recorder.on(STATUS).at(-1));
  }

  async function statusAfter(
    sinceMs: number,
    ok: (doc: UpsDocument) => boolean,
    what: string,
    timeoutMs = STEP_TIMEOUT_MS,
  ): Promise<UpsDocument> {
    let found: UpsDocument | null = null;
    await recorder.waitFor(
      (messages) => {
        const hit = messages
          .filter((m) => m.topic === STATUS && m.atMs >= sinceMs)
          .map((m) => parse(m) as UpsDocument)
          .find(ok);
        found = hit ?? null;
        return found !== null;
      },
      timeoutMs,
      what,
    );
    return found as unknown as UpsDocument;
  }

  test('the status payload is the /api/v1/ups document with sorted keys', async () => {
    const doc = await statusAfter(0, (d) => d.ups[0]?.status === 'OL CHRG', 'an OL CHRG status');
    const response = await fetch(`${apiBase}/api/v1/ups`);
    assert.equal(response.status, 200);
    const api = (await response.json()) as UpsDocument;
    assert.deepEqual(Object.keys(doc).sort(), Object.keys(api).sort(), 'top-level keys');
    assert.equal(doc.ups.length, 1);
    assert.deepEqual(
      Object.keys(doc.ups[0] as object).sort(),
      Object.keys(api.ups[0] as object).sort(),
      'per-UPS keys',
    );
    assert.equal(doc.ups[0]?.groupId, api.ups[0]?.groupId);
    assert.equal(doc.ups[0]?.name, `TestUPS@127.0.0.1:${upsd.port}`);
    const raw = recorder.on(STATUS).at(-1)?.payload ?? '';
    assert.ok(keysSortedDeep(JSON.parse(raw)), `keys sorted at every depth: ${raw.slice(0, 200)}`);

    // publish_interval 1: unchanged content is still republished every second.
    const steadySince = Date.now();
    await recorder.waitFor(
      (messages) => messages.filter((m) => m.topic === STATUS && m.atMs >= steadySince).length >= 3,
      10_000,
      'three republishes of unchanged content',
    );
  });

  test('availability is online and retained; discovery configs for TestUPS are retained', async () => {
    await recorder.waitFor(
      () => recorder.on(AVAILABILITY).at(-1)?.payload === 'online',
      STEP_TIMEOUT_MS,
      'availability online',
    );
    const late = await retainedOn(broker.url, [AVAILABILITY], 1);
    try {
      assert.equal(late.on(AVAILABILITY).at(-1)?.payload, 'online');
    } finally {
      await late.close();
    }

    const groupId = lastStatus()?.ups[0]?.groupId ?? '';
    const nodeId = `eneru_${groupId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    const discovery = await retainedOn(broker.url, [`homeassistant/+/${nodeId}/+/config`], 14);
    try {
      const configs = discovery.messages.filter((m) => m.retain);
      const objects = configs.map((m) => m.topic.split('/')[3]);
      for (const object of ['battery_charge', 'runtime', 'load', 'on_battery', 'low_battery']) {
        assert.ok(objects.includes(object), `${object} discovery config (have ${objects.join()})`);
      }
      const stateTopic = `${PREFIX}/ups/${groupId}/state`;
      for (const message of configs) {
        const config = JSON.parse(message.payload) as {
          state_topic?: string;
          availability_topic?: string;
          availability?: { topic: string }[];
        };
        assert.equal(config.state_topic, stateTopic, `${message.topic} reads the UPS state`);
        const availability = config.availability_topic ?? config.availability?.[0]?.topic;
        assert.equal(availability, AVAILABILITY, `${message.topic} availability topic`);
      }
    } finally {
      await discovery.close();
    }

    // Home Assistant's birth message makes eneru send discovery again.
    const birthAt = Date.now();
    await recorder.publish('homeassistant/status', 'online');
    await recorder.waitFor(
      (messages) =>
        messages.filter((m) => m.atMs >= birthAt && m.topic.endsWith(`/${nodeId}/runtime/config`))
          .length >= 1,
      STEP_TIMEOUT_MS,
      'discovery re-sent after homeassistant/status online',
    );
    const state = await retainedOn(broker.url, [`${PREFIX}/ups/${groupId}/state`], 1);
    try {
      const upsState = JSON.parse(state.messages[0]?.payload ?? '{}') as { quorumLost?: boolean };
      assert.equal(upsState.quorumLost, false, 'per-UPS state carries quorumLost');
    } finally {
      await state.close();
    }
  });

  test('switching TestUPS to on battery publishes status OB DISCHRG', async () => {
    const since = Date.now();
    await upsd.switchScenario('TestUPS', 'on-battery');
    const doc = await statusAfter(since, (d) => d.ups[0]?.status === 'OB DISCHRG', 'OB DISCHRG');
    assert.ok(doc.ups[0]);
    assert.ok(daemon);
    await daemon.waitForRecord(
      (r) => r.event_type === 'ON_BATTERY',
      STEP_TIMEOUT_MS,
      'ON_BATTERY logged',
    );
    const restoredSince = Date.now();
    await upsd.switchScenario('TestUPS', 'online-charging');
    await statusAfter(restoredSince, (d) => d.ups[0]?.status === 'OL CHRG', 'OL CHRG again');
  });

  test('a 10 s broker outage: monitoring goes on, publishing resumes without a restart', async () => {
    assert.ok(daemon);
    const pid = daemon.proc.pid;
    await broker.stop();
    const outageStarted = Date.now();
    const eventsBefore = daemon.records().filter((r) => r.event_type === 'ON_BATTERY').length;
    await upsd.switchScenario('TestUPS', 'on-battery');
    await waitFor(
      () => daemon!.records().filter((r) => r.event_type === 'ON_BATTERY').length > eventsBefore,
      STEP_TIMEOUT_MS,
      'ON_BATTERY logged while the broker is down',
    );
    await waitFor(() => Date.now() - outageStarted >= 10_000, 15_000, 'ten seconds of outage');
    await broker.restart();
    const resumed = Date.now();
    const outageSamples = (): number => {
      const db = new Database(join(dir, 'stats', 'default.db'), { readonly: true });
      try {
        const row = db
          .prepare('SELECT COUNT(*) AS n FROM samples WHERE ts >= ? AND ts < ?')
          .get(Math.ceil(outageStarted / 1000), Math.floor(resumed / 1000)) as { n: number };
        return row.n;
      } finally {
        db.close();
      }
    };
    // Samples are flushed every 10 s; one per 1 s poll means about ten for the outage.
    await waitFor(() => outageSamples() >= 5, STEP_TIMEOUT_MS, 'samples stored during the outage');
    // The daemon's reconnect backoff (1, 2, 4, 8, 16 s …) decides how soon it is back.
    const doc = await statusAfter(
      resumed,
      (d) => d.ups[0]?.status === 'OB DISCHRG',
      'status published again after the broker came back',
      45_000,
    );
    assert.ok(doc);
    assert.equal(daemon.proc.pid, pid, 'same daemon process');
    assert.equal(daemon.proc.exitCode, null, 'daemon still running');
    await recorder.waitFor(
      (messages) =>
        messages.some(
          (m) => m.topic === AVAILABILITY && m.atMs >= resumed && m.payload === 'online',
        ),
      STEP_TIMEOUT_MS,
      'availability online again (retained state was lost with the broker)',
    );
  });

  test('kill -9 of the daemon leaves the last will offline on the availability topic', async () => {
    assert.ok(daemon);
    const killedAt = Date.now();
    await daemon.stop('SIGKILL');
    await recorder.waitFor(
      (messages) =>
        messages.some(
          (m) => m.topic === AVAILABILITY && m.atMs >= killedAt && m.payload === 'offline',
        ),
      STEP_TIMEOUT_MS,
      'last will offline',
    );
    const late = await retainedOn(broker.url, [AVAILABILITY], 1);
    try {
      assert.equal(late.on(AVAILABILITY).at(-1)?.payload, 'offline', 'offline is retained');
    } finally {
      await late.close();
    }
  });
});
