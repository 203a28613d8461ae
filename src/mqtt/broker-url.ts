/**
 * Broker URL rules (observability spec §6): `mqtt://` plain on 1883, `mqtts://` TLS on 8883,
 * percent-decoded `user:pass@`. Everything that may reach a log goes through `redactBrokerUrl`
 * so a password never leaves this module in clear text.
 */

export interface BrokerEndpoint {
  host: string;
  port: number;
  tls: boolean;
  username?: string;
  password?: string;
  /** Problems worth a log line that do not stop publishing (already redacted). */
  warnings: string[];
}

export class MqttBrokerUrlError extends Error {
  readonly code = 'MQTT_BROKER_URL_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MqttBrokerUrlError';
  }
}

const PLAIN_PORT = 1883;
const TLS_PORT = 8883;
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;

/** Replaces any `user[:pass]@` part with `***@`, with or without a scheme. */
export function redactBrokerUrl(url: string): string {
  const scheme = SCHEME.exec(url);
  const prefix = scheme ? scheme[0] : '';
  const rest = url.slice(prefix.length);
  const at = rest.lastIndexOf('@');
  return at === -1 ? url : `${prefix}***@${rest.slice(at + 1)}`;
}

function decode(component: string, what: string): string {
  try {
    return decodeURIComponent(component);
  } catch (error) {
    throw new MqttBrokerUrlError(`MQTT broker ${what} is not valid percent-encoding`, {
      cause: error,
    });
  }
}

export function parseBrokerUrl(url: string): BrokerEndpoint {
  const trimmed = url.trim();
  if (trimmed === '') throw new MqttBrokerUrlError('MQTT broker must not be empty');
  const warnings: string[] = [];
  const scheme = SCHEME.exec(trimmed)?.[1]?.toLowerCase();
  let withScheme = trimmed;
  if (scheme === undefined) {
    warnings.push(
      `MQTT broker '${redactBrokerUrl(trimmed)}' has no scheme; assuming mqtt:// (plain, port ${PLAIN_PORT} unless given)`,
    );
    withScheme = `mqtt://${trimmed}`;
  } else if (scheme !== 'mqtt' && scheme !== 'mqtts') {
    throw new MqttBrokerUrlError(
      `MQTT broker '${redactBrokerUrl(trimmed)}' has unsupported scheme '${scheme}://' (use mqtt:// or mqtts://)`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(withScheme);
  } catch (error) {
    throw new MqttBrokerUrlError(`MQTT broker '${redactBrokerUrl(trimmed)}' is not a valid URL`, {
      cause: error,
    });
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '')
    throw new MqttBrokerUrlError(`MQTT broker '${redactBrokerUrl(trimmed)}' has no host`);
  const tls = scheme === 'mqtts';
  const port = parsed.port === '' ? (tls ? TLS_PORT : PLAIN_PORT) : Number(parsed.port);
  const endpoint: BrokerEndpoint = { host, port, tls, warnings };
  if (parsed.username !== '') endpoint.username = decode(parsed.username, 'username');
  if (parsed.password !== '') endpoint.password = decode(parsed.password, 'password');
  return endpoint;
}

/** `host:port` for log lines (IPv6 bracketed). */
export function endpointLabel(endpoint: Pick<BrokerEndpoint, 'host' | 'port'>): string {
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  return `${host}:${endpoint.port}`;
}
