/**
 * Maps the `mqtt:` config section (snake_case, as users write it) onto publisher options, so
 * the composition root does not repeat the key mapping.
 */
import type { MqttConfig } from '../config/types.js';
import type { MqttPublisherOptions } from './publisher.js';

export function mqttPublisherOptions(config: MqttConfig, version: string): MqttPublisherOptions {
  return {
    brokerUrl: config.broker,
    topicPrefix: config.topic_prefix,
    publishIntervalSec: config.publish_interval,
    retainState: config.retain_state,
    availability: config.availability,
    homeAssistant: {
      enabled: config.homeassistant.enabled,
      discoveryPrefix: config.homeassistant.discovery_prefix,
    },
    tls: {
      caFile: config.tls.ca_file,
      certFile: config.tls.cert_file,
      keyFile: config.tls.key_file,
    },
    version,
  };
}
