/**
 * Validation messages: the `ERROR:` / `WARNING:` / `INFO:` lines of `eneru validate`, each
 * naming the key path it is about. Helpers here keep the wording of paths, types and
 * "Did you mean" suggestions identical everywhere.
 */
export type MessageLevel = 'ERROR' | 'WARNING' | 'INFO';

export interface ConfigMessage {
  level: MessageLevel;
  /** Dotted key path the message is about (`ups[1].triggers.low_battery_threshold`), '' for the file. */
  path: string;
  /** The full line, e.g. `ERROR: unknown config key 'triggers.low_batery'. Did you mean 'low_battery_threshold'?` */
  text: string;
}

export type PathPart = string | number;

export function hasErrors(messages: readonly ConfigMessage[]): boolean {
  return messages.some((message) => message.level === 'ERROR');
}

export function formatPath(parts: readonly PathPart[]): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

export function message(level: MessageLevel, path: string, body: string): ConfigMessage {
  return { level, path, text: `${level}: ${body}` };
}

export const error = (path: string, body: string) => message('ERROR', path, body);
export const warning = (path: string, body: string) => message('WARNING', path, body);
export const info = (path: string, body: string) => message('INFO', path, body);

/** The type name used in messages: YAML vocabulary rather than JavaScript's. */
export function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'float';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'object') return 'mapping';
  return typeof value;
}

/** A short rendering of a YAML value for messages (strings quoted so `"false"` is visible). */
export function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return typeName(value);
  return String(value);
}

export function levenshtein(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = previous[0] ?? 0;
    previous[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = previous[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      previous[j] = Math.min(above + 1, (previous[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length] ?? 0;
}

/**
 * The closest allowed key, if it is plausibly a typo: within max(2, 40% of the key length)
 * edits, or one key contains the other (`low_batery` → `low_battery_threshold`).
 */
export function closestKey(key: string, allowed: readonly string[]): string | null {
  const lower = key.toLowerCase();
  let best: { key: string; score: number } | null = null;
  for (const candidate of allowed) {
    const target = candidate.toLowerCase();
    const containment = lower.length >= 3 && (target.includes(lower) || lower.includes(target));
    const distance = levenshtein(lower, target);
    const prefix = commonPrefixLength(lower, target);
    const plausible =
      containment || distance <= Math.max(2, Math.floor(lower.length * 0.4)) || prefix >= 4;
    if (!plausible) continue;
    const score = distance - prefix * 0.5 - (containment ? 2 : 0);
    if (best === null || score < best.score) best = { key: candidate, score };
  }
  return best?.key ?? null;
}

function commonPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  return i;
}

export function unknownKeyMessage(
  parts: readonly PathPart[],
  key: string,
  allowed: readonly string[],
): ConfigMessage {
  const path = formatPath([...parts, key]);
  const suggestion = closestKey(key, allowed);
  const hint = suggestion === null ? '' : ` Did you mean '${suggestion}'?`;
  if (parts.length === 0) {
    return error(path, `unknown top-level config key '${key}'.${hint}`);
  }
  return error(path, `unknown config key '${path}'.${hint}`);
}
