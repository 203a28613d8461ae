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

  /** Adds one poll of the UPS `key` (its labels are taken from the first observation). */
  observe(key: string, labels: () => { ups: string; label: string }, seconds: number): void {
    let series = this.series.get(key);
    if (series === undefined) {
      const { ups, label } = labels();
      series = {
        labels: labelText([
          ['ups', ups],
          ['label', label],
        ]),
        counts: new Float64Array(this.boundsSec.length + 1),
        sum: 0,
      };
      this.series.set(key, series);
    }
    let bucket = this.boundsSec.findIndex((bound) => seconds <= bound);
    if (bucket < 0) bucket = this.boundsSec.length;
    series.counts[bucket] = (series.counts[bucket] ?? 0) + 1;
    series.sum += seconds;
  }

  clear(): void {
    this.series.clear();
  }

  /** Appends the histogram family to the exposition lines `out`. */
  render(out: string[]): void {
    const lines: string[] = [];
    for (const { labels, counts, sum } of this.series.values()) {
      let cumulative = 0;
      this.boundsSec.forEach((bound, i) => {
        cumulative += counts[i] ?? 0;
        lines.push(`${NAME}_bucket{le="${bound}",${labels}} ${cumulative}`);
      });
      const count = cumulative + (counts[this.boundsSec.length] ?? 0);
      lines.push(
        `${NAME}_bucket{le="+Inf",${labels}} ${count}`,
        `${NAME}_sum{${labels}} ${formatSample(sum)}`,
        `${NAME}_count{${labels}} ${count}`,
      );
    }
    family(out, NAME, HELP, 'histogram', lines);
  }
}
