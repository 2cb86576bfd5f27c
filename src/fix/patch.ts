/**
 * The fixes of one object as a JSON Patch (RFC 6902), proven like every fix: the object is
 * checked, the selected fixes applied, the result checked again, and the patch kept only when
 * the fixed findings are gone and nothing new fails. This is what a mutating admission webhook
 * returns; it needs no file and no source text.
 */
import { builtinChecks } from '../checks/index.js';
import { builtinModels } from '../checks/models.js';
import type { AnyCheck, FixOperation } from '../core/check.js';
import { runChecks } from '../core/engine.js';
import { Inventory } from '../core/inventory.js';
import type { Finding, JsonObject, JsonValue } from '../core/types.js';
import { planFixes } from './fix.js';
import type { FixSelection } from './plan.js';

/** Options of {@link fixPatchFor}. */
export interface FixPatchOptions extends FixSelection {
  /** The checks to run (default: the built-in catalogue). */
  readonly checks?: readonly AnyCheck[];
  /** Per-check parameters, keyed by check id (as `checks.<id>.params`, `fixValue` included). */
  readonly params?: Readonly<Record<string, Readonly<Record<string, JsonValue>>>>;
  /** The target Kubernetes version, `v1.N`. */
  readonly kubernetesVersion?: string;
  /** Other objects the checks may look up (the object's namespace, its service account...). */
  readonly context?: readonly JsonObject[];
}

/** The result of {@link fixPatchFor}. */
export interface FixPatch {
  /** The JSON Patch; empty when nothing is fixed. */
  readonly patch: readonly FixOperation[];
  /** The findings the patch fixes. */
  readonly fixed: readonly Finding[];
  /** Failing findings left: fixed by hand, unsafe fixes not selected, or fixes the recheck disproved. */
  readonly remaining: readonly Finding[];
}

function scanObjects(objects: readonly JsonObject[], options: FixPatchOptions): readonly Finding[] {
  const inventory = new Inventory();
  for (const object of objects) inventory.add({ object });
  return runChecks(inventory, {
    checks: options.checks ?? builtinChecks,
    models: builtinModels,
    ...(options.params ? { params: options.params } : {}),
    ...(options.kubernetesVersion !== undefined ? { kubernetesVersion: options.kubernetesVersion } : {}),
  }).findings;
}

/**
 * The safe fixes of one object as a JSON Patch (add `unsafe: true` for the "review" ones too),
 * proven by checking the patched object again with the same checks.
 *
 * @example
 * const { patch } = fixPatchFor(pod);
 * // [{ op: 'replace', path: '/spec/containers/0/securityContext/privileged', value: false }, ...]
 */
export function fixPatchFor(object: JsonObject, options: FixPatchOptions = {}): FixPatch {
  const context = options.context ?? [];
  const findings = scanObjects([object, ...context], options);
  // The object's reference as the engine makes it (generateName objects are `prefix*`).
  const ref = new Inventory().add({ object }).ref;
  const isOwn = (f: Finding): boolean => f.resource.kind === ref.kind && f.resource.name === ref.name && f.resource.namespace === ref.namespace;
  const own = findings.filter(isOwn);
  const outcome = planFixes({
    findings: own,
    selection: options,
    readText: () => undefined,
    objectOf: () => object,
    rescan: ({ objects }) => {
      const patched = [...objects.values()][0] ?? object;
      return scanObjects([patched, ...context], options).filter(isOwn);
    },
    remediationOf: () => '',
  });
  const applied = outcome.objects[0];
  const fixed = applied?.findings ?? [];
  const fixedSet = new Set(fixed);
  return {
    patch: applied?.patch ?? [],
    fixed,
    remaining: own.filter((f) => f.status === 'fail' && !fixedSet.has(f)),
  };
}
