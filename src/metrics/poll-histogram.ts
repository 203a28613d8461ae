/**
 * `eneru_poll_duration_seconds`: one histogram series per UPS, observed after every poll and
 * rendered as prom-client renders a labelled histogram (`le` first, cumulative buckets, `+Inf`,
 * `_sum`, `_count`). Kept here rather than in prom-client because at 1000 UPSes prom-client
 * builds a labels object and a string per bucket per UPS on every scrape (15 000 of each), and
 * its label lookup on every observation builds a key string: a poll now only adds to numbers.
 */
import { family, formatSample, labelText } from './exposition.js';

interface Series {
  /** `ups="…",label="…"`, escaped once. */
  readonly labels: string;
  /** Observations per bucket (not cumulative); the last slot counts those above every bound. */
  readonly counts: Float64Array;
  sum: number;
}

const NAME = 'eneru_poll_duration_seconds';
const HELP = 'Duration of one NUT poll of a UPS (all variables), in seconds.';

export class PollDurationHistogram {
  private readonly series = new Map<string, Series>();

  constructor(private readonly boundsSec: readonly number[]) {}

  /** Whether the UPS `key` has a series yet. */
  tracks(key: string): boolean {
    return this.series.has(key);
  }

  /** Starts the series of the UPS `key` with its labels (once; later calls change nothing). */
  track(key: string, ups: string, label: string): void {
    if (this.series.has(key)) return;
    this.series.set(key, {
      labels: labelText([
        ['ups', ups],
        ['label', label],
      ]),
      counts: new Float64Array(this.boundsSec.length + 1),
      sum: 0,
    });
  }

  /** Adds one poll of a tracked UPS; it only adds to numbers (called after every poll). */
  observe(key: string, seconds: number): void {
    const series = this.series.get(key);
    if (series === undefined) return;
    let bucket = 0;
    while (bucket < this.boundsSec.length && seconds > (this.boundsSec[bucket] ?? 0)) bucket += 1;
    series.counts[bucket] = (series.counts[bucket] ?? 0) + 1;
    series.sum += seconds;
  }

  clear(): void {
    this.series.clear();
  }

  /** The histogram family, formatted as it is read (see `expositionChunks`). */
  family(): Generator<string> {
    return family(NAME, HELP, 'histogram', this.seriesLines());
  }

  private *seriesLines(): Generator<string> {
    for (const { labels, counts, sum } of this.series.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.boundsSec.length; i += 1) {
        cumulative += counts[i] ?? 0;
        yield `${NAME}_bucket{le="${this.boundsSec[i]}",${labels}} ${cumulative}`;
      }
      const count = cumulative + (counts[this.boundsSec.length] ?? 0);
      yield `${NAME}_bucket{le="+Inf",${labels}} ${count}`;
      yield `${NAME}_sum{${labels}} ${formatSample(sum)}`;
      yield `${NAME}_count{${labels}} ${count}`;
    }
  }
}
