/**
 * MqttPublisher options for tests: plain MQTT to a test broker, retained state with
 * availability, no Home Assistant discovery. Tests override only what they exercise.
 */
import type { MqttPublisherOptions } from '../../src/mqtt/publisher.js';

export function publisherOptions(
  brokerUrl: string,
  topicPrefix: string,
  overrides: Partial<MqttPublisherOptions> = {},
): MqttPublisherOptions {
  return {
    brokerUrl,
    topicPrefix,
    publishIntervalSec: 10,
    retainState: true,
    availability: true,
    homeAssistant: { enabled: false, discoveryPrefix: 'homeassistant' },
    tls: { caFile: null, certFile: null, keyFile: null },
    version: 'test',
    ...overrides,
  };
}
