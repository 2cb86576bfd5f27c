/**
 * OSV range evaluation, as the schema's reference algorithm states it
 * (https://ossf.github.io/osv-schema/#evaluation): events sorted by version, `introduced`
 * opens, `fixed` closes (exclusive), `last_affected` closes after itself (inclusive), `limit`
 * bounds the range; a version listed in `versions` is affected whatever the ranges say.
 */
import type { AffectedPackage, AffectedRange, RangeEvent } from './advisory.js';
import { compareSemver } from './semver.js';
import { type Comparator, comparatorFor, ecosystemBase } from './versions.js';

/** The verdict for one version against one affected entry. */
export type RangeVerdict =
  | { readonly affected: false }
  | { readonly affected: true; readonly fixed?: string; readonly lastAffected?: string }
  | { readonly affected: 'unknown'; readonly reason: string };

interface Keyed {
  readonly kind: 'introduced' | 'fixed' | 'last_affected' | 'limit';
  readonly version: string;
}

function keyed(e: RangeEvent): Keyed | undefined {
  if (e.introduced !== undefined) return { kind: 'introduced', version: e.introduced };
  if (e.fixed !== undefined) return { kind: 'fixed', version: e.fixed };
  if (e.last_affected !== undefined) return { kind: 'last_affected', version: e.last_affected };
  if (e.limit !== undefined) return { kind: 'limit', version: e.limit };
  return undefined;
}

/** `0` is below every version, `*` (a limit) above every version. */
function cmp(compare: Comparator, a: string, b: string): number {
  if (a === b) return 0;
  if (a === '0') return -1;
  if (b === '0') return 1;
  if (a === '*') return 1;
  if (b === '*') return -1;
  return Math.sign(compare(a, b));
}

/**
 * Evaluates one range for one version.
 *
 * @example
 * evaluateRange({ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.2' }] }, '1.1', comparePep440);
 * // { affected: true, fixed: '1.2' }
 */
export function evaluateRange(range: AffectedRange, version: string, compare: Comparator): RangeVerdict {
  // Fast path for the shape nearly every distro entry has, `introduced: 0` then one `fixed`:
  // one comparison instead of a sort (matching thousands of packages spends its time here).
  const [first, second] = range.events;
  if (range.events.length === 2 && first?.introduced === '0' && second?.fixed !== undefined && Object.keys(second).length === 1)
    return cmp(compare, version, second.fixed) < 0 ? { affected: true, fixed: second.fixed } : { affected: false };
  const events = range.events.map(keyed).filter((e): e is Keyed => e !== undefined);
  events.sort((x, y) => cmp(compare, x.version, y.version));
  let affected = false;
  for (const e of events) {
    if (e.kind === 'limit') {
      if (cmp(compare, version, e.version) >= 0) return { affected: false };
      continue;
    }
    if (e.kind === 'introduced' && cmp(compare, version, e.version) >= 0) affected = true;
    else if (e.kind === 'fixed' && cmp(compare, version, e.version) >= 0) affected = false;
    else if (e.kind === 'last_affected' && cmp(compare, version, e.version) > 0) affected = false;
  }
  if (!affected) return { affected: false };
  // The fix to report is the first `fixed` event above the version (several introduced/fixed pairs may follow).
  const fixed = events.find((e) => e.kind === 'fixed' && cmp(compare, e.version, version) > 0);
  if (fixed !== undefined) return { affected: true, fixed: fixed.version };
  const last = events.find((e) => e.kind === 'last_affected' && cmp(compare, e.version, version) >= 0);
  return last !== undefined ? { affected: true, lastAffected: last.version } : { affected: true };
}

/**
 * Evaluates an affected entry (its ranges and `versions` list) for one version of its package.
 * Without a comparator for the ecosystem only the `versions` list can answer.
 *
 * @example
 * evaluateAffected({ advisory: 'PYSEC-1', ecosystem: 'PyPI', name: 'x', versions: ['1.0'], ranges: [] }, '1.0');
 * // { affected: true }
 */
export function evaluateAffected(entry: AffectedPackage, version: string, compare: Comparator | undefined = comparatorFor(entry.ecosystem)): RangeVerdict {
  let best: RangeVerdict = { affected: false };
  let unknown: RangeVerdict | undefined;
  for (const range of entry.ranges) {
    if (range.type !== 'ECOSYSTEM' && range.type !== 'SEMVER') continue;
    if (compare === undefined) {
      unknown = { affected: 'unknown', reason: `no version ordering for ${entry.ecosystem}` };
      continue;
    }
    // A SEMVER range orders by SemVer whatever the ecosystem (Go's comparator is SemVer already).
    const v = evaluateRange(range, version, range.type === 'SEMVER' && ecosystemBase(entry.ecosystem) !== 'Go' ? compareSemver : compare);
    if (v.affected === true) {
      // Prefer the verdict that names a fix, then the lowest fix.
      if (best.affected !== true || (v.fixed !== undefined && (best.fixed === undefined || cmp(compare, v.fixed, best.fixed) < 0))) best = v;
    }
  }
  if (best.affected === true) return best;
  if (entry.versions.includes(version)) return { affected: true };
  return unknown ?? best;
}

/** The versions an entry can affect lie below `version` (or at it, when `inclusive`). */
export interface UpperBound {
  readonly version: string;
  readonly inclusive: boolean;
}

/**
 * The highest version an affected entry can affect, or `undefined` when there is none (a range
 * left open, a distro's "not affected" verdict, an ecosystem without an ordering): the database
 * stores the highest bound of a package's entries so that a version above it skips the entries
 * without reading them (the common case: a current package). `null` means the entry can affect
 * no version at all.
 *
 * @example
 * upperBound({ advisory: 'A', ecosystem: 'PyPI', name: 'x', versions: [], ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.2' }] }] }, comparePep440);
 * // { version: '1.2', inclusive: false }
 */
export function upperBound(entry: AffectedPackage, compare: Comparator | undefined): UpperBound | null | undefined {
  if (compare === undefined || entry.status === 'not-affected') return undefined;
  let best: UpperBound | null = null;
  const raise = (b: UpperBound): void => {
    best = higherBound(best, b, compare);
  };
  for (const range of entry.ranges) {
    if (range.type !== 'ECOSYSTEM' && range.type !== 'SEMVER') continue;
    // A SEMVER range outside Go is evaluated by SemVer: its bound would not compare by the ecosystem's order.
    if (range.type === 'SEMVER' && ecosystemBase(entry.ecosystem) !== 'Go' && compare !== compareSemver) return undefined;
    const events = range.events.map(keyed).filter((e): e is Keyed => e !== undefined);
    if (events.length === 0) continue;
    events.sort((x, y) => cmp(compare, x.version, y.version));
    const top = events[events.length - 1] as Keyed;
    // An introduced event at the top (or tied with it) leaves the range open upwards.
    if (events.some((e) => e.kind === 'introduced' && cmp(compare, e.version, top.version) === 0)) return undefined;
    raise({ version: top.version, inclusive: top.kind === 'last_affected' });
  }
  for (const v of entry.versions) raise({ version: v, inclusive: true });
  return best;
}

/**
 * The higher of two bounds (`null`: no bound yet).
 *
 * @example
 * higherBound({ version: '1.2', inclusive: false }, { version: '1.2', inclusive: true }, comparePep440); // the inclusive one
 */
export function higherBound(a: UpperBound | null, b: UpperBound, compare: Comparator): UpperBound {
  if (a === null) return b;
  const c = cmp(compare, b.version, a.version);
  return c > 0 || (c === 0 && b.inclusive && !a.inclusive) ? b : a;
}

/**
 * Whether a version is above a bound (so no entry under it can affect the version).
 *
 * @example
 * aboveBound('1.3', { version: '1.2', inclusive: false }, comparePep440); // true
 */
export function aboveBound(version: string, bound: UpperBound, compare: Comparator): boolean {
  const c = cmp(compare, version, bound.version);
  return bound.inclusive ? c > 0 : c >= 0;
}
