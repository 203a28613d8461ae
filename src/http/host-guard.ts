/**
 * DNS-rebinding guard (observability §3.1): a request whose `Host` is not an IP literal,
 * `localhost` or an `api.allowed_hosts` entry is answered 421 before any route runs. The
 * parsing rules are the original's, including its rejects (`:9191`, `[::1`, `[::1]evil`).
 */
import { isIP } from 'node:net';

/** The host part of a Host header, or null when the header is malformed. */
export function parseHostHeader(raw: string | undefined): string | null {
  const value = (raw ?? '').trim();
  if (value === '') return null;
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close < 0) return null;
    const host = value.slice(1, close);
    const rest = value.slice(close + 1);
    if (rest !== '' && !/^:\d+$/.test(rest)) return null;
    return host === '' ? null : host;
  }
  const colons = value.split(':').length - 1;
  if (colons === 1) {
    const host = value.slice(0, value.indexOf(':'));
    return host === '' ? null : host;
  }
  return value;
}

export class HostGuard {
  private readonly allowed: ReadonlySet<string>;

  constructor(allowedHosts: readonly string[]) {
    this.allowed = new Set(allowedHosts.map((h) => h.trim().toLowerCase()).filter(Boolean));
  }

  allows(rawHost: string | undefined): boolean {
    const host = parseHostHeader(rawHost);
    if (host === null) return false;
    const lower = host.toLowerCase();
    return isIP(host) !== 0 || lower === 'localhost' || this.allowed.has(lower);
  }
}
