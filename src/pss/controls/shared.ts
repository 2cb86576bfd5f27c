/**
 * The shape of a control and the wrappers PSA applies to several of them. A control is
 * data: an id, a title, a level and versioned entries, each with a pure function.
 */
import type { ControlId, ControlLevel } from '../types.js';
import type { PodView } from '../pod.js';

/** What a control function reports: one reason per offending field. */
export interface ControlFinding {
  readonly reason: string;
  /** Absolute pointers, the offending (or missing) field first. */
  readonly pointers: readonly string[];
}

/** A pure control function of one policy version. */
export type ControlFn = (pod: PodView) => readonly ControlFinding[];

/** One entry of a control: the rule in force from `minimumVersion` on. */
export interface VersionedCheck {
  /** Minor of Kubernetes v1 from which this entry applies. */
  readonly minimumVersion: number;
  readonly evaluate: ControlFn;
  /** Baseline controls this entry replaces in the Restricted level. */
  readonly overrides?: readonly ControlId[];
  /** What this entry introduced, for docs: `adds container_engine_t`. */
  readonly change: string;
}

/** A Pod Security control as registered by pod-security-admission. */
export interface PssControl {
  readonly id: ControlId;
  readonly title: string;
  readonly level: ControlLevel;
  /** The control's key in Palisade's `pss` framework, e.g. `baseline/privileged`. */
  readonly framework: string;
  /** Entries in strictly increasing `minimumVersion` order. */
  readonly versions: readonly VersionedCheck[];
}

/**
 * Windows pods pass outright: the API rejects the Linux-only fields these controls require
 * on them (PSA's v1.25 entries of the Restricted checks).
 *
 * @example
 * { minimumVersion: 25, evaluate: exemptWindows(allowPrivilegeEscalation), change: 'Windows pods exempt' }
 */
export function exemptWindows(fn: ControlFn): ControlFn {
  return (pod) => (pod.isWindows ? [] : fn(pod));
}

/**
 * Pods with `hostUsers: false` pass outright: inside a user namespace, root and unmasked
 * /proc do not map to the host (KEP-127; PSA's `relaxPolicyForUserNamespacePod`).
 *
 * @example
 * { minimumVersion: 35, evaluate: relaxForUserNamespace(runAsUser), change: 'skipped when hostUsers is false' }
 */
export function relaxForUserNamespace(fn: ControlFn): ControlFn {
  return (pod) => (pod.usesUserNamespace ? [] : fn(pod));
}

/**
 * Quotes a value for a reason, as PSA does.
 *
 * @example
 * q('app'); // '"app"'
 */
export function q(value: unknown): string {
  return JSON.stringify(typeof value === 'string' ? value : String(value));
}
