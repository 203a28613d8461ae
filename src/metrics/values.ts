/**
 * Value and label rules of the Prometheus exposition (observability §5): raw NUT strings become
 * numbers the way the original's `float()` would read them, everything else is NaN, and label
 * values never break a line. Pure helpers so the rules are testable without a registry.
 */

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INFINITY = /^([+-]?)(inf|infinity)$/i;
const NOT_A_NUMBER = /^[+-]?nan$/i;

/**
 * null / `''` / non-numeric / non-scalar → NaN; overflow (`1e500`) → ±Infinity, which prom-client
 * prints as `+Inf` / `-Inf`.
 */
export function metricValue(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  if (typeof raw !== 'string') return Number.NaN;
  const text = raw.trim();
  if (DECIMAL.test(text)) return Number(text);
  const inf = INFINITY.exec(text);
  if (inf) return inf[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (NOT_A_NUMBER.test(text)) return Number.NaN;
  return Number.NaN;
}

/**
 * prom-client escapes `\`, LF and `"`; the original also turns a CR into `\n`, so a CR is
 * mapped to LF before prom-client escapes it.
 */
export function labelValue(raw: string): string {
  return raw.replace(/\r/g, '\n');
}

/** One-hot state series: unknown states count as the default (first) state. */
export function oneHot(states: readonly string[], current: string): Array<[string, number]> {
  const active = states.includes(current) ? current : states[0];
  return states.map((state) => [state, state === active ? 1 : 0]);
}
