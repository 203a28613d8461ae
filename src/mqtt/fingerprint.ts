/**
 * Canonical JSON for MQTT payloads and the change fingerprint. Keys are sorted at every depth so
 * payloads diff cleanly; the fingerprint also drops fields that change on every poll or probe
 * without any change of substance, so "publish on change" really means on change (the original
 * kept `lastUpdateTime` in and so published on every collection).
 */

/** Keys dropped wherever they appear: timestamps of production, not of content. */
const VOLATILE_KEYS: ReadonlySet<string> = new Set([
  'generatedAt',
  'generated_at',
  'lastUpdateTime',
  'last_checked_at',
  'last_success_at',
  'latency_ms',
]);

/**
 * Keys dropped only under a given parent key: `batteryHealth.ts` is when the score was computed,
 * `loopbackDelegate.lastChecked` when the loopback was last probed.
 */
const VOLATILE_CHILD_KEYS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['batteryHealth', new Set(['ts'])],
  ['loopbackDelegate', new Set(['lastChecked'])],
]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sortValue(
  value: unknown,
  drop: (key: string, parent: string | null) => boolean,
  parent: string | null,
): unknown {
  if (Array.isArray(value)) return value.map((item) => sortValue(item, drop, parent));
  if (!isPlainObject(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (drop(key, parent)) continue;
    const child = value[key];
    if (child === undefined) continue;
    sorted[key] = sortValue(child, drop, key);
  }
  return sorted;
}

/** JSON with object keys sorted at every depth (arrays keep their order). */
export function sortedJson(value: unknown): string {
  return JSON.stringify(sortValue(value, () => false, null));
}

function isVolatile(key: string, parent: string | null): boolean {
  if (VOLATILE_KEYS.has(key)) return true;
  return parent !== null && (VOLATILE_CHILD_KEYS.get(parent)?.has(key) ?? false);
}

/** Sorted-key JSON of `doc` without volatile fields: equal strings mean nothing worth publishing changed. */
export function fingerprint(doc: unknown): string {
  return JSON.stringify(sortValue(doc, isVolatile, null));
}
