/**
 * Bounded state for stateful rules: an LRU map with a capacity, and per-key time windows
 * capped in length. Memory is O(maxKeys × maxPerKey) whatever the input.
 */

/**
 * A map that forgets its least recently used keys beyond `capacity`, in O(1) per operation:
 * two generations of at most `capacity / 2` keys each; a read moves a key to the young
 * generation, and when the young one is full the old one is dropped whole. (Evicting one key at
 * a time through `Map#keys()` is quadratic in V8, whose maps keep deleted slots until a rehash.)
 * A key survives at least `capacity / 2` insertions of other keys, at most `capacity`.
 *
 * @example
 * const m = new LruMap<string, number>(4); for (const k of 'abcdef') m.set(k, 1); m.has('a'); // false
 */
export class LruMap<K, V> {
  #young = new Map<K, V>();
  #old = new Map<K, V>();
  readonly capacity: number;
  readonly #half: number;
  /** Keys forgotten because the map was full. */
  evicted = 0;
  constructor(capacity: number) {
    this.capacity = Math.max(2, Math.floor(capacity));
    this.#half = Math.max(1, Math.floor(this.capacity / 2));
  }
  get size(): number {
    return this.#young.size + this.#old.size;
  }
  has(k: K): boolean {
    return this.#young.has(k) || this.#old.has(k);
  }
  /** Reads and marks as recently used. */
  get(k: K): V | undefined {
    const v = this.#young.get(k);
    if (v !== undefined) return v;
    const o = this.#old.get(k);
    if (o !== undefined) {
      this.#old.delete(k);
      this.#insert(k, o);
    }
    return o;
  }
  set(k: K, v: V): void {
    if (this.#young.has(k)) {
      this.#young.set(k, v);
      return;
    }
    this.#old.delete(k);
    this.#insert(k, v);
  }
  /** Adds a key the caller knows is absent (it just asked {@link has}): one map operation fewer. */
  add(k: K, v: V): void {
    this.#insert(k, v);
  }
  delete(k: K): void {
    this.#young.delete(k);
    this.#old.delete(k);
  }
  #insert(k: K, v: V): void {
    if (this.#young.size >= this.#half) {
      this.evicted += this.#old.size;
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(k, v);
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
