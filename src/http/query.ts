/**
 * Query-string rules shared by the read endpoints (observability §3.1/§3.5): the first value of
 * a repeated parameter wins, empty values count as absent, and every rejection names the
 * parameter with the original's wording.
 */
import { badRequest } from './errors.js';

/** Fastify `querystringParser`: first value wins, empty values dropped. */
export function parseQueryString(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    if (value === '' || Object.hasOwn(out, key)) continue;
    out[key] = value;
  }
  return out;
}

const INTEGER = /^\s*[+-]?\d+\s*$/;

/** `undefined` when absent; 400 `<name> must be an integer` when not an int. */
export function optionalInt(
  query: Readonly<Record<string, string | undefined>>,
  name: string,
): number | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  if (!INTEGER.test(raw)) throw badRequest(`${name} must be an integer`);
  const value = Number(raw.trim());
  if (!Number.isSafeInteger(value)) throw badRequest(`${name} must be an integer`);
  return value;
}

export function intInRange(
  query: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = optionalInt(query, name) ?? fallback;
  if (value < min) throw badRequest(`${name} must be >= ${min}`);
  if (value > max) throw badRequest(`${name} must be <= ${max}`);
  return value;
}

export function checkFromTo(fromSec: number | undefined, toSec: number | undefined): void {
  if (fromSec !== undefined && toSec !== undefined && fromSec > toSec) {
    throw badRequest("'from' must be <= 'to'");
  }
}
