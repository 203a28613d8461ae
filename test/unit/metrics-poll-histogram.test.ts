/**
 * The poll-duration histogram renders as prom-client renders a labelled histogram: `le` first,
 * cumulative buckets with inclusive bounds, `+Inf`, `_sum`, `_count`, one series per UPS.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PollDurationHistogram } from '../../src/metrics/poll-histogram.js';

function rendered(histogram: PollDurationHistogram): string {
  return [...histogram.family()].join('\n');
}

describe('PollDurationHistogram', () => {
  it('renders only HELP and TYPE before the first observation', () => {
    assert.equal(
      rendered(new PollDurationHistogram([0.1, 1])),
      '# HELP eneru_poll_duration_seconds Duration of one NUT poll of a UPS (all variables), in seconds.\n' +
        '# TYPE eneru_poll_duration_seconds histogram',
    );
  });

  it('counts cumulatively with inclusive bounds, one series per UPS, labels escaped', () => {
    const histogram = new PollDurationHistogram([0.1, 1]);
    histogram.track('a', 'A', 'Rack "1"');
    histogram.observe('a', 0.1);
    histogram.track('a', 'ignored', 'ignored');
    histogram.observe('a', 0.5);
    histogram.observe('a', 3);
    histogram.track('b', 'B', 'B');
    histogram.observe('b', 0.01);
    histogram.observe('untracked', 1);
    const lines = rendered(histogram).split('\n').slice(2);
    assert.deepEqual(lines, [
      'eneru_poll_duration_seconds_bucket{le="0.1",ups="A",label="Rack \\"1\\""} 1',
      'eneru_poll_duration_seconds_bucket{le="1",ups="A",label="Rack \\"1\\""} 2',
      'eneru_poll_duration_seconds_bucket{le="+Inf",ups="A",label="Rack \\"1\\""} 3',
      'eneru_poll_duration_seconds_sum{ups="A",label="Rack \\"1\\""} 3.6',
      'eneru_poll_duration_seconds_count{ups="A",label="Rack \\"1\\""} 3',
      'eneru_poll_duration_seconds_bucket{le="0.1",ups="B",label="B"} 1',
      'eneru_poll_duration_seconds_bucket{le="1",ups="B",label="B"} 1',
      'eneru_poll_duration_seconds_bucket{le="+Inf",ups="B",label="B"} 1',
      'eneru_poll_duration_seconds_sum{ups="B",label="B"} 0.01',
      'eneru_poll_duration_seconds_count{ups="B",label="B"} 1',
    ]);
    histogram.clear();
    assert.equal(rendered(histogram).split('\n').length, 2);
  });
});
