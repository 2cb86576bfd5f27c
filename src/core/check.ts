/**
 * The check shape: serialisable metadata plus a pure `evaluate`. `defineCheck` is the one
 * way to author a check, built-in or custom.
 */
import { PalisadeError } from './errors.js';
import type { Inventory } from './inventory.js';
import type { InputName, ModelName, Models } from './models.js';
import type { Evidence, JsonObject, JsonValue, Resource, Severity } from './types.js';
import { isSeverity } from './types.js';
import type { ContainerTarget, PodSpecTarget } from './workloads.js';

/** What the engine extracts and hands to `evaluate`. */
export type CheckTarget =
  /** Every pod spec (Pods, controllers' templates, custom resources with pod templates). */
  | { readonly kind: 'pod' }
  /** Every container of every pod spec (init and ephemeral containers included). */
  | { readonly kind: 'container' }
  /** Every object of the listed kinds (`['*']` for all objects). */
  | { readonly kind: 'resource'; readonly kinds: readonly string[] }
  /** The whole inventory, once; violations name their resource. */
  | { readonly kind: 'cluster' };

/** Documentation of a check, shown by `palisade explain` and in reports. */
export interface CheckDocs {
  readonly description: string;
  readonly remediation: string;
  readonly references?: readonly string[];
}

/** The serialisable part of a check. */
export interface CheckMeta {
  /** Opaque, stable, never reused: `PAL-0001`. Custom checks use their own prefix. */
  readonly id: string;
  /** Kebab-case slug naming the risky condition: `host-pid`. */
  readonly name: string;
  readonly title: string;
  readonly severity: Severity;
  readonly category: string;
  /** Framework control references `framework:control`, e.g. `cis:5.2.2`, `mitre:T1611`. */
  readonly frameworks: readonly string[];
  readonly docs: CheckDocs;
  readonly target: CheckTarget;
  /**
   * Kinds the check reads through `ctx.inventory` besides its target (e.g. `LimitRange` for a
   * container check that honours namespace defaults). When a cluster scan could not read one
   * of them, the check's passes become `error`s: without the data a pass is not known.
   */
  readonly needs?: readonly string[];
  /**
   * Models the check reads through `ctx.models` (`['rbac']`). The engine builds each once per
   * scan; when one cannot be built, the check reports one `error` with the reason instead of
   * running.
   */
  readonly uses?: readonly ModelName[];
  /**
   * Model inputs the check needs from the I/O ring (`['images']`: the images `scan --images`
   * pulled). An explicit opt-in: a scan that was not given every one of them does not run the
   * check; it is not counted as run, as coverage or as an error, and the report lists it under
   * `skippedChecks` with the reason (`run with --images`).
   */
  readonly requires?: readonly InputName[];
  /** Former ids that still select this check. */
  readonly aliases?: readonly string[];
  /**
   * JSON Schema (draft-07) of `params` (`checks.<id>.params` in the configuration). A scan
   * validates the configured params against it before running anything: a bad parameter is a
   * configuration error naming its path, not an `error` finding per object. A built-in check
   * without one takes no parameters.
   */
  readonly paramsSchema?: JsonObject;
  /** Where the check comes from: `builtin` or the file that defined it. */
  readonly origin?: string;
  /**
   * How safe the fix operations of this check's violations are to apply unattended: `safe`
   * (the default) for `palisade fix`, `review` when the fix could break the workload (a
   * read-only root filesystem, a non-root user) and is applied only with `--unsafe-fixes`.
   */
  readonly fixSafety?: FixSafety;
}

/** See {@link CheckMeta.fixSafety}. */
export type FixSafety = 'safe' | 'review';

/** A JSON-Patch-like edit produced by a check's fix. */
export type FixOperation =
  | { readonly op: 'add' | 'replace'; readonly path: string; readonly value: JsonValue }
  | { readonly op: 'remove'; readonly path: string };

/** One problem a check found. */
export interface Violation {
  /** Pointer relative to the target's base pointer (pod spec, container or object root). */
  readonly path?: string;
  /** Absolute pointer into the object; wins over `path`. */
  readonly pointer?: string;
  readonly message: string;
  readonly evidence?: Evidence;
  /** For `cluster` targets: the resource at fault (one without it becomes an `error` of the check). */
  readonly resource?: Resource;
  /**
   * For a multi-line string at the pointer (a config file in a ConfigMap): the 1-based line
   * inside it that the violation is about, so that the finding is located at that line.
   */
  readonly line?: number;
  /** Overrides the check's default severity for this violation. */
  readonly severity?: Severity;
  /**
   * The check could not decide for this target because its input could not be read (an image
   * that could not be pulled): recorded as an `error`, never a `fail`, never waived, so that a
   * gate does not pass on it.
   */
  readonly error?: boolean;
  readonly fix?: readonly FixOperation[];
}

/** Options passed to every evaluation. */
export interface EvaluationOptions {
  /** Per-check parameters from configuration, keyed by check id. */
  readonly params?: Readonly<Record<string, Readonly<Record<string, JsonValue>>>>;
  /**
   * The Kubernetes version the objects are meant for, `v1.N` (the `--k8s-version` option,
   * else the scanned cluster's version); checks that depend on it use their own default when
   * it is absent.
   */
  readonly kubernetesVersion?: string;
}

/** What `evaluate` receives; valid during the call only (the engine reuses it for the next call). */
interface BaseContext {
  readonly inventory: Inventory;
  /** This check's parameters from configuration (empty object when none). */
  readonly params: Readonly<Record<string, JsonValue>>;
  /** The models this check declared in `uses`, built once per scan by the engine. */
  readonly models: Models;
  /** The target Kubernetes version (`v1.N`), when the scan states one; see {@link EvaluationOptions}. */
  readonly kubernetesVersion?: string | undefined;
}

export interface PodContext extends BaseContext {
  readonly resource: Resource;
  readonly pod: PodSpecTarget;
}
export interface ContainerContext extends BaseContext {
  readonly resource: Resource;
  readonly pod: PodSpecTarget;
  readonly container: ContainerTarget;
}
export interface ResourceContext extends BaseContext {
  readonly resource: Resource;
}
export type ClusterContext = BaseContext;

/** Maps a target to the context its `evaluate` receives. */
export type ContextFor<T extends CheckTarget> = T extends { kind: 'pod' }
  ? PodContext
  : T extends { kind: 'container' }
    ? ContainerContext
    : T extends { kind: 'resource' }
      ? ResourceContext
      : ClusterContext;

/**
 * Returned by `evaluate` when the target is not something the check judges (a Pod that is not a
 * kube-apiserver, for a check of API server flags): the engine records neither a pass nor a
 * fail, so per-check counts say how many targets were really judged. Compliance reports rely
 * on this to tell "compliant" from "nothing to judge".
 *
 * @example
 * evaluate: ({ resource }) => (isApiServer(resource) ? checkFlags(resource) : NOT_APPLICABLE),
 */
export const NOT_APPLICABLE: unique symbol = Symbol.for('palisade.not-applicable');

/** What `evaluate` may return: nothing (pass), one violation, several, or {@link NOT_APPLICABLE}. */
// biome-ignore lint/suspicious/noConfusingVoidType: lets evaluate end without a return statement
export type EvaluateResult = Violation | readonly Violation[] | typeof NOT_APPLICABLE | undefined | void;

/** A check: metadata plus behaviour. */
export interface Check<T extends CheckTarget = CheckTarget> extends CheckMeta {
  readonly target: T;
  evaluate(ctx: ContextFor<T>): EvaluateResult;
}

/** A check of any target, as stored in catalogues. */
export type AnyCheck =
  | Check<{ readonly kind: 'pod' }>
  | Check<{ readonly kind: 'container' }>
  | Check<{ readonly kind: 'resource'; readonly kinds: readonly string[] }>
  | Check<{ readonly kind: 'cluster' }>;

const ID_RE = /^[A-Z][A-Z0-9]*-[A-Z0-9][A-Z0-9-]*$/;
const NAME_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Declares a check, validating its metadata at definition time.
 *
 * @example
 * export default defineCheck({
 *   id: 'ACME-0001', name: 'team-label', title: 'Workload has no team label',
 *   severity: 'low', category: 'hygiene', frameworks: [],
 *   docs: { description: 'Every workload names its owning team.', remediation: 'Add metadata.labels.team.' },
 *   target: { kind: 'resource', kinds: ['Deployment'] },
 *   evaluate: ({ resource }) => (resource.object.metadata as any)?.labels?.team ? undefined
 *     : { path: '/metadata/labels', message: `Deployment ${resource.ref.name} has no team label` },
 * });
 */
export function defineCheck<T extends CheckTarget>(check: Check<T>): Check<T> {
  const problems: string[] = [];
  if (typeof check.id !== 'string' || !ID_RE.test(check.id)) problems.push(`id "${String(check.id)}" must look like PAL-0001`);
  if (typeof check.name !== 'string' || !NAME_RE.test(check.name)) problems.push(`name "${String(check.name)}" must be a kebab-case slug`);
  if (typeof check.title !== 'string' || check.title === '') problems.push('title is required');
  if (!isSeverity(check.severity)) problems.push(`severity "${String(check.severity)}" is not one of critical, high, medium, low, info`);
  if (typeof check.category !== 'string' || check.category === '') problems.push('category is required');
  if (!Array.isArray(check.frameworks)) problems.push('frameworks must be an array');
  if (!check.docs || typeof check.docs.description !== 'string' || typeof check.docs.remediation !== 'string')
    problems.push('docs.description and docs.remediation are required');
  const t = check.target as CheckTarget | undefined;
  if (!t || !['pod', 'container', 'resource', 'cluster'].includes(t.kind)) problems.push('target.kind must be pod, container, resource or cluster');
  else if (t.kind === 'resource' && (!Array.isArray(t.kinds) || t.kinds.length === 0)) problems.push('target.kinds must list at least one kind');
  if (check.needs !== undefined && (!Array.isArray(check.needs) || check.needs.some((k) => typeof k !== 'string' || k === '')))
    problems.push('needs must be an array of kinds');
  if (check.uses !== undefined && (!Array.isArray(check.uses) || check.uses.some((k) => typeof k !== 'string' || k === '')))
    problems.push('uses must be an array of model names');
  if (check.requires !== undefined && (!Array.isArray(check.requires) || check.requires.some((k) => typeof k !== 'string' || k === '')))
    problems.push('requires must be an array of model input names');
  if (check.paramsSchema !== undefined && (typeof check.paramsSchema !== 'object' || check.paramsSchema === null || Array.isArray(check.paramsSchema)))
    problems.push('paramsSchema must be a JSON Schema object');
  if (check.fixSafety !== undefined && check.fixSafety !== 'safe' && check.fixSafety !== 'review') problems.push('fixSafety must be safe or review');
  if (typeof check.evaluate !== 'function') problems.push('evaluate must be a function');
  if (problems.length > 0) {
    throw new PalisadeError('check-invalid', `invalid check ${String(check.id)}: ${problems.join('; ')}`, {
      id: check.id,
      problems,
    });
  }
  return Object.freeze(check);
}

/** The serialisable metadata of a check (for docs, SARIF rules, `palisade checks -f json`). */
export function metaOf(check: CheckMeta): CheckMeta {
  const { id, name, title, severity, category, frameworks, docs, target, needs, uses, requires, aliases, paramsSchema, origin, fixSafety } = check;
  return {
    id,
    name,
    title,
    severity,
    category,
    frameworks,
    docs,
    target,
    ...(needs ? { needs } : {}),
    ...(uses ? { uses } : {}),
    ...(requires ? { requires } : {}),
    ...(aliases ? { aliases } : {}),
    ...(paramsSchema ? { paramsSchema } : {}),
    ...(origin ? { origin } : {}),
    ...(fixSafety ? { fixSafety } : {}),
  };
}
