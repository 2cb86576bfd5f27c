/**
 * One copy of each string value of a large load.
 *
 * Two things make the parsed values of a large input cost more memory than their data:
 * - js-yaml cuts scalars out of the document's text with `slice`, and V8 keeps a slice of 13
 *   characters or more as a view that holds the whole text alive. A load too large to keep its
 *   texts for positions (files.ts reads them again instead) would keep them anyway, through
 *   the values: about a copy of the input.
 * - The same values repeat across objects: labels, images, namespaces, environment names,
 *   selectors. Each parse makes a string of its own for each occurrence.
 *
 * {@link StringPool.compact} copies a parsed value with every string replaced by one pooled copy
 * per distinct text, a copy that is a string of its own (not a view), so the texts can go and
 * each repeat costs a pointer. Object keys need nothing: V8 keeps property names once.
 *
 * Measured on the generated sets (heap after the load, forced collections): synthetic-20k 76.9
 * to 70.9 MB pooled, 42.6 MB pooled and compacted; replicated-20k 116.1 to 79.1 and 39.7 MB
 * (docs/benchmarks.md, sixth session).
 */

import { detached } from '../core/finding.js';

/** The length from which V8 makes a view (SlicedString) rather than a copy for a substring. */
const VIEW_MIN_LENGTH = 13;

/**
 * Pools the string values of parsed documents for the duration of a load.
 *
 * @example
 * const pool = new StringPool();
 * const a = { metadata: { labels: { app: 'web-frontend-service' } } };
 * const b = { metadata: { labels: { app: 'web-frontend-service' } } };
 * const [ca, cb] = [pool.compact(a, true), pool.compact(b, true)];
 * // equal to a and b; cb's label is the very string ca's label is
 */
export class StringPool {
  readonly #pool = new Map<string, string>();

  /** Distinct strings held. */
  get size(): number {
    return this.#pool.size;
  }

  /**
   * The pooled string equal to `s`. `views` says whether `s` may be a view into a larger
   * text (a value parsed on this thread); values cloned from another thread never are, and are
   * pooled as they are.
   */
  intern(s: string, views: boolean): string {
    const hit = this.#pool.get(s);
    if (hit !== undefined) return hit;
    const own = views && s.length >= VIEW_MIN_LENGTH ? detached(s) : s;
    this.#pool.set(own, own);
    return own;
  }

  /**
   * A copy of `value` (plain objects and arrays, as a YAML or JSON parse makes them) with every
   * string replaced by its pooled copy. The copy is also smaller than what the parse made: a
   * parser adds properties one at a time, and V8 leaves the room it grew for them; a spread
   * copy and `slice` allocate what is there (on the generated 20,000-object set, 50.3 to 42.6
   * MB of heap for 0.1 s). Values that are not objects are returned as they are.
   */
  compact(value: unknown, views: boolean): unknown {
    if (typeof value === 'string') return this.intern(value, views);
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) {
      const out = value.slice();
      for (let i = 0; i < out.length; i++) {
        const x: unknown = out[i];
        if (typeof x === 'string') out[i] = this.intern(x, views);
        else if (typeof x === 'object' && x !== null) out[i] = this.compact(x, views);
      }
      return out;
    }
    // Only plain objects are rebuilt (a spread copy of anything else would lose its prototype).
    if (Object.getPrototypeOf(value) !== Object.prototype) return value;
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const k in out) {
      const x = out[k];
      if (typeof x === 'string') out[k] = this.intern(x, views);
      else if (typeof x === 'object' && x !== null) out[k] = this.compact(x, views);
    }
    return out;
  }
}
