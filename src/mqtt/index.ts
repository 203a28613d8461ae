/** Public surface of the MQTT sink, for the composition root (src/app/). */
export { MqttPublisher, type MqttPublisherDeps, type MqttPublisherOptions } from './publisher.js';
export { mqttPublisherOptions } from './options.js';
export {
  parseBrokerUrl,
  redactBrokerUrl,
  MqttBrokerUrlError,
  type BrokerEndpoint,
} from './broker-url.js';
export { fingerprint, sortedJson } from './fingerprint.js';
export { backoffDelaySec } from './backoff.js';
export {
  buildDiscoveryMessages,
  discoveryObjects,
  discoveryTopic,
  haNodeId,
} from './ha-discovery.js';
export { PublishPlanner, upsStatePayload, type OutgoingMessage } from './publish-plan.js';
export { MqttTlsFileError, type MqttTlsFiles } from './tls-files.js';
export {
  availabilityTopic,
  homeAssistantStatusTopic,
  statusTopic,
  upsStateTopic,
  type MqttDocument,
  type MqttUpsObject,
} from './topics.js';
