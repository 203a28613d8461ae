/**
 * The samples recorded but not yet written, oldest first, bounded: a full buffer drops its
 * oldest sample. Samples are cleaned on entry (every numeric column a finite number or null,
 * text columns a string or null, `ts` whole seconds), so one malformed row from a caller can
 * never make every later flush fail, and later changes to the caller's object change nothing.
 *
 * Stored by column in a typed array rather than as one object per sample: a sample waits up to
 * a flush period (10 s), long enough for V8 to promote an object to the old generation, where
 * it dies a moment later. At 1000 UPSes that was ~1000 promoted objects per second, each with
 * its boxed numbers, and the largest share of the daemon's garbage-collection work. Here a
 * sample is 14 doubles (NaN meaning NULL; cleaned values are never NaN) and two references.
 */
import { SAMPLE_COLUMNS, type SampleRow } from './sample.js';

/** One column value as bound to the insert statement. */
export type SampleValue = number | string | null;

type TextColumn = 'status' | 'connection_state';
type NumericColumn = Exclude<(typeof SAMPLE_COLUMNS)[number], TextColumn>;

const TEXT_COLUMNS: readonly TextColumn[] = ['status', 'connection_state'];
const NUMERIC_COLUMNS = SAMPLE_COLUMNS.filter(
  (c): c is NumericColumn => !(TEXT_COLUMNS as readonly string[]).includes(c),
);

/** Where each column of SAMPLE_COLUMNS lives: its slot in the numeric or the text rows. */
const LAYOUT = SAMPLE_COLUMNS.map((column) => {
  const text = (TEXT_COLUMNS as readonly string[]).indexOf(column);
  return text >= 0
    ? { text: true, slot: text }
    : { text: false, slot: NUMERIC_COLUMNS.indexOf(column as NumericColumn) };
});

const WIDTH = NUMERIC_COLUMNS.length;
const TS_SLOT = NUMERIC_COLUMNS.indexOf('ts');
const ON_BATTERY_SLOT = NUMERIC_COLUMNS.indexOf('time_on_battery');
const INITIAL_ROWS = 16;

function cleanNumber(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : Number.NaN;
}

export class SampleBuffer {
  private numbers: Float64Array;
  private texts: (string | null)[];
  private capacityRows: number;
  /** Capacity of an empty buffer; it grows while the database cannot take the samples. */
  private readonly initialRows: number;
  /** Ring position of the oldest sample. */
  private oldest = 0;
  private size = 0;
  /** One row of values handed to `forEachOldest`'s visitor, reused for every row. */
  private readonly row: SampleValue[] = new Array<SampleValue>(SAMPLE_COLUMNS.length).fill(null);

  constructor(private readonly maxRows: number) {
    if (!Number.isInteger(maxRows) || maxRows < 1) {
      throw new RangeError(`maxRows must be an integer >= 1, got ${maxRows}`);
    }
    this.initialRows = Math.min(INITIAL_ROWS, maxRows);
    this.capacityRows = this.initialRows;
    this.numbers = new Float64Array(this.initialRows * WIDTH);
    this.texts = new Array<string | null>(this.initialRows * 2).fill(null);
  }

  get length(): number {
    return this.size;
  }

  /**
   * Cleans and appends `row`. Returns how many samples were dropped: 1 when `row` has no usable
   * `ts` (refused) or when the buffer was full (its oldest sample), else 0.
   */
  push(row: Readonly<SampleRow>): number {
    const ts = cleanNumber(row.ts);
    if (Number.isNaN(ts)) return 1;
    let dropped = 0;
    if (this.size === this.capacityRows) {
      if (this.capacityRows < this.maxRows) {
        this.reallocate(Math.min(this.maxRows, this.capacityRows * 2));
      } else {
        this.oldest = (this.oldest + 1) % this.capacityRows;
        this.size -= 1;
        dropped = 1;
      }
    }
    const at = (this.oldest + this.size) % this.capacityRows;
    const base = at * WIDTH;
    for (let i = 0; i < WIDTH; i += 1) {
      this.numbers[base + i] = cleanNumber(row[NUMERIC_COLUMNS[i] as NumericColumn]);
    }
    this.numbers[base + TS_SLOT] = Math.floor(ts);
    this.numbers[base + ON_BATTERY_SLOT] = Math.trunc(cleanNumber(row.time_on_battery));
    for (let i = 0; i < TEXT_COLUMNS.length; i += 1) {
      const value: unknown = row[TEXT_COLUMNS[i] as TextColumn];
      this.texts[at * 2 + i] = typeof value === 'string' ? value : null;
    }
    this.size += 1;
    return dropped;
  }

  /**
   * Hands the oldest `count` samples to `visit`, oldest first, each as its values in
   * SAMPLE_COLUMNS order. The array is reused between calls: read it, do not keep it.
   */
  forEachOldest(count: number, visit: (values: readonly SampleValue[]) => void): void {
    const rows = Math.min(count, this.size);
    for (let n = 0; n < rows; n += 1) {
      const at = (this.oldest + n) % this.capacityRows;
      for (let column = 0; column < LAYOUT.length; column += 1) {
        const { text, slot } = LAYOUT[column] as { text: boolean; slot: number };
        if (text) {
          this.row[column] = this.texts[at * 2 + slot] ?? null;
        } else {
          const value = this.numbers[at * WIDTH + slot] ?? Number.NaN;
          this.row[column] = Number.isNaN(value) ? null : value;
        }
      }
      visit(this.row);
    }
  }

  /** Removes the oldest `count` samples (those just written); an emptied buffer shrinks. */
  dropOldest(count: number): void {
    const rows = Math.min(count, this.size);
    this.oldest = (this.oldest + rows) % this.capacityRows;
    this.size -= rows;
    // After an outage of the database the buffer may have grown large: give that back.
    if (this.size === 0 && this.capacityRows > this.initialRows) this.reallocate(this.initialRows);
  }

  private reallocate(capacityRows: number): void {
    const numbers = new Float64Array(capacityRows * WIDTH);
    const texts = new Array<string | null>(capacityRows * 2).fill(null);
    for (let n = 0; n < this.size; n += 1) {
      const from = (this.oldest + n) % this.capacityRows;
      numbers.set(this.numbers.subarray(from * WIDTH, (from + 1) * WIDTH), n * WIDTH);
      texts[n * 2] = this.texts[from * 2] ?? null;
      texts[n * 2 + 1] = this.texts[from * 2 + 1] ?? null;
    }
    this.numbers = numbers;
    this.texts = texts;
    this.capacityRows = capacityRows;
    this.oldest = 0;
  }
}
