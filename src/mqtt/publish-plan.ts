/**
 * Decides what to publish for one collected document (pure, no I/O, time passed in): the
 * `<prefix>/status` document when its fingerprint changed or the republish interval elapsed,
 * the per-UPS state topics whose own content changed (or on that same republish), and Home
 * Assistant discovery for UPSes not yet announced on this connection.
 */
import { fingerprint, sortedJson } from './fingerprint.js';
import { buildDiscoveryMessages } from './ha-discovery.js';
import { statusTopic, upsStateTopic, type MqttDocument, type MqttUpsObject } from './topics.js';

export interface OutgoingMessage {
  topic: string;
  payload: string;
  qos: 0 | 1;
  retain: boolean;
}

export interface PublishPlanOptions {
  topicPrefix: string;
  publishIntervalMs: number;
  retainState: boolean;
  availability: boolean;
  homeAssistant: { enabled: boolean; discoveryPrefix: string };
  version: string;
}

/** The per-UPS state payload: the UPS object plus `quorumLost` of the redundancy groups it is in. */
export function upsStatePayload(ups: MqttUpsObject, doc: MqttDocument): Record<string, unknown> {
  const groups = (doc.redundancyGroups ?? []).filter((group) =>
    group.upsSources.includes(ups.name),
  );
  return { ...ups, quorumLost: groups.some((group) => group.quorumLost) };
}

export class PublishPlanner {
  private lastStatusFingerprint: string | null = null;
  private lastStatusAtMs = Number.NEGATIVE_INFINITY;
  private readonly upsFingerprints = new Map<string, string>();
  private readonly announced = new Set<string>();

  constructor(private readonly opts: PublishPlanOptions) {}

  /** Forget everything published: after a (re)connect all topics are sent again. */
  reset(): void {
    this.lastStatusFingerprint = null;
    this.lastStatusAtMs = Number.NEGATIVE_INFINITY;
    this.upsFingerprints.clear();
    this.announced.clear();
  }

  /** Home Assistant restarted: announce every UPS again and resend its state. */
  rediscover(): void {
    this.announced.clear();
    this.upsFingerprints.clear();
  }

  plan(doc: MqttDocument, nowMs: number): OutgoingMessage[] {
    const messages: OutgoingMessage[] = [];
    if (this.opts.homeAssistant.enabled) messages.push(...this.discovery(doc));
    const statusFingerprint = fingerprint(doc);
    const republish = nowMs - this.lastStatusAtMs >= this.opts.publishIntervalMs;
    if (republish || statusFingerprint !== this.lastStatusFingerprint) {
      messages.push({
        topic: statusTopic(this.opts.topicPrefix),
        payload: sortedJson(doc),
        qos: 0,
        retain: false,
      });
      this.lastStatusFingerprint = statusFingerprint;
      this.lastStatusAtMs = nowMs;
    }
    for (const ups of doc.ups) {
      const payload = upsStatePayload(ups, doc);
      const upsFingerprint = fingerprint(payload);
      if (!republish && this.upsFingerprints.get(ups.groupId) === upsFingerprint) continue;
      this.upsFingerprints.set(ups.groupId, upsFingerprint);
      messages.push({
        topic: upsStateTopic(this.opts.topicPrefix, ups.groupId),
        payload: sortedJson(payload),
        qos: 0,
        retain: this.opts.retainState,
      });
    }
    return messages;
  }

  private discovery(doc: MqttDocument): OutgoingMessage[] {
    const messages: OutgoingMessage[] = [];
    const members = new Set((doc.redundancyGroups ?? []).flatMap((group) => group.upsSources));
    for (const ups of doc.ups) {
      if (this.announced.has(ups.groupId)) continue;
      this.announced.add(ups.groupId);
      const configs = buildDiscoveryMessages(
        {
          groupId: ups.groupId,
          name: ups.name,
          label: ups.label,
          redundancyMember: members.has(ups.name),
        },
        {
          topicPrefix: this.opts.topicPrefix,
          discoveryPrefix: this.opts.homeAssistant.discoveryPrefix,
          version: this.opts.version,
          availability: this.opts.availability,
        },
      );
      for (const config of configs) {
        messages.push({
          topic: config.topic,
          payload: sortedJson(config.payload),
          qos: 1,
          retain: true,
        });
      }
    }
    return messages;
  }
}
