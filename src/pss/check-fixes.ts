/**
 * Fix operations for the `pss-*` checks: each takes the pointer of one violation (as
 * `controlViolations` reports it) and returns the JSON-Patch operations that make that field
 * pass, or nothing when no edit is safe to automate (hostPath volumes, unsafe sysctls).
 */
import type { FixOperation, PodContext } from '../core/check.js';
import { FIX_DEFAULTS, fixParam } from '../core/fix.js';
import { isObject } from '../core/object.js';
import { getAt, parsePointer } from '../core/pointer.js';
import { addOperation } from '../security-context/security-context.js';
import { BASELINE_CAPABILITIES } from './controls/baseline.js';

/** Makes a violation's fix from its pointer and the check's context. */
export type ControlFixer = (pointer: string, ctx: Pick<PodContext, 'pod' | 'resource' | 'params'>) => readonly FixOperation[] | undefined;

/** `field: false` at the violation's pointer (privileged, host namespaces, allowPrivilegeEscalation, hostProcess). */
export const setFalse: ControlFixer = (pointer, { resource }) => [addOperation(resource.object, pointer, false)];

/** Seccomp: `RuntimeDefault` at the pointer; an unset profile is set once, at the pod level. */
export const seccompRuntimeDefault: ControlFixer = (pointer, { resource, pod }) => {
  const podLevel = `${pod.pointer}/securityContext/seccompProfile/type`;
  const existing = getAt(resource.object, pointer);
  return [addOperation(resource.object, existing === undefined ? podLevel : pointer, 'RuntimeDefault')];
};

/** AppArmor: the runtime's default profile instead of `Unconfined`; a forbidden annotation becomes `runtime/default`. */
export const appArmorRuntimeDefault: ControlFixer = (pointer, { resource }) =>
  pointer.endsWith('/appArmorProfile/type')
    ? [addOperation(resource.object, pointer, 'RuntimeDefault')]
    : [{ op: 'replace', path: pointer, value: 'runtime/default' }];

/** procMount: back to `Default`. */
export const procMountDefault: ControlFixer = (pointer, { resource }) => [addOperation(resource.object, pointer, 'Default')];

/** The container pointer (`.../containers/0`) of a pointer inside a container's securityContext. */
function containerOf(pointer: string): string | undefined {
  const i = pointer.indexOf('/securityContext');
  return i > 0 ? pointer.slice(0, i) : undefined;
}

/** `capabilities.drop` gets `ALL`; an added capability the level does not allow is taken out of `add`. */
export function capabilitiesFixer(allowed: readonly string[]): ControlFixer {
  return (pointer, { resource }) => {
    const container = containerOf(pointer);
    if (!container) return undefined;
    const capsPointer = `${container}/securityContext/capabilities`;
    if (pointer.endsWith('/capabilities/drop')) {
      const drop = getAt(resource.object, `${capsPointer}/drop`);
      return [Array.isArray(drop) ? { op: 'add', path: `${capsPointer}/drop/-`, value: 'ALL' } : addOperation(resource.object, `${capsPointer}/drop`, ['ALL'])];
    }
    const add = getAt(resource.object, `${capsPointer}/add`);
    if (!Array.isArray(add)) return undefined;
    // One replace of the whole list, identical for every violation of the container: the
    // operations of several findings agree instead of shifting each other's indexes.
    return [{ op: 'replace', path: `${capsPointer}/add`, value: add.filter((c) => typeof c === 'string' && allowed.includes(c)) }];
  };
}

export const capabilitiesBaseline = capabilitiesFixer(BASELINE_CAPABILITIES);
export const capabilitiesRestricted = capabilitiesFixer(['NET_BIND_SERVICE']);

/** The UID the fix sets: the check's `fixValue` parameter, else {@link FIX_DEFAULTS}. */
function uid(params: PodContext['params']): number {
  return fixParam(params, FIX_DEFAULTS.runAsUser);
}

/** runAsUser 0: a non-root UID instead. */
export const nonRootUser: ControlFixer = (pointer, { resource, params }) => [addOperation(resource.object, pointer, uid(params))];

/**
 * runAsNonRoot: `true` where the violation points (the container, or a pod-level `false`), with
 * a non-zero `runAsUser` when none is set there or on the pod, so that an image whose USER is
 * root still starts (the kubelet refuses to start it as non-root otherwise).
 */
export const runAsNonRoot: ControlFixer = (pointer, { resource, pod, params }) => {
  const ops: FixOperation[] = [addOperation(resource.object, pointer, true)];
  const sc = pointer.slice(0, pointer.lastIndexOf('/'));
  const podUser = isObject(pod.spec.securityContext) ? pod.spec.securityContext.runAsUser : undefined;
  const here = getAt(resource.object, `${sc}/runAsUser`);
  if (here === undefined && (typeof podUser !== 'number' || podUser === 0)) {
    const patched = applyLocal(resource.object, ops);
    ops.push(addOperation(patched, `${sc}/runAsUser`, uid(params)));
  }
  return ops;
};

/**
 * hostPort: removed (a Service exposes the container instead). A port the API server would only
 * default from `hostNetwork: true` has nothing to remove: the pod's host network is the problem.
 */
export const removeHostPort: ControlFixer = (pointer, { resource }) =>
  pointer.endsWith('/hostPort') && getAt(resource.object, pointer) !== undefined ? [{ op: 'remove', path: pointer }] : undefined;

// A tiny local apply so that a second operation sees the parents the first one creates. Only the
// containers on the operations' paths are copied (the rest is shared with the object, which is
// never written): a whole-object clone per runAsNonRoot violation was 3 % of a large scan's CPU.
function applyLocal(root: Parameters<typeof addOperation>[0], ops: readonly FixOperation[]): Parameters<typeof addOperation>[0] {
  const out = { ...root };
  const copies = new Set<unknown>([out]);
  for (const op of ops) {
    if (op.op === 'remove') continue;
    const tokens = parsePointer(op.path);
    const last = tokens.pop() as string;
    let cur: unknown = out;
    for (const t of tokens) {
      let next: unknown;
      if (isObject(cur)) next = cur[t];
      else if (Array.isArray(cur)) next = cur[Number(t)];
      else next = undefined;
      if ((isObject(next) || Array.isArray(next)) && !copies.has(next)) {
        const copy = Array.isArray(next) ? next.slice() : { ...next };
        copies.add(copy);
        if (isObject(cur)) cur[t] = copy;
        else (cur as unknown[])[Number(t)] = copy;
        next = copy;
      }
      cur = next;
    }
    if (isObject(cur)) cur[last] = op.value;
  }
  return out;
}
