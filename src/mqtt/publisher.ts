/**
 * The MQTT sink. It owns one mqtt.js client at a time and its own reconnect loop (1 s → 60 s,
 * cut short by `stop()`), and reads the document on its own timer, so an unreachable or slow
 * broker never touches monitoring: the monitor never waits on this class and nothing here
 * throws out of a timer. Announces `online`/`offline` on the availability topic (last will for
 * crashes) and re-sends Home Assistant discovery when Home Assistant comes back online.
 */
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import type { Logger } from '../logging/types.js';
import { abortableSleep, backoffDelaySec } from './backoff.js';
import {
  endpointLabel,
  parseBrokerUrl,
  redactBrokerUrl,
  type BrokerEndpoint,
} from './broker-url.js';
import { PublishPlanner, type OutgoingMessage } from './publish-plan.js';
import { loadTlsMaterial, type MqttTlsFiles } from './tls-files.js';
import { availabilityTopic, homeAssistantStatusTopic, type MqttDocument } from './topics.js';

export interface MqttPublisherOptions {
  brokerUrl: string;
  topicPrefix: string;
  publishIntervalSec: number;
  retainState: boolean;
  availability: boolean;
  homeAssistant: { enabled: boolean; discoveryPrefix: string };
  tls: MqttTlsFiles;
  version: string;
  /** How often the document is collected; default `max(1, min(publishIntervalSec, 5))` s (spec §6). */
  collectIntervalMs?: number;
}

export interface MqttPublisherDeps {
  logger: Logger;
  /** Builds the `/api/v1/ups` document from live state (never polls NUT). */
  document: () => MqttDocument;
}

const KEEPALIVE_SEC = 30;
const CONNECT_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 2_000;

interface SessionEnd {
  connected: boolean;
  reason: string;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class MqttPublisher {
  private readonly log: Logger;
  private readonly planner: PublishPlanner;
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private loop: Promise<void> | null = null;
  private client: MqttClient | null = null;
  private online = false;

  constructor(
    private readonly opts: MqttPublisherOptions,
    private readonly deps: MqttPublisherDeps,
  ) {
    this.log = deps.logger.child({ category: 'mqtt' });
    this.planner = new PublishPlanner({
      topicPrefix: opts.topicPrefix,
      publishIntervalMs: opts.publishIntervalSec * 1000,
      retainState: opts.retainState,
      availability: opts.availability,
      homeAssistant: opts.homeAssistant,
      version: opts.version,
    });
  }

  /** True while a broker session is established. */
  get connected(): boolean {
    return this.online;
  }

  start(): void {
    if (this.loop || this.abort.signal.aborted) return;
    let endpoint: BrokerEndpoint;
    try {
      endpoint = parseBrokerUrl(this.opts.brokerUrl);
    } catch (error) {
      this.log.error(`MQTT publisher disabled: ${errorMessage(error)}`);
      return;
    }
    for (const warning of endpoint.warnings) this.log.warn(warning);
    if (endpoint.username !== undefined && !endpoint.tls) {
      this.log.warn(
        `MQTT credentials for ${redactBrokerUrl(this.opts.brokerUrl)} are sent in cleartext over mqtt://; use mqtts://`,
      );
    }
    const tlsConfigured = Object.values(this.opts.tls).some((file) => file !== null);
    if (tlsConfigured && !endpoint.tls)
      this.log.warn('MQTT tls files are ignored: the broker URL is not mqtts://');
    const collectMs =
      this.opts.collectIntervalMs ?? Math.max(1, Math.min(this.opts.publishIntervalSec, 5)) * 1000;
    this.timer = setInterval(() => this.collect(), collectMs);
    this.loop = this.connectLoop(endpoint).catch((error: unknown) => {
      this.log.error(`MQTT publisher stopped unexpectedly: ${errorMessage(error)}`);
    });
  }

  /** Publishes `offline`, disconnects and ends the reconnect loop. Never throws. */
  async stop(): Promise<void> {
    if (this.abort.signal.aborted) return;
    this.abort.abort();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const client = this.client;
    try {
      if (client && this.online && this.opts.availability) {
        await this.withDeadline(this.send(client, this.availabilityMessage('offline')));
      }
      if (client)
        await this.withDeadline(
          new Promise<void>((resolve) => client.end(false, {}, () => resolve())),
        );
    } catch (error) {
      this.log.warn(`MQTT clean disconnect failed: ${errorMessage(error)}`);
    } finally {
      client?.end(true);
    }
    await this.loop;
  }

  private async connectLoop(endpoint: BrokerEndpoint): Promise<void> {
    const signal = this.abort.signal;
    let attempt = 0;
    while (!signal.aborted) {
      const end = await this.session(endpoint);
      if (signal.aborted) break;
      if (end.connected) attempt = 0;
      const delaySec = backoffDelaySec(attempt);
      attempt += 1;
      const what = end.connected ? 'MQTT connection lost' : 'MQTT connection failed';
      this.log.warn(`${what}: ${end.reason} — retrying in ${delaySec}s`);
      await abortableSleep(delaySec * 1000, signal);
    }
  }

  /** One broker connection from connect attempt to close; resolves, never rejects. */
  private async session(endpoint: BrokerEndpoint): Promise<SessionEnd> {
    let tlsMaterial: Partial<IClientOptions>;
    try {
      tlsMaterial = endpoint.tls ? await loadTlsMaterial(this.opts.tls) : {};
    } catch (error) {
      return { connected: false, reason: errorMessage(error) };
    }
    if (this.abort.signal.aborted) return { connected: false, reason: 'stopped' };
    const options: IClientOptions = {
      host: endpoint.host,
      port: endpoint.port,
      protocol: endpoint.tls ? 'mqtts' : 'mqtt',
      keepalive: KEEPALIVE_SEC,
      connectTimeout: CONNECT_TIMEOUT_MS,
      reconnectPeriod: 0,
      queueQoSZero: false,
      clean: true,
      ...tlsMaterial,
    };
    if (endpoint.username !== undefined) options.username = endpoint.username;
    if (endpoint.password !== undefined) options.password = endpoint.password;
    if (this.opts.availability) {
      options.will = {
        topic: availabilityTopic(this.opts.topicPrefix),
        payload: Buffer.from('offline'),
        qos: 1,
        retain: true,
      };
    }
    return new Promise<SessionEnd>((resolve) => {
      const client = connect(options);
      this.client = client;
      let connected = false;
      let reason = 'connection closed';
      client.on('error', (error) => {
        reason = errorMessage(error);
      });
      client.on('connect', () => {
        connected = true;
        this.online = true;
        this.log.info(`MQTT connected to ${endpointLabel(endpoint)}`);
        this.onConnected(client);
      });
      client.on('message', (topic, payload) => this.onMessage(topic, payload));
      client.once('close', () => {
        this.online = false;
        if (this.client === client) this.client = null;
        client.removeAllListeners('message');
        client.end(true);
        resolve({ connected, reason });
      });
    });
  }

  private onConnected(client: MqttClient): void {
    this.planner.reset();
    if (this.opts.availability) this.dispatch(client, [this.availabilityMessage('online')]);
    if (this.opts.homeAssistant.enabled) {
      client.subscribe(
        homeAssistantStatusTopic(this.opts.homeAssistant.discoveryPrefix),
        { qos: 0 },
        (error) => {
          if (error)
            this.log.warn(`MQTT subscribe to Home Assistant status failed: ${error.message}`);
        },
      );
    }
    this.collect();
  }

  private onMessage(topic: string, payload: Buffer): void {
    if (!this.opts.homeAssistant.enabled) return;
    if (topic !== homeAssistantStatusTopic(this.opts.homeAssistant.discoveryPrefix)) return;
    if (payload.toString('utf8').trim() !== 'online') return;
    this.log.info('Home Assistant is online: re-sending MQTT discovery');
    this.planner.rediscover();
    this.collect();
  }

  /** Timer body: build the document (always, so the provider sees no pause) and publish if connected. */
  private collect(): void {
    let doc: MqttDocument;
    try {
      doc = this.deps.document();
    } catch (error) {
      this.log.warn(`MQTT: building the status document failed: ${errorMessage(error)}`);
      return;
    }
    const client = this.client;
    if (!client || !this.online) return;
    this.dispatch(client, this.planner.plan(doc, performance.now()));
  }

  private dispatch(client: MqttClient, messages: OutgoingMessage[]): void {
    for (const message of messages) {
      this.send(client, message).catch((error: unknown) => {
        if (!this.online || this.client !== client) return;
        this.log.warn(
          `MQTT publish to ${message.topic} failed: ${errorMessage(error)} — reconnecting`,
        );
        client.end(true);
      });
    }
  }

  private send(client: MqttClient, message: OutgoingMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      client.publish(
        message.topic,
        message.payload,
        { qos: message.qos, retain: message.retain },
        (error) => (error ? reject(error) : resolve()),
      );
    });
  }

  private availabilityMessage(payload: 'online' | 'offline'): OutgoingMessage {
    return { topic: availabilityTopic(this.opts.topicPrefix), payload, qos: 1, retain: true };
  }

  private withDeadline(work: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, STOP_GRACE_MS);
    });
    return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
  }
}
