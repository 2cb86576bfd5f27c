/**
 * V8's old-generation growth for the commands that hold a whole scan in memory.
 *
 * Between two full collections V8 lets the old generation grow to up to four times what the
 * last one left alive, on a machine where the heap limit is far away (docs/benchmarks.md): a
 * scan of 100,000 objects ran three full collections and ended at 1.8 GB of RSS for about
 * 600 MB alive. A growing factor of 1.5 keeps the heap near what is alive for a few more
 * collections: peak RSS 1,726-1,779 MB to 1,088-1,234 MB, for 5 to 18 % more CPU (pairs run at
 * the same time, load 4-9). A memory-bound runner fails; a slower scan does not. Unlike the
 * young generation's size, V8 reads this flag at every collection, so it can be set after
 * start-up (Node leaves V8's flags writable for `v8.setFlagsFromString`).
 */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Inventories from this many objects on get the factor. Below, the heap stays small and the
 * extra full collections cost about 3 % of CPU for no memory saved (the real-world corpus,
 * 1,643 objects: 1.70-1.93 s against 1.75-2.00 s, peak RSS 143-150 MB either way).
 */
export const LARGE_INVENTORY = 20_000;

/** The growing factor as V8 takes it: 1 + percent / 100. */
export const SCAN_HEAP_GROWING_PERCENT = 50;

/**
 * Sets the heap growing factor for this process, unless node's own arguments set one
 * (`node --heap-growing-percent=0 palisade ...` keeps V8's heuristic; `NODE_OPTIONS` does not
 * accept the flag). Returns whether it set it.
 *
 * @example
 * if (inventory.size >= LARGE_INVENTORY) tuneHeapForScan(); // before the checks
 */
export function tuneHeapForScan(execArgv: readonly string[] = process.execArgv): boolean {
  const given = execArgv.some((a) => /^--heap[-_]growing[-_]percent(=|$)/.test(a));
  if (given) return false;
  v8.setFlagsFromString(`--heap-growing-percent=${SCAN_HEAP_GROWING_PERCENT}`);
  collectNow();
  return true;
}

/**
 * One full collection now, so that the factor bounds the heap from here on: V8 applies it when
 * it next sets the old generation's limit, at the end of a full collection, and the limit set at
 * the last one (during the load, with the default factor) let the heap of a 100,000-object
 * scan grow to 625 MB before the next. Costs one collection of what the load left (about
 * 0.15 s at 100,000 objects). `gc` is reached through a new context, where `--expose-gc` set
 * at run time installs it, and the flag is cleared again.
 */
function collectNow(): void {
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') {
    // node --expose-gc: the flag is the user's, leave it set.
    exposed();
    return;
  }
  v8.setFlagsFromString('--expose-gc');
  try {
    const gc: unknown = runInNewContext('gc');
    if (typeof gc === 'function') gc();
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}
