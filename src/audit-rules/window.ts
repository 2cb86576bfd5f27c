/**
 * Bounded state for stateful rules: an LRU map with a capacity, and per-key time windows
 * capped in length. Memory is O(maxKeys × maxPerKey) whatever the input.
 */

/**
 * A map that forgets its least recently used key beyond `capacity`.
 *
 * @example
 * const m = new LruMap<string, number>(2); m.set('a', 1); m.set('b', 2); m.set('c', 3); m.has('a'); // false
 */
export class LruMap<K, V> {
  readonly #map = new Map<K, V>();
  readonly capacity: number;
  /** Keys forgotten because the map was full. */
  evicted = 0;
  constructor(capacity: number) {
    this.capacity = Math.max(1, Math.floor(capacity));
  }
  get size(): number {
    return this.#map.size;
  }
  has(k: K): boolean {
    return this.#map.has(k);
  }
  /** Reads and marks as recently used. */
  get(k: K): V | undefined {
    const v = this.#map.get(k);
    if (v !== undefined) {
      this.#map.delete(k);
      this.#map.set(k, v);
    }
    return v;
  }
  set(k: K, v: V): void {
    if (this.#map.has(k)) this.#map.delete(k);
    else if (this.#map.size >= this.capacity) {
      const oldest = this.#map.keys().next();
      if (!oldest.done) {
        this.#map.delete(oldest.value);
        this.evicted++;
      }
    }
    this.#map.set(k, v);
  }
  delete(k: K): void {
    this.#map.delete(k);
  }
}

/**
 * Timestamps of one key within a sliding window, at most `cap` of them (the oldest are
 * dropped first, so a flood cannot grow it).
 *
 * @example
 * const w = new TimeWindow(60_000, 100); w.add(0); w.add(1000); w.count(2000); // 2
 */
export class TimeWindow {
  readonly #times: number[] = [];
  constructor(
    readonly windowMs: number,
    readonly cap: number,
  ) {}
  add(t: number): void {
    this.#times.push(t);
    if (this.#times.length > this.cap) this.#times.shift();
  }
  /** Count of timestamps within `windowMs` before `now` (older ones are dropped). */
  count(now: number): number {
    const from = now - this.windowMs;
    while (this.#times.length > 0 && (this.#times[0] as number) < from) this.#times.shift();
    return this.#times.length;
  }
  clear(): void {
    this.#times.length = 0;
  }
}
