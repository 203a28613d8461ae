import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MqttBrokerUrlError,
  endpointLabel,
  parseBrokerUrl,
  redactBrokerUrl,
} from '../../src/mqtt/broker-url.js';

describe('parseBrokerUrl (observability §6 / §9 vectors)', () => {
  it('percent-decodes user:pass@ and keeps an explicit port', () => {
    const endpoint = parseBrokerUrl('mqtt://user:p%40ss@example.test:1884');
    assert.deepEqual(endpoint, {
      host: 'example.test',
      port: 1884,
      tls: false,
      username: 'user',
      password: 'p@ss',
      warnings: [],
    });
  });

  it('mqtts:// means TLS on 8883 by default', () => {
    const endpoint = parseBrokerUrl('mqtts://broker.example');
    assert.equal(endpoint.tls, true);
    assert.equal(endpoint.port, 8883);
    assert.equal(endpoint.host, 'broker.example');
    assert.equal(endpoint.username, undefined);
  });

  it('mqtt:// is plain on 1883 by default', () => {
    const endpoint = parseBrokerUrl('mqtt://127.0.0.1');
    assert.deepEqual(endpoint, { host: '127.0.0.1', port: 1883, tls: false, warnings: [] });
  });

  it('brackets-free IPv6 host and label', () => {
    const endpoint = parseBrokerUrl('mqtt://[::1]:1999');
    assert.equal(endpoint.host, '::1');
    assert.equal(endpointLabel(endpoint), '[::1]:1999');
  });

  it('no scheme: warns with the userinfo redacted and assumes plain mqtt', () => {
    const endpoint = parseBrokerUrl('alice:s3cret@host:8883');
    assert.equal(endpoint.host, 'host');
    assert.equal(endpoint.port, 8883);
    assert.equal(endpoint.tls, false);
    assert.equal(endpoint.username, 'alice');
    assert.equal(endpoint.password, 's3cret');
    assert.equal(endpoint.warnings.length, 1);
    assert.match(endpoint.warnings[0] ?? '', /'\*\*\*@host:8883'/);
    assert.doesNotMatch(endpoint.warnings.join(' '), /s3cret|alice/);
  });

  it('no scheme and no port: port 1883', () => {
    assert.equal(parseBrokerUrl('broker.lan').port, 1883);
  });

  it('rejects unsupported schemes, empty strings and bad escapes with a coded error', () => {
    for (const bad of ['ws://host', '', '   ', 'mqtt://u:%E0%A4%A@host']) {
      assert.throws(
        () => parseBrokerUrl(bad),
        (error: unknown) =>
          error instanceof MqttBrokerUrlError && error.code === 'MQTT_BROKER_URL_INVALID',
        bad,
      );
    }
  });

  it('never puts the password into an error message', () => {
    assert.throws(
      () => parseBrokerUrl('ws://bob:hunter2@host'),
      (error: unknown) =>
        error instanceof Error &&
        !error.message.includes('hunter2') &&
        error.message.includes('***@host'),
    );
  });
});

describe('redactBrokerUrl', () => {
  it('hides userinfo with or without a scheme', () => {
    assert.equal(redactBrokerUrl('alice:s3cret@host:8883'), '***@host:8883');
    assert.equal(redactBrokerUrl('mqtts://alice:s3cret@host:8883'), 'mqtts://***@host:8883');
    assert.equal(redactBrokerUrl('mqtt://host:1883'), 'mqtt://host:1883');
  });
});
