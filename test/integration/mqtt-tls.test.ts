/**
 * mqtts:// against a real Mosquitto with a throwaway CA: a custom CA file, mutual TLS with a
 * client certificate, and the failures (no CA → untrusted; mTLS broker without a client cert).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { MqttPublisher, type MqttPublisherOptions } from '../../src/mqtt/publisher.js';
import { CaptureLogger } from '../support/mqtt-capture-logger.js';
import { DocumentSource } from '../support/mqtt-documents.js';
import {
  recordMessages,
  startMosquitto,
  type BrokerCerts,
  type MosquittoHandle,
} from '../support/mosquitto.js';
import { waitFor } from '../support/wait.js';

function opts(url: string, tls: MqttPublisherOptions['tls']): MqttPublisherOptions {
  return {
    brokerUrl: url,
    topicPrefix: 'tls',
    publishIntervalSec: 60,
    retainState: true,
    availability: true,
    homeAssistant: { enabled: false, discoveryPrefix: 'homeassistant' },
    tls,
    version: 'test',
    collectIntervalMs: 200,
  };
}

async function publishesOver(
  broker: MosquittoHandle,
  tls: MqttPublisherOptions['tls'],
  certs: BrokerCerts,
): Promise<void> {
  const recorder = await recordMessages(broker.url, ['tls/#'], {
    rejectUnauthorized: true,
    ...(await clientTls(certs)),
  });
  const publisher = new MqttPublisher(opts(broker.url, tls), {
    logger: new CaptureLogger(),
    document: new DocumentSource().provide,
  });
  try {
    publisher.start();
    await recorder.waitFor(
      (m) => m.some((x) => x.topic === 'tls/status'),
      15_000,
      'status over TLS',
    );
  } finally {
    await publisher.stop();
    await recorder.close();
  }
}

async function clientTls(certs: BrokerCerts): Promise<{ ca: Buffer; cert: Buffer; key: Buffer }> {
  return {
    ca: await readFile(certs.caFile),
    cert: await readFile(certs.clientCertFile),
    key: await readFile(certs.clientKeyFile),
  };
}

describe('MqttPublisher over TLS', { timeout: 120_000 }, () => {
  let tlsBroker: MosquittoHandle;
  let mtlsBroker: MosquittoHandle;
  before(async () => {
    tlsBroker = await startMosquitto({ tls: { requireCertificate: false } });
    mtlsBroker = await startMosquitto({ tls: { requireCertificate: true } });
  });
  after(async () => {
    await tlsBroker?.dispose();
    await mtlsBroker?.dispose();
  });

  it('publishes over mqtts:// with a custom CA', async () => {
    const certs = tlsBroker.certs as BrokerCerts;
    await publishesOver(tlsBroker, { caFile: certs.caFile, certFile: null, keyFile: null }, certs);
  });

  it('fails verification with the system CAs alone (the throwaway CA is not trusted)', async () => {
    const logger = new CaptureLogger();
    const publisher = new MqttPublisher(
      opts(tlsBroker.url, { caFile: null, certFile: null, keyFile: null }),
      { logger, document: new DocumentSource().provide },
    );
    try {
      publisher.start();
      await waitFor(
        () => logger.messages().some((m) => m.startsWith('MQTT connection failed')),
        15_000,
        'a TLS failure',
      );
      assert.equal(publisher.connected, false);
    } finally {
      await publisher.stop();
    }
  });

  it('mutual TLS: publishes with the client certificate', async () => {
    const certs = mtlsBroker.certs as BrokerCerts;
    await publishesOver(
      mtlsBroker,
      { caFile: certs.caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile },
      certs,
    );
  });

  it('mutual TLS: without a client certificate the broker refuses, logged and retried', async () => {
    const certs = mtlsBroker.certs as BrokerCerts;
    const logger = new CaptureLogger();
    const publisher = new MqttPublisher(
      opts(mtlsBroker.url, { caFile: certs.caFile, certFile: null, keyFile: null }),
      { logger, document: new DocumentSource().provide },
    );
    try {
      publisher.start();
      await waitFor(
        () => logger.messages().filter((m) => m.startsWith('MQTT connection failed')).length >= 2,
        20_000,
        'two refused attempts',
      );
      assert.equal(publisher.connected, false);
    } finally {
      await publisher.stop();
    }
  });

  it('an unreadable CA file is a logged connect failure, not a crash', async () => {
    const logger = new CaptureLogger();
    const publisher = new MqttPublisher(
      opts(tlsBroker.url, { caFile: '/nonexistent/ca.pem', certFile: null, keyFile: null }),
      { logger, document: new DocumentSource().provide },
    );
    try {
      publisher.start();
      await waitFor(
        () => logger.messages().some((m) => m.includes('cannot read mqtt.tls.ca_file')),
        10_000,
        'ca read failure',
      );
    } finally {
      await publisher.stop();
    }
  });
});
