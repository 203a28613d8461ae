/**
 * Parses the spec's UPS target syntax `upsname[@host[:port]]` (IPv6 hosts in brackets) into the
 * parts the client needs. Defaults match `upsc`: host `localhost`, port 3493.
 */
import { NutError } from './errors.js';

export const DEFAULT_NUT_PORT = 3493;
export const DEFAULT_NUT_HOST = 'localhost';

export interface UpsTarget {
  ups: string;
  host: string;
  port: number;
}

export function parseUpsTarget(name: string): UpsTarget {
  const trimmed = name.trim();
  const at = trimmed.indexOf('@');
  const ups = at < 0 ? trimmed : trimmed.slice(0, at);
  const rest = at < 0 ? '' : trimmed.slice(at + 1);
  if (ups === '' || /\s/.test(ups)) throw invalid(name, 'the UPS name is empty or contains spaces');
  if (at >= 0 && rest === '') throw invalid(name, 'nothing follows "@"');
  if (rest === '') return { ups, host: DEFAULT_NUT_HOST, port: DEFAULT_NUT_PORT };

  let host: string;
  let portText: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) throw invalid(name, 'missing "]" after an IPv6 address');
    host = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (after !== '' && !after.startsWith(':'))
      throw invalid(name, `unexpected "${after}" after "]"`);
    portText = after === '' ? undefined : after.slice(1);
  } else {
    const colon = rest.indexOf(':');
    if (colon >= 0 && rest.indexOf(':', colon + 1) >= 0) {
      throw invalid(name, 'an IPv6 host must be written in brackets, e.g. UPS@[::1]:3493');
    }
    host = colon < 0 ? rest : rest.slice(0, colon);
    portText = colon < 0 ? undefined : rest.slice(colon + 1);
  }
  if (host === '') throw invalid(name, 'the host is empty');
  const port = portText === undefined ? DEFAULT_NUT_PORT : parsePort(portText, name);
  return { ups, host, port };
}

/** `host:port`, bracketing IPv6 literals, for messages and pool keys. */
export function formatEndpoint(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function parsePort(text: string, name: string): number {
  if (!/^\d{1,5}$/.test(text)) throw invalid(name, `port "${text}" is not a number`);
  const port = Number(text);
  if (port < 1 || port > 65535) throw invalid(name, `port ${port} is outside 1..65535`);
  return port;
}

function invalid(name: string, why: string): NutError {
  return new NutError(
    'INVALID-ARGUMENT',
    `invalid UPS target '${name}': ${why} (expected upsname[@host[:port]])`,
  );
}
