/**
 * Core data types shared by every layer: resources, findings, severities.
 * Pure data, no behaviour; see `check.ts` for the check shape and `engine.ts` for evaluation.
 */
import type { FixOperation } from './check.js';

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
  /** The cluster (kubeconfig context) the object was read from; absent for manifests. */
  readonly cluster?: string;
}

/**
 * Resolves a JSON Pointer inside one object to a source position. Implemented by the
 * loader that produced the object; absent for objects that have no source text.
 */
export interface PositionResolver {
  locate(pointer: string): SourceLocation;
  /**
   * The position of line `line` (1-based) of the multi-line string at `pointer`, when the
   * source writes it so that its lines are source lines (a YAML literal block scalar, `|`);
   * otherwise the position of the string itself.
   */
  locateLine?(pointer: string, line: number): SourceLocation;
  /**
   * The positions of several pointers of the document at once, each as {@link locate} gives it
   * (undefined for one it cannot place: ask {@link locate} for that one). Lets a resolver
   * follow only the paths asked for instead of indexing the whole document.
   */
  locateMany?(pointers: readonly string[]): readonly (SourceLocation | undefined)[];
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

/**
 * One result of one check on one resource (and possibly one container/field).
 *
 * The engine makes findings as compact records (`EngineFinding` in `finding.ts`): the
 * check's fields are shared, `location` is resolved on first read, and `JSON.stringify` gives
 * the documented shape. Optional fields read as `undefined` when absent. To derive a changed
 * finding, copy it with `plainFinding(f)` first: a spread copies own fields only.
 */
export interface Finding {
  readonly check: string;
  readonly name: string;
  readonly title: string;
  readonly severity: Severity;
  readonly defaultSeverity: Severity;
  readonly category: string;
  readonly status: Status;
  readonly resource: ResourceRef;
  readonly container?: string | undefined;
  /** Absolute JSON Pointer into the resource object (for List items: into the item). */
  readonly pointer: string;
  readonly message: string;
  readonly location?: SourceLocation | undefined;
  readonly evidence?: Evidence | undefined;
  readonly exemption?: Exemption | undefined;
  /** Framework control references, e.g. `cis:5.2.2`. */
  readonly frameworks: readonly string[];
  /** JSON-Patch-like operations that fix this finding (absolute pointers into the object). */
  readonly fix?: readonly FixOperation[] | undefined;
  /**
   * On failing findings: `true` when `palisade fix` fixes it, `"unsafe"` when only
   * `palisade fix --unsafe-fixes` does (the fix needs review), `false` when it must be fixed by hand.
   */
  readonly fixable?: boolean | 'unsafe' | undefined;
  /**
   * For a workload whose Pods (or ReplicaSets/Jobs) are in the inventory: how many running
   * Pods it owns. Findings are reported once, on the owner, instead of once per Pod.
   */
  readonly affectedPods?: number | undefined;
  /**
   * The problem (root cause) this finding belongs to: findings of several checks about one
   * field, volume, capability entry or RBAC rule share it. Set when the report is built
   * (see `src/core/grouping.ts` and docs/json-report.md).
   */
  readonly groupId?: string | undefined;
  /** 1-based risk rank of the finding's problem in the report; the findings of one problem share it. */
  readonly rank?: number | undefined;
  /** True for the finding that represents its problem (the most specific one). */
  readonly primary?: boolean | undefined;
  /** On a primary: the other findings of its problem, most specific first. */
  readonly related?: readonly RelatedFinding[] | undefined;
}

/** A finding grouped under another one, as listed on the primary's `related`. */
export interface RelatedFinding {
  readonly check: string;
  readonly name: string;
  readonly severity: Severity;
  readonly pointer: string;
}

/** A problem met while loading or scanning that did not stop the scan. */
export interface Diagnostic {
  readonly level: 'error' | 'warning' | 'notice';
  readonly code: string;
  readonly message: string;
  readonly location?: SourceLocation;
}

/**
 * How completely one resource type was read from a cluster: `ok` (every object the scan
 * asked for), `partial` (some namespaces were forbidden or failed), `forbidden` (403),
 * `failed` (timeout, dropped connection, server error) or `skipped` (by the user, e.g.
 * `--no-secrets`).
 */
export type CoverageStatus = 'ok' | 'partial' | 'forbidden' | 'failed' | 'skipped';

/** The coverage of one resource type (or, with `resource: '*'`, of a whole API group version). */
export interface ResourceTypeCoverage {
  /** The cluster (kubeconfig context). */
  readonly cluster?: string;
  /** API group, `''` for the core group. */
  readonly group: string;
  readonly version: string;
  /** Plural resource name, e.g. `deployments`; `*` when discovery of the group version failed. */
  readonly resource: string;
  /** Kind, e.g. `Deployment`; `*` when discovery of the group version failed. */
  readonly kind: string;
  readonly namespaced: boolean;
  readonly status: CoverageStatus;
  /** Objects read. */
  readonly objects: number;
  /** Why the type was not (completely) read: `forbidden (403): ...`, `timed out after 60s`. */
  readonly reason?: string;
  /** For `partial` types: the namespaces that were read. */
  readonly namespacesRead?: readonly string[];
  /** For `partial` types: the namespaces that could not be read. */
  readonly namespacesDenied?: readonly string[];
}
