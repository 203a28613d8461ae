/**
 * Override merging (core spec §1.2): a per-UPS or redundancy-group block overrides only the keys
 * it sets, nested mappings key by key. Merging happens on the raw YAML and the result is parsed
 * again by the section schema, so defaults and types come from one place.
 */
import type { z } from 'zod';

type Node = Record<string, unknown>;

function isMapping(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepMerge(base: unknown, override: unknown): Node {
  const out: Node = isMapping(base) ? { ...base } : {};
  if (!isMapping(override)) return out;
  for (const [key, value] of Object.entries(override)) {
    out[key] = isMapping(value) && isMapping(out[key]) ? deepMerge(out[key], value) : value;
  }
  return out;
}

/**
 * Parses `global` overridden by `local`. Both were validated on their own already; should the
 * merge still fail (it cannot for the current schemas), the override is dropped rather than
 * crashing the loader.
 */
export function mergeSection<S extends z.ZodType>(
  schema: S,
  global: unknown,
  local: unknown,
): z.output<S> {
  const merged = schema.safeParse(deepMerge(global, local));
  if (merged.success) return merged.data;
  const fallback = schema.safeParse(deepMerge(global, {}));
  return fallback.success ? fallback.data : schema.parse({});
}
