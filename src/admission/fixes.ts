/**
 * The fixes `/mutate` proposes for one object: the safe fixes of the fix engine (src/fix/,
 * `planFixes`), proven as `palisade fix` proves them: the object is patched, the patched object
 * is evaluated again by the same scan (same checks, configuration and exceptions), and the patch
 * is kept only when the fixed findings are gone and nothing new fails. Fixes the engine marks
 * "review" (`fixSafety: 'review'`: a read-only root filesystem, a non-root user) are never applied
 * by admission. The patch is then checked once more with RFC 6902's strict rules, since the API
 * server rejects a whole request when one operation does not apply.
 */
import { plainFinding } from '../core/finding.js';
import type { Finding, JsonObject } from '../core/types.js';
import { planFixes } from '../fix/fix.js';
import { applyJsonPatch, FROZEN_POINTER, type JsonPatchOperation } from './patch.js';

/** A proven patch and what it does. */
export interface FixProposal {
  /** RFC 6902 operations; empty when no fix could be proven. */
  readonly patch: readonly JsonPatchOperation[];
  /** The findings the patch fixes. */
  readonly fixed: readonly Finding[];
  /** Selected findings left unfixed (a fix marked "review", a fix the rescan disproved). */
  readonly notFixed: readonly Finding[];
}

/**
 * The proven safe fixes of `selected` (failing findings of `object`, waivers already applied)
 * as a JSON Patch. `rescan` returns the failing findings of a patched copy of the object.
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
  const none = { patch: [], fixed: [], notFixed: selected };
  if (selected.length === 0) return none;
  // The fix engine proves a fix by comparing every failing finding of the object before and after,
  // so it sees them all; those not selected (`admission.mutateChecks`) go without their fix.
  const chosen = new Set(selected);
  const outcome = planFixes({
    findings: failing.map((f) => (chosen.has(f) ? f : { ...plainFinding(f), fix: undefined })),
    // Safe fixes only: admission changes objects nobody reviews.
    selection: {},
    readText: () => undefined,
    objectOf: () => object,
    rescan: ({ objects }) => rescan([...objects.values()][0] ?? object),
    remediationOf: () => '',
  });
  const applied = outcome.objects[0];
  if (!applied || applied.patch.length === 0) return none;
  const patch: JsonPatchOperation[] = [...applied.patch];
  if (patch.some((op) => FROZEN_POINTER.test(op.path))) return none;
  try {
    applyJsonPatch(object, patch);
  } catch {
    return none;
  }
  const fixed = new Set(applied.findings);
  return { patch, fixed: applied.findings, notFixed: selected.filter((f) => !fixed.has(f)) };
}
