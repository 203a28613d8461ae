/**
 * Sanitised UPS names: the stable id used for API `groupId`, event `source`, per-UPS database
 * stems and file suffixes (`UPS@10.0.0.1:3493` → `UPS-10.0.0.1-3493`).
 */
export function sanitizeUpsName(name: string): string {
  return name.replace(/[@:/]/g, '-');
}

/** upsd endpoint of a UPS name: `ups[@host[:port]]`, host defaulting to localhost, port 3493. */
export function upsdEndpoint(name: string): { host: string; port: number } {
  const at = name.indexOf('@');
  if (at < 0) return { host: 'localhost', port: 3493 };
  const target = name.slice(at + 1);
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(target);
  if (bracketed)
    return { host: bracketed[1] ?? 'localhost', port: bracketed[2] ? Number(bracketed[2]) : 3493 };
  const colon = target.lastIndexOf(':');
  if (colon < 0) return { host: target, port: 3493 };
  return { host: target.slice(0, colon), port: Number(target.slice(colon + 1)) };
}
