/**
 * The recording logger under the name the MQTT and remote-health tests use (those modules log
 * through the injected logger only); one implementation serves every test area.
 */
export {
  RecordingLogger as CaptureLogger,
  type LogLine as CapturedLine,
} from './recording-logger.js';
