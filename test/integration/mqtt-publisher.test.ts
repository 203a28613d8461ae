/**
 * MqttPublisher against a real Mosquitto: payload shape, on-change publishing, the republish
 * interval, retained per-UPS state, availability, Home Assistant discovery and its re-send.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { MqttPublisher, type MqttPublisherOptions } from '../../src/mqtt/publisher.js';
import { sortedJson } from '../../src/mqtt/fingerprint.js';
import { CaptureLogger } from '../support/mqtt-capture-logger.js';
import { DocumentSource, type TestDocument } from '../support/mqtt-documents.js';
import { publisherOptions } from '../support/mqtt-publisher-options.js';
import {
  recordMessages,
  startMosquitto,
  type MosquittoHandle,
  type Recorder,
} from '../support/mosquitto.js';
import { waitFor } from '../support/wait.js';

const STATE_TOPIC = 'ups/TestUPS-127.0.0.1-3493/state';
let broker: MosquittoHandle;
let prefixCounter = 0;
const running: { publisher?: MqttPublisher; recorder?: Recorder } = {};

function options(overrides: Partial<MqttPublisherOptions>): MqttPublisherOptions {
  prefixCounter += 1;
  return publisherOptions(broker.url, `t${prefixCounter}`, {
    publishIntervalSec: 60,
    homeAssistant: { enabled: false, discoveryPrefix: `ha${prefixCounter}` },
    version: '7.0.0-test',
    collectIntervalMs: 200,
    ...overrides,
  });
}

async function startPair(
  opts: MqttPublisherOptions,
  source: DocumentSource,
  logger = new CaptureLogger(),
): Promise<{ publisher: MqttPublisher; recorder: Recorder }> {
  const recorder = await recordMessages(broker.url, [
    `${opts.topicPrefix}/#`,
    `${opts.homeAssistant.discoveryPrefix}/#`,
  ]);
  const publisher = new MqttPublisher(opts, { logger, document: source.provide });
  running.recorder = recorder;
  running.publisher = publisher;
  publisher.start();
  return { publisher, recorder };
}

describe('MqttPublisher against Mosquitto', { timeout: 120_000 }, () => {
  before(async () => {
    broker = await startMosquitto();
  });
  afterEach(async () => {
    await running.publisher?.stop();
    await running.recorder?.close();
    delete running.publisher;
    delete running.recorder;
  });
  after(async () => {
    await broker?.dispose();
  });

  it('publishes the document with sorted keys on <prefix>/status, QoS 0, not retained', async () => {
    const source = new DocumentSource();
    const opts = options({});
    const logger = new CaptureLogger();
    const { recorder } = await startPair(opts, source, logger);
    await recorder.waitFor(
      (m) => m.some((x) => x.topic === `${opts.topicPrefix}/status`),
      10_000,
      'status',
    );
    const status = recorder.on(`${opts.topicPrefix}/status`)[0];
    assert.ok(status);
    assert.equal(status.retain, false);
    const parsed = JSON.parse(status.payload) as TestDocument;
    assert.equal(status.payload, sortedJson(parsed), 'keys sorted at every depth');
    const expected = source.provide();
    expected.generatedAt = parsed.generatedAt;
    for (const [index, ups] of expected.ups.entries())
      ups.lastUpdateTime = parsed.ups[index]?.lastUpdateTime;
    assert.deepEqual(parsed, expected);
    assert.ok(logger.messages().includes(`MQTT connected to 127.0.0.1:${broker.port}`));
  });

  it('publishes on change only (volatile fields ignored), then republishes after publish_interval', async () => {
    const source = new DocumentSource();
    const opts = options({ publishIntervalSec: 4 });
    const { recorder } = await startPair(opts, source);
    const statuses = (): string[] =>
      recorder
        .on(`${opts.topicPrefix}/status`)
        .map((m) => (JSON.parse(m.payload) as TestDocument).ups[0]?.status ?? '');
    await recorder.waitFor(() => statuses().length === 1, 10_000, 'first status');
    const firstAt = recorder.on(`${opts.topicPrefix}/status`)[0]?.atMs ?? 0;
    const callsBefore = source.calls;
    await waitFor(() => source.calls >= callsBefore + 5, 10_000, 'five more collections');
    assert.deepEqual(statuses(), ['OL CHRG'], 'no publish while only volatile fields change');
    source.status = 'OB DISCHRG';
    await recorder.waitFor(() => statuses().length === 2, 10_000, 'the OB publish');
    assert.deepEqual(statuses(), ['OL CHRG', 'OB DISCHRG']);
    const changeAt = recorder.on(`${opts.topicPrefix}/status`)[1]?.atMs ?? 0;
    await recorder.waitFor(() => statuses().length === 3, 10_000, 'the interval republish');
    const republishAt = recorder.on(`${opts.topicPrefix}/status`)[2]?.atMs ?? 0;
    assert.equal(statuses()[2], 'OB DISCHRG');
    assert.ok(
      republishAt - changeAt >= 3_500,
      `republished ${republishAt - changeAt} ms after the change`,
    );
    assert.ok(changeAt > firstAt);
  });

  it('retains per-UPS state and announces availability online; stop() publishes offline', async () => {
    const source = new DocumentSource();
    const opts = options({});
    const { publisher, recorder } = await startPair(opts, source);
    await recorder.waitFor(
      (m) => m.some((x) => x.topic === `${opts.topicPrefix}/${STATE_TOPIC}`),
      10_000,
      'state',
    );
    assert.equal(recorder.on(`${opts.topicPrefix}/availability`).at(-1)?.payload, 'online');
    // A late subscriber receives the retained state and availability from the broker.
    const late = await recordMessages(broker.url, [`${opts.topicPrefix}/#`]);
    try {
      await late.waitFor(
        (m) => m.some((x) => x.topic === `${opts.topicPrefix}/${STATE_TOPIC}` && x.retain),
        10_000,
        'retained state',
      );
      const state = JSON.parse(
        late.on(`${opts.topicPrefix}/${STATE_TOPIC}`)[0]?.payload ?? '{}',
      ) as Record<string, unknown>;
      assert.equal(state.groupId, 'TestUPS-127.0.0.1-3493');
      assert.equal(state.quorumLost, false);
      assert.equal(state.batteryCharge, '100');
      assert.ok(
        late.on(`${opts.topicPrefix}/availability`).some((m) => m.retain && m.payload === 'online'),
      );
      assert.ok(!late.messages.some((m) => m.topic === `${opts.topicPrefix}/status` && m.retain));
    } finally {
      await late.close();
    }
    await publisher.stop();
    await recorder.waitFor(
      () => recorder.on(`${opts.topicPrefix}/availability`).at(-1)?.payload === 'offline',
      10_000,
      'offline',
    );
  });

  it('publishes Home Assistant discovery (retained) and re-sends it when homeassistant/status goes online', async () => {
    const source = new DocumentSource();
    const opts = options({
      homeAssistant: { enabled: true, discoveryPrefix: `ha${prefixCounter + 1}` },
    });
    const { recorder } = await startPair(opts, source);
    const discoveryPrefix = opts.homeAssistant.discoveryPrefix;
    const configs = (): typeof recorder.messages =>
      recorder.messages.filter(
        (m) => m.topic.startsWith(`${discoveryPrefix}/`) && m.topic.endsWith('/config'),
      );
    await recorder.waitFor(() => configs().length === 14, 10_000, '14 discovery configs');
    const charge = configs().find(
      (m) =>
        m.topic === `${discoveryPrefix}/sensor/eneru_TestUPS-127_0_0_1-3493/battery_charge/config`,
    );
    assert.ok(charge);
    const payload = JSON.parse(charge.payload) as Record<string, unknown>;
    assert.equal(payload.state_topic, `${opts.topicPrefix}/${STATE_TOPIC}`);
    assert.equal(payload.availability_topic, `${opts.topicPrefix}/availability`);
    assert.equal((payload.device as Record<string, unknown>).name, 'Baseline TestUPS');
    const late = await recordMessages(broker.url, [`${discoveryPrefix}/#`]);
    try {
      await late.waitFor(
        (m) => m.filter((x) => x.retain).length === 14,
        10_000,
        'retained configs',
      );
    } finally {
      await late.close();
    }
    await recorder.publish(`${discoveryPrefix}/status`, 'online');
    await recorder.waitFor(() => configs().length === 28, 10_000, 'discovery re-sent');
    await recorder.publish(`${discoveryPrefix}/status`, 'offline');
    const callsNow = source.calls;
    await waitFor(() => source.calls >= callsNow + 3, 10_000, 'more collections');
    assert.equal(configs().length, 28, 'offline does not re-send');
  });

  it('logs connection failures with backoff 1 s then 2 s, and stop() ends the backoff at once', async () => {
    const logger = new CaptureLogger();
    const closedPort = broker.port + 1 === 65536 ? broker.port - 1 : broker.port + 1;
    const source = new DocumentSource();
    const publisher = new MqttPublisher(
      options({ brokerUrl: `mqtt://u:p%40ss@127.0.0.1:${closedPort}` }),
      { logger, document: source.provide },
    );
    running.publisher = publisher;
    publisher.start();
    const failures = (): string[] =>
      logger.messages().filter((m) => m.startsWith('MQTT connection failed'));
    await waitFor(() => failures().length >= 2, 15_000, 'two connection failures');
    assert.match(failures()[0] ?? '', /retrying in 1s$/);
    assert.match(failures()[1] ?? '', /retrying in 2s$/);
    assert.ok(source.calls > 0, 'documents are still collected while the broker is unreachable');
    const cleartext = logger.messages().filter((m) => m.includes('cleartext'));
    assert.equal(cleartext.length, 1);
    assert.ok(
      !logger.messages().some((m) => m.includes('p@ss') || m.includes('p%40ss')),
      'password never logged',
    );
    const started = performance.now();
    await publisher.stop();
    assert.ok(performance.now() - started < 3_000, 'stop interrupts the backoff');
  });

  it('an invalid broker URL disables the publisher with one error and never throws', async () => {
    const logger = new CaptureLogger();
    const publisher = new MqttPublisher(options({ brokerUrl: 'ws://x:secret@host' }), {
      logger,
      document: new DocumentSource().provide,
    });
    publisher.start();
    await publisher.stop();
    assert.equal(logger.lines.filter((l) => l.level === 'error').length, 1);
    assert.ok(!logger.messages().join(' ').includes('secret'));
  });
});
