/**
 * The code cache of tier 2: the installed traces, bounded in number (`--max-traces`), so that a
 * long run that keeps finding new loops (or recompiling old ones) does not grow without end.
 *
 * When an installation takes it past its capacity, the trace entered least recently goes (the
 * cache's own clock ticks at each entry, so "recently" is in entries, not time); the one just
 * installed always stays, whatever the capacity. Eviction is a scan for the oldest entry: it
 * happens only when a trace is compiled, which costs far more, and a scan keeps trace entry at
 * one store. The caller unhooks what was evicted from its loop header.
 */

/** What the cache needs of an entry: the clock tick of its last use. */
export interface CacheEntry {
  lastEntered: number;
}

export class TraceCache<T extends CacheEntry> {
  private readonly entries = new Set<T>();
  private clock = 0;

  constructor(
    /** Entries kept at most (at least one is always kept). */
    readonly capacity: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Every entry, oldest installation first. */
  all(): IterableIterator<T> {
    return this.entries.values();
  }

  /** `entry` was used: it becomes the most recent. */
  touch(entry: T): void {
    entry.lastEntered = ++this.clock;
  }

  /** Adds `entry` as the most recent; answers the entries evicted to stay within capacity. */
  add(entry: T): T[] {
    this.touch(entry);
    this.entries.add(entry);
    const evicted: T[] = [];
    while (this.entries.size > Math.max(1, this.capacity)) {
      const oldest = this.leastRecent();
      this.entries.delete(oldest);
      evicted.push(oldest);
    }
    return evicted;
  }

  remove(entry: T): void {
    this.entries.delete(entry);
  }

  private leastRecent(): T {
    let oldest: T | null = null;
    for (const entry of this.entries) if (oldest === null || entry.lastEntered < oldest.lastEntered) oldest = entry;
    // Invariant: called only while the cache holds more than one entry.
    return oldest!;
  }
}
