/**
 * Everything recorded but not yet in the database: samples (bounded, oldest dropped), events
 * (bounded, oldest dropped) and the latest value per meta key. Input is cleaned on entry, so a
 * malformed record is refused here instead of making every later transaction fail.
 */
import type { EventInput } from './connection.js';
import type { SampleRow } from './sample.js';
import { SampleBuffer } from './sample-buffer.js';

// Epoch seconds stay below this until the year 5138; anything larger was given in ms.
const MAX_EPOCH_SEC = 1e11;

export class PendingWrites {
  readonly samples: SampleBuffer;
  readonly events: EventInput[] = [];
  readonly meta = new Map<string, string>();
  droppedSamples = 0;
  droppedEvents = 0;

  constructor(
    maxSamples: number,
    private readonly maxEvents: number,
  ) {
    this.samples = new SampleBuffer(maxSamples);
  }

  addSample(row: SampleRow): void {
    this.droppedSamples += this.samples.push(row);
  }

  /** Queues the event; returns false (and counts it dropped) when it cannot be stored. */
  addEvent(e: EventInput): boolean {
    if (!Number.isFinite(e.ts) || typeof e.eventType !== 'string' || e.eventType === '') {
      this.droppedEvents += 1;
      return false;
    }
    this.events.push({
      ts: e.ts > MAX_EPOCH_SEC ? Math.floor(e.ts / 1000) : Math.floor(e.ts),
      eventType: e.eventType,
      detail: typeof e.detail === 'string' ? e.detail : String(e.detail ?? ''),
      notificationSent: e.notificationSent === true,
    });
    if (this.events.length > this.maxEvents) {
      this.events.shift();
      this.droppedEvents += 1;
    }
    return true;
  }

  /** Queues the value; returns false when key or value is not a string. */
  setMeta(key: string, value: string): boolean {
    if (typeof key !== 'string' || typeof value !== 'string') return false;
    this.meta.set(key, value);
    return true;
  }
}
