import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/config/load.js';
import { mqttPublisherOptions } from '../../src/mqtt/options.js';

const noAuthDb = { probeAuthDb: () => ({ state: 'missing' as const }) };

describe('mqtt config → publisher options', () => {
  it('defaults: beyond-the-original features on, system CAs', () => {
    const { config } = parseConfig(
      { mqtt: { enabled: true, broker: 'mqtt://127.0.0.1:1883' } },
      noAuthDb,
    );
    assert.deepEqual(mqttPublisherOptions(config.mqtt, '7.0.0'), {
      brokerUrl: 'mqtt://127.0.0.1:1883',
      topicPrefix: 'eneru',
      publishIntervalSec: 10,
      retainState: true,
      availability: true,
      homeAssistant: { enabled: true, discoveryPrefix: 'homeassistant' },
      tls: { caFile: null, certFile: null, keyFile: null },
      version: '7.0.0',
    });
  });

  it('maps every snake_case key', () => {
    const { config } = parseConfig(
      {
        mqtt: {
          enabled: true,
          broker: 'mqtts://broker.lan',
          topic_prefix: 'home/ups',
          publish_interval: 30,
          retain_state: false,
          availability: false,
          homeassistant: { enabled: false, discovery_prefix: 'ha' },
          tls: { ca_file: '/ca.pem', cert_file: '/c.pem', key_file: '/k.pem' },
        },
      },
      noAuthDb,
    );
    const options = mqttPublisherOptions(config.mqtt, 'v');
    assert.equal(options.topicPrefix, 'home/ups');
    assert.equal(options.publishIntervalSec, 30);
    assert.equal(options.retainState, false);
    assert.equal(options.availability, false);
    assert.deepEqual(options.homeAssistant, { enabled: false, discoveryPrefix: 'ha' });
    assert.deepEqual(options.tls, { caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem' });
  });
});
