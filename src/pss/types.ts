/**
 * Types of the Pod Security Standards evaluator. The control ids are the check ids of the
 * upstream pod-security-admission library (`k8s.io/pod-security-admission/policy`), so that
 * results can be compared with what the API server says.
 */
import type { JsonObject } from '../core/types.js';

/** The three Pod Security Standards levels. */
export const PSS_LEVELS = ['privileged', 'baseline', 'restricted'] as const;
export type PssLevel = (typeof PSS_LEVELS)[number];

/** The level a control belongs to (privileged has no controls). */
export type ControlLevel = Exclude<PssLevel, 'privileged'>;

/** The check ids of pod-security-admission, Baseline first, in the order of the standard. */
export const CONTROL_IDS = [
  'windowsHostProcess',
  'hostNamespaces',
  'privileged',
  'capabilities_baseline',
  'hostPathVolumes',
  'hostPorts',
  'hostProbesAndHostLifecycle',
  'appArmorProfile',
  'seLinuxOptions',
  'procMount',
  'seccompProfile_baseline',
  'sysctls',
  'restrictedVolumes',
  'allowPrivilegeEscalation',
  'runAsNonRoot',
  'runAsUser',
  'seccompProfile_restricted',
  'capabilities_restricted',
  'procMount_restricted',
] as const;
export type ControlId = (typeof CONTROL_IDS)[number];

/**
 * The pod to evaluate: a pod spec and its metadata, with the pointers at which they sit in
 * the enclosing object. A `PodSpecTarget` from `core/workloads.ts` fits as is.
 */
export interface PodInput {
  readonly spec: JsonObject;
  /** Pod (template) metadata, where the AppArmor and seccomp annotations live. */
  readonly metadata?: JsonObject;
  /** Pointer to `spec` in the enclosing object; defaults to `/spec` (a Pod). */
  readonly pointer?: string;
  /** Pointer to `metadata` in the enclosing object; defaults to `/metadata` (a Pod). */
  readonly metadataPointer?: string;
}

/** One reason why a pod breaks a control. */
export interface PssViolation {
  /** The pod-security-admission check id, e.g. `privileged`. */
  readonly control: ControlId;
  /** The control's title in the standard, e.g. `Privileged Containers`. */
  readonly controlTitle: string;
  readonly level: ControlLevel;
  /** What is wrong, in the words of PSA's forbidden reasons: `container "app" must not set ...`. */
  readonly reason: string;
  /**
   * Absolute JSON Pointers into the enclosing object, most specific first. A field that
   * is missing but required is named by the pointer where it should be added.
   */
  readonly pointers: readonly string[];
}

/** The outcome of evaluating one pod against one level and version. */
export interface PodSecurityResult {
  readonly level: PssLevel;
  /** The version as requested (`latest` or `v1.N`). */
  readonly version: string;
  /** The version actually applied after clamping, e.g. `v1.37`. */
  readonly effectiveVersion: string;
  readonly allowed: boolean;
  readonly violations: readonly PssViolation[];
}
