/**
 * The publisher's failure modes against a real Mosquitto: the last will after `kill -9` of the
 * process running it, and a 10 s broker outage after which publishing resumes on its own while
 * the document provider (the monitoring side) kept being called throughout.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { MqttPublisher } from '../../src/mqtt/publisher.js';
import { CaptureLogger } from '../support/mqtt-capture-logger.js';
import { DocumentSource } from '../support/mqtt-documents.js';
import { publisherOptions } from '../support/mqtt-publisher-options.js';
import {
  recordMessages,
  startMosquitto,
  type MosquittoHandle,
  type Recorder,
} from '../support/mosquitto.js';
import { startSilentServer } from '../support/ports.js';
import { waitFor } from '../support/wait.js';

const CHILD = fileURLToPath(new URL('../support/mqtt-publisher-child.ts', import.meta.url));

describe('MqttPublisher resilience', { timeout: 180_000 }, () => {
  let broker: MosquittoHandle;
  let child: ChildProcess | undefined;
  let publisher: MqttPublisher | undefined;
  let recorder: Recorder | undefined;

  before(async () => {
    broker = await startMosquitto();
  });
  after(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await publisher?.stop();
    await recorder?.close();
    await broker?.dispose();
  });

  it('the broker publishes the last will `offline` after kill -9 of the publishing process', async () => {
    recorder = await recordMessages(broker.url, ['lwt/#']);
    const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, broker.url, 'lwt'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child = proc;
    const rec = recorder;
    await rec.waitFor(
      () => rec.on('lwt/availability').at(-1)?.payload === 'online',
      30_000,
      'child online',
    );
    await rec.waitFor(() => rec.on('lwt/status').length > 0, 10_000, 'child status');
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    process.kill(proc.pid as number, 'SIGKILL');
    await exited;
    await rec.waitFor(
      () => rec.on('lwt/availability').at(-1)?.payload === 'offline',
      15_000,
      'last will offline',
    );
    const late = await recordMessages(broker.url, ['lwt/availability']);
    try {
      await late.waitFor(
        (m) => m.some((x) => x.retain && x.payload === 'offline'),
        10_000,
        'retained offline',
      );
    } finally {
      await late.close();
    }
    await rec.close();
    recorder = undefined;
  });

  it('a 10 s broker outage: publishing resumes without restart and collection never paused', async () => {
    const source = new DocumentSource();
    const logger = new CaptureLogger();
    publisher = new MqttPublisher(
      publisherOptions(broker.url, 'outage', { publishIntervalSec: 2, collectIntervalMs: 250 }),
      { logger, document: source.provide },
    );
    publisher.start();
    const started = publisher;
    await waitFor(() => started.connected, 10_000, 'connected');
    await broker.stop();
    const outageStart = Date.now();
    await waitFor(() => !started.connected, 10_000, 'disconnect noticed');
    const callsAtOutage = source.calls;
    const samples: number[] = [];
    await waitFor(
      () => {
        samples.push(source.calls);
        return Date.now() - outageStart >= 10_000;
      },
      15_000,
      '10 s of outage',
      1000,
    );
    assert.ok(
      source.calls - callsAtOutage >= 30,
      `provider called ${source.calls - callsAtOutage} times during the outage`,
    );
    for (let i = 1; i < samples.length; i += 1)
      assert.ok((samples[i] ?? 0) > (samples[i - 1] ?? 0), 'collection progressed every second');
    assert.ok(
      logger
        .messages()
        .some(
          (m) => m.startsWith('MQTT connection lost') || m.startsWith('MQTT connection failed'),
        ),
    );
    await broker.restart();
    recorder = await recordMessages(broker.url, ['outage/#']);
    source.status = 'OB';
    const rec = recorder;
    await rec.waitFor(
      () => rec.on('outage/status').some((m) => m.payload.includes('"status":"OB"')),
      70_000,
      'publishing resumed',
    );
    assert.ok(started.connected);
    assert.equal(rec.on('outage/availability').at(-1)?.payload, 'online');
  });

  it('stop() returns promptly while a connect attempt hangs on a silent peer', async () => {
    const silent = await startSilentServer();
    const hung = new MqttPublisher(publisherOptions(`mqtt://127.0.0.1:${silent.port}`, 'hung'), {
      logger: new CaptureLogger(),
      document: new DocumentSource().provide,
    });
    try {
      hung.start();
      await waitFor(() => silent.accepted() > 0, 10_000, 'the connect attempt');
      const started = performance.now();
      await hung.stop();
      assert.ok(
        performance.now() - started < 3_000,
        'stop() did not wait for the 10 s connect timeout',
      );
      assert.equal(hung.connected, false);
    } finally {
      await hung.stop();
      await silent.close();
    }
  });
});
