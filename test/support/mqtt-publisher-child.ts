/**
 * Runs an MqttPublisher in a child process so a test can `kill -9` it and watch the broker
 * deliver the last will. argv: <brokerUrl> <topicPrefix>. Prints `started` once running.
 */
import { MqttPublisher } from '../../src/mqtt/publisher.js';
import { CaptureLogger } from './mqtt-capture-logger.js';
import { DocumentSource } from './mqtt-documents.js';
import { publisherOptions } from './mqtt-publisher-options.js';

const [brokerUrl, topicPrefix] = process.argv.slice(2);
if (!brokerUrl || !topicPrefix)
  throw new Error('usage: mqtt-publisher-child <brokerUrl> <topicPrefix>');
const source = new DocumentSource();
const publisher = new MqttPublisher(publisherOptions(brokerUrl, topicPrefix), {
  logger: new CaptureLogger(),
  document: source.provide,
});
publisher.start();
process.stdout.write('started\n');
