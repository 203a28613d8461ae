/**
 * Reads one Prometheus histogram (summed over all label sets) from exposition text and estimates
 * quantiles by linear interpolation inside buckets, as Prometheus' histogram_quantile does.
 * Used by the poll-scale benchmark to turn `eneru_poll_duration_seconds` into p50 / p99.
 */

export interface Histogram {
  /** Upper bound (seconds, `Infinity` for +Inf) → cumulative count. */
  buckets: Map<number, number>;
  count: number;
}

export function parseHistogram(text: string, name: string): Histogram {
  const buckets = new Map<number, number>();
  let count = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}_bucket{`)) {
      const le = /le="([^"]+)"/.exec(line)?.[1];
      const value = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (le === undefined || !Number.isFinite(value)) continue;
      const bound = le === '+Inf' ? Infinity : Number(le);
      buckets.set(bound, (buckets.get(bound) ?? 0) + value);
    } else if (line.startsWith(`${name}_count`)) {
      count += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return { buckets, count };
}

export function subtractHistogram(later: Histogram, earlier: Histogram): Histogram {
  const buckets = new Map<number, number>();
  for (const [bound, value] of later.buckets)
    buckets.set(bound, value - (earlier.buckets.get(bound) ?? 0));
  return { buckets, count: later.count - earlier.count };
}

/** The q-quantile in seconds; NaN without observations. */
export function quantile(hist: Histogram, q: number): number {
  const bounds = [...hist.buckets.keys()].sort((a, b) => a - b);
  const total = hist.buckets.get(Infinity) ?? hist.count;
  if (total <= 0 || bounds.length === 0) return NaN;
  const rank = q * total;
  let previousBound = 0;
  let previousCount = 0;
  for (const bound of bounds) {
    const cumulative = hist.buckets.get(bound) ?? 0;
    if (cumulative >= rank) {
      if (bound === Infinity) return previousBound;
      const inBucket = cumulative - previousCount;
      const fraction = inBucket > 0 ? (rank - previousCount) / inBucket : 0;
      return previousBound + (bound - previousBound) * fraction;
    }
    previousBound = bound;
    previousCount = cumulative;
  }
  return previousBound;
}
