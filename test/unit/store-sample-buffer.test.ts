/**
 * The writer's sample buffer (bounded FIFO, cleaned on entry, stored by column) and the
 * per-file flush phase.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SampleBuffer, type SampleValue } from '../../src/store/sample-buffer.js';
import { SAMPLE_COLUMNS, sampleFromVars, type SampleRow } from '../../src/store/sample.js';
import { flushPhaseFor } from '../../src/store/stats-store.js';

const DERIVED = { depletionRate: 0.5, timeOnBatterySec: 0, connectionState: 'OK' };

function row(ts: number, values: Partial<SampleRow> = {}): SampleRow {
  return {
    ...sampleFromVars({ 'ups.status': 'OL', 'battery.charge': '90' }, DERIVED, ts * 1000),
    ...values,
  };
}

/** The buffered rows, oldest first, as objects keyed by column. */
function contents(buffer: SampleBuffer, count = buffer.length): Record<string, SampleValue>[] {
  const out: Record<string, SampleValue>[] = [];
  buffer.forEachOldest(count, (values) =>
    out.push(Object.fromEntries(SAMPLE_COLUMNS.map((c, i) => [c, values[i] ?? null]))),
  );
  return out;
}

describe('SampleBuffer', () => {
  it('gives back a well-formed row exactly, in column order', () => {
    const buffer = new SampleBuffer(10);
    const sample = row(1_800_000_000, { battery_runtime: 1234.5, status: 'OB DISCHRG' });
    assert.equal(buffer.push(sample), 0);
    assert.deepEqual(contents(buffer), [{ ...sample }]);
  });

  it('turns anything SQLite could choke on into NULL, and refuses a row without ts', () => {
    const buffer = new SampleBuffer(10);
    const bad = {
      ts: 1_800_000_000.7,
      status: 42,
      battery_charge: Number.NaN,
      battery_runtime: '1200',
      ups_load: undefined,
      input_voltage: Number.POSITIVE_INFINITY,
      time_on_battery: 12.9,
      connection_state: null,
    } as unknown as SampleRow;
    assert.equal(buffer.push(bad), 0);
    const [clean] = contents(buffer);
    assert.equal(clean?.ts, 1_800_000_000);
    assert.equal(clean?.time_on_battery, 12);
    for (const column of SAMPLE_COLUMNS) {
      if (column !== 'ts' && column !== 'time_on_battery')
        assert.equal(clean?.[column], null, column);
    }
    assert.equal(buffer.push({ ...row(1), ts: Number.NaN }), 1, 'refused rows count as dropped');
    assert.equal(buffer.push({ ...row(1), ts: '5' as unknown as number }), 1);
    assert.equal(buffer.length, 1);
  });

  it('keeps what the caller changes afterwards out of the buffer', () => {
    const buffer = new SampleBuffer(10);
    const sample = row(1_800_000_000);
    buffer.push(sample);
    sample.battery_charge = 1;
    sample.status = 'OB';
    assert.equal(contents(buffer)[0]?.battery_charge, 90);
    assert.equal(contents(buffer)[0]?.status, 'OL');
  });

  it('drops the oldest beyond its bound, across growth and ring wrap-around', () => {
    const buffer = new SampleBuffer(40);
    let dropped = 0;
    for (let ts = 1; ts <= 100; ts += 1) dropped += buffer.push(row(ts));
    assert.equal(dropped, 60);
    assert.equal(buffer.length, 40);
    assert.deepEqual(
      contents(buffer).map((r) => r.ts),
      Array.from({ length: 40 }, (_, i) => 61 + i),
    );
  });

  it('holds a bound smaller than its initial capacity', () => {
    const buffer = new SampleBuffer(3);
    const dropped = [1, 2, 3, 4, 5].map((ts) => buffer.push(row(ts)));
    assert.deepEqual(dropped, [0, 0, 0, 1, 1]);
    assert.deepEqual(
      contents(buffer).map((r) => r.ts),
      [3, 4, 5],
    );
  });

  it('removes only what was written: samples added meanwhile stay', () => {
    const buffer = new SampleBuffer(1000);
    for (let ts = 1; ts <= 25; ts += 1) buffer.push(row(ts));
    const written = buffer.length;
    const firstFive = contents(buffer, 5).map((r) => r.ts);
    assert.deepEqual(firstFive, [1, 2, 3, 4, 5]);
    buffer.push(row(99));
    buffer.dropOldest(written);
    assert.deepEqual(
      contents(buffer).map((r) => r.ts),
      [99],
    );
    buffer.dropOldest(10);
    assert.equal(buffer.length, 0);
    assert.deepEqual(contents(buffer), []);
    buffer.push(row(100));
    assert.deepEqual(
      contents(buffer).map((r) => r.ts),
      [100],
      'usable again after shrinking back',
    );
  });

  it('rejects a bound that is not a positive integer', () => {
    assert.throws(() => new SampleBuffer(0), RangeError);
  });
});

describe('flushPhaseFor', () => {
  it('is stable per path, within the period, and spreads different paths', () => {
    const period = 10_000;
    const phases = Array.from({ length: 1000 }, (_, i) =>
      flushPhaseFor(`/var/lib/eneru/ups-${i}.db`, period),
    );
    for (const p of phases) assert.ok(Number.isInteger(p) && p >= 0 && p < period);
    assert.equal(flushPhaseFor('/var/lib/eneru/ups-7.db', period), phases[7]);
    const perSecond = new Array<number>(10).fill(0);
    for (const p of phases) perSecond[Math.floor(p / 1000)]! += 1;
    for (const n of perSecond)
      assert.ok(n > 50 && n < 150, `uneven spread: ${perSecond.join(',')}`);
  });
});
