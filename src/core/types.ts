/**
 * Core data types shared by every layer: resources, findings, severities.
 * Pure data, no behaviour; see `check.ts` for the check shape and `engine.ts` for evaluation.
 */

/** Severities from most to least serious. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The outcome of one check on one target. */
export type Status = 'pass' | 'fail' | 'exempt' | 'error';

/** Numeric rank: higher is more serious. */
export function severityRank(s: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(s);
}

/** Type guard for severity names given by users. */
export function isSeverity(s: unknown): s is Severity {
  return typeof s === 'string' && (SEVERITIES as readonly string[]).includes(s);
}

/** A plain JSON value as parsed from YAML/JSON. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Where something sits in a source file. Lines and columns are 1-based. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** The identity of a Kubernetes object, as shown in reports. */
export interface ResourceRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/**
 * Resolves a JSON Pointer inside one object to a source position. Implemented by the
 * loader that produced the object; absent for objects that have no source text.
 */
export interface PositionResolver {
  locate(pointer: string): SourceLocation;
}

/** One Kubernetes object of the inventory. */
export interface Resource {
  /** Index in the inventory, stable for one scan. */
  readonly index: number;
  readonly ref: ResourceRef;
  /** The object as parsed (for List items: the item). */
  readonly object: JsonObject;
  /** Where the object starts. */
  readonly location?: SourceLocation;
  /** Maps pointers inside `object` to source positions. */
  readonly positions?: PositionResolver;
}

/** Evidence attached to a finding: small key/value facts, already redacted. */
export type Evidence = Readonly<Record<string, JsonValue>>;

/** A record of why a finding is exempt. */
export interface Exemption {
  readonly reason: string;
  /** `annotation` or `config`. */
  readonly source: 'annotation' | 'config';
  readonly expires?: string;
}

/** One result of one check on one resource (and possibly one container/field). */
export interface Finding {
  readonly check: string;
  readonly name: string;
  readonly title: string;
  readonly severity: Severity;
  readonly defaultSeverity: Severity;
  readonly category: string;
  readonly status: Status;
  readonly resource: ResourceRef;
  readonly container?: string;
  /** Absolute JSON Pointer into the resource object (for List items: into the item). */
  readonly pointer: string;
  readonly message: string;
  readonly location?: SourceLocation;
  readonly evidence?: Evidence;
  readonly exemption?: Exemption;
  /** Framework control references, e.g. `cis-k8s:5.2.2`. */
  readonly frameworks: readonly string[];
}

/** A problem met while loading or scanning that did not stop the scan. */
export interface Diagnostic {
  readonly level: 'error' | 'warning' | 'notice';
  readonly code: string;
  readonly message: string;
  readonly location?: SourceLocation;
}
