/**
 * A FIFO with a capacity: pushing into a full queue drops the oldest item (and says so).
 * Amortised O(1) per operation even while full, which matters when a database stays
 * unavailable for hours and every poll pushes into a queue of 100 000 samples.
 */
export class BoundedQueue<T> {
  private items: T[] = [];
  private head = 0;

  constructor(private capacity: number) {}

  get length(): number {
    return this.items.length - this.head;
  }

  /** Appends `item`; returns how many old items were dropped to make room (0 or more). */
  push(item: T): number {
    this.items.push(item);
    return this.trim();
  }

  /** A copy of the queued items, oldest first. */
  toArray(): T[] {
    return this.items.slice(this.head);
  }

  /** Removes the `count` oldest items (those just persisted). */
  dropOldest(count: number): void {
    this.head += Math.min(count, this.length);
    this.compact();
  }

  /** Changes the capacity; returns how many items were dropped to fit. */
  resize(capacity: number): number {
    this.capacity = capacity;
    return this.trim();
  }

  private trim(): number {
    const excess = this.length - this.capacity;
    if (excess <= 0) return 0;
    this.head += excess;
    this.compact();
    return excess;
  }

  private compact(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
