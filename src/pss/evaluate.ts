/**
 * Evaluates pods against the Pod Security Standards, as the pod-security-admission
 * library does for a namespace's `enforce` level and version. Pure: no I/O, no clock.
 */
import { type PodView, podView } from './pod.js';
import { activeChecks, controlById, effectiveMinor, entryAt } from './registry.js';
import type { ControlId, PodInput, PodSecurityResult, PssLevel, PssViolation } from './types.js';
import { formatPolicyVersion, type PolicyVersion, parsePolicyVersion } from './version.js';

/** The policy to evaluate against. */
export interface PodSecurityPolicy {
  readonly level: PssLevel;
  /** `latest` (the default), `v1.N` or `1.N`, or an already parsed version. */
  readonly version?: string | PolicyVersion;
}

function toVersion(v: string | PolicyVersion | undefined): PolicyVersion {
  if (v === undefined) return { kind: 'latest' };
  return typeof v === 'string' ? parsePolicyVersion(v) : v;
}

/**
 * Evaluates one pod (a Pod's spec and metadata, or a workload's pod template) against a
 * level and version. Throws a `usage` PalisadeError for a malformed version.
 *
 * @example
 * const r = evaluatePodSecurity({ metadata: pod.metadata, spec: pod.spec }, { level: 'restricted', version: 'v1.30' });
 * r.allowed; // false
 * r.violations[0]; // { control: 'allowPrivilegeEscalation', reason: 'container "app" must set ...', pointers: ['/spec/containers/0/securityContext/allowPrivilegeEscalation'], ... }
 *
 * @example
 * // A workload's pod template, with pointers into the Deployment:
 * for (const target of podSpecsOf(resource)) evaluatePodSecurity(target, { level: 'baseline' });
 */
export function evaluatePodSecurity(pod: PodInput, policy: PodSecurityPolicy): PodSecurityResult {
  const version = toVersion(policy.version);
  const minor = effectiveMinor(version);
  const view = podView(pod);
  const violations: PssViolation[] = [];
  for (const { control, entry } of activeChecks(policy.level, minor)) {
    for (const f of entry.evaluate(view)) {
      violations.push({ control: control.id, controlTitle: control.title, level: control.level, reason: f.reason, pointers: f.pointers });
    }
  }
  return {
    level: policy.level,
    version: formatPolicyVersion(version),
    effectiveVersion: formatPolicyVersion(minor),
    allowed: violations.length === 0,
    violations,
  };
}

/**
 * Evaluates a single control, on its own (no level composition, no overrides), at a version
 * (default: the newest). Returns no violations when the control has no rule at that version.
 * This is what the `pss-*` checks of `palisade scan` run.
 *
 * @example
 * evaluateControl('privileged', podSpecTarget).map((v) => v.pointers[0]);
 * // ['/spec/template/spec/containers/0/securityContext/privileged']
 */
export function evaluateControl(id: ControlId, pod: PodInput, version: string | PolicyVersion = { kind: 'latest' }): PssViolation[] {
  return evaluateControlOn(id, podView(pod), version);
}

/**
 * {@link evaluateControl} on a pod view made already: the `pss-*` checks share one view per
 * pod (see `views.ts`) instead of building it once per control.
 *
 * @example
 * evaluateControlOn('privileged', podView(pod));
 */
export function evaluateControlOn(id: ControlId, view: PodView, version: string | PolicyVersion = { kind: 'latest' }): PssViolation[] {
  const control = controlById(id);
  if (!control) throw new Error(`unknown Pod Security control ${id}`);
  const entry = entryAt(control, effectiveMinor(toVersion(version)));
  if (!entry) return [];
  return entry.evaluate(view).map((f) => ({ control: id, controlTitle: control.title, level: control.level, reason: f.reason, pointers: f.pointers }));
}
