/**
 * Topic names, in one place because Home Assistant configs, the publisher and the docs must agree
 * on them. The prefix loses trailing slashes as in the original (`eneru/` → `eneru/status`).
 */

/** The structural slice of the `/api/v1/ups` document the MQTT side reads (the rest is passed through). */
export interface MqttUpsObject {
  groupId: string;
  name: string;
  label: string;
}

export interface MqttRedundancyGroup {
  upsSources: readonly string[];
  quorumLost: boolean;
}

export interface MqttDocument {
  ups: readonly MqttUpsObject[];
  redundancyGroups?: readonly MqttRedundancyGroup[];
}

export function normalisePrefix(prefix: string): string {
  return prefix.replace(/\/+$/, '');
}

/** A topic level may not hold MQTT wildcards or separators; NUT names rarely do, but never trust it. */
export function topicSegment(value: string): string {
  return value.replace(/[+#/]/g, '_');
}

export function statusTopic(prefix: string): string {
  return `${normalisePrefix(prefix)}/status`;
}

export function availabilityTopic(prefix: string): string {
  return `${normalisePrefix(prefix)}/availability`;
}

export function upsStateTopic(prefix: string, groupId: string): string {
  return `${normalisePrefix(prefix)}/ups/${topicSegment(groupId)}/state`;
}

/** Home Assistant publishes its birth (`online`) and will (`offline`) here. */
export function homeAssistantStatusTopic(discoveryPrefix: string): string {
  return `${normalisePrefix(discoveryPrefix)}/status`;
}
