/**
 * Glue between the evaluator and `palisade scan`: the `pss-*` checks run one control at the
 * newest policy version and report one violation per offending field.
 */
import type { PodContext, Violation } from '../core/check.js';
import type { ControlFixer } from './check-fixes.js';
import type { PodSpecTarget } from '../core/workloads.js';
import { evaluateControl, evaluateControlOn } from './evaluate.js';
import type { ControlId } from './types.js';

/**
 * Runs one control on a check's pod target and turns its findings into violations with
 * absolute pointers, prefixed with the object they concern, each with the fix `fixer` makes.
 *
 * @example
 * export default defineCheck({ ..., target: { kind: 'pod' }, evaluate: (ctx) => controlViolations('privileged', ctx) });
 */
export function controlViolations(
  id: ControlId,
  ctx: Pick<PodContext, 'pod' | 'resource' | 'params'> & { readonly models?: PodContext['models'] },
  fixer?: ControlFixer,
): Violation[] {
  const { kind, name } = ctx.resource.ref;
  const seen = new Set<string>();
  const out: Violation[] = [];
  // A check that declares `uses: ['pss']` shares one view per pod with the other controls;
  // `in` (not a read) because reading an undeclared model throws.
  const views = ctx.models !== undefined && 'pss' in ctx.models ? ctx.models.pss : undefined;
  for (const v of views ? evaluateControlOn(id, views.of(ctx.pod)) : evaluateControl(id, ctx.pod)) {
    const pointer = v.pointers[0] ?? ctx.pod.pointer;
    // Two reasons about one field would be two findings at one place; keep the first.
    if (seen.has(pointer)) continue;
    seen.add(pointer);
    const fix = fixer?.(pointer, ctx);
    out.push({
      pointer,
      message: `${kind} ${name}: ${v.reason}`,
      evidence: { control: id, ...volumeOf(ctx.pod, pointer) },
      ...(fix && fix.length > 0 ? { fix } : {}),
    });
  }
  return out;
}

/**
 * The name of the volume a pointer is in, as evidence: the other checks about that volume
 * (writable mounts, sensitive paths) name it too, which is how reports group them.
 */
function volumeOf(pod: PodSpecTarget, pointer: string): { volume?: string } {
  if (!pointer.startsWith(`${pod.pointer}/volumes/`)) return {};
  const index = Number(pointer.slice(pod.pointer.length + '/volumes/'.length).split('/')[0]);
  const volumes = pod.spec.volumes;
  const v = Array.isArray(volumes) ? volumes[index] : undefined;
  const name = v !== null && typeof v === 'object' && !Array.isArray(v) ? v.name : undefined;
  return typeof name === 'string' ? { volume: name } : {};
}
