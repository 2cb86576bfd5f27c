/**
 * The fixes `/mutate` proposes for one object, proven like every fix: the object is patched, the
 * patched object is evaluated again by the same scan, and the patch is kept only when the fixed
 * findings are gone and nothing new fails.
 *
 * Source of the fixes: the `fix` operations checks emit with their findings (`FixOperation` in
 * core/check.ts), for the findings the caller selected (`admission.mutateChecks`). The fix
 * engine's classification of safe fixes (src/fix/) replaces this selection when it is on main.
 */
import type { Finding, JsonObject } from '../core/types.js';
import { fixesToJsonPatch, type JsonPatchOperation } from './patch.js';

/** A proven patch and what it does. */
export interface FixProposal {
  /** RFC 6902 operations; empty when no fix could be proven. */
  readonly patch: readonly JsonPatchOperation[];
  /** The findings the patch fixes. */
  readonly fixed: readonly Finding[];
  /** Selected findings whose fix did not resolve them (left out of the patch). */
  readonly notFixed: readonly Finding[];
}

/** Identity of a finding across the object and its patched copy. */
const keyOf = (f: Finding): string => `${f.check}\u0000${f.pointer}`;

/**
 * Patches `object` with the fixes of `selected` and proves the result with `rescan` (the failing
 * findings of the patched object). Fixes that do not resolve their finding are left out and the
 * rest is proven again, once; a patch after which a finding fails that did not before is never
 * proposed.
 *
 * @example
 * const { patch } = proposeFixes(pod, fixable, failing, (p) => evaluateObject(p, options, today).findings.filter(isFail));
 */
export function proposeFixes(
  object: JsonObject,
  selected: readonly Finding[],
  failing: readonly Finding[],
  rescan: (patched: JsonObject) => readonly Finding[],
): FixProposal {
  const before = new Set(failing.map(keyOf));
  let candidates = [...selected];
  for (let round = 0; round < 2 && candidates.length > 0; round++) {
    const { patch, patched } = fixesToJsonPatch(
      object,
      candidates.flatMap((f) => f.fix ?? []),
    );
    if (patch.length === 0) break;
    const after = rescan(patched).map(keyOf);
    const afterSet = new Set(after);
    if (after.some((k) => !before.has(k))) break;
    const still = candidates.filter((f) => afterSet.has(keyOf(f)));
    if (still.length === 0) return { patch, fixed: candidates, notFixed: selected.filter((f) => !candidates.includes(f)) };
    candidates = candidates.filter((f) => !afterSet.has(keyOf(f)));
  }
  return { patch: [], fixed: [], notFixed: selected };
}
