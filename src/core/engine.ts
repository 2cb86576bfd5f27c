/**
 * The engine: runs checks over an inventory and produces findings. Pure: no I/O, no clock.
 * Pass results are counted per check and only materialised as findings on request, so that
 * memory stays proportional to the problems, not to objects x checks.
 */
import { type AnyCheck, type Check, type CheckTarget, type EvaluateResult, type FixOperation, NOT_APPLICABLE, type Violation } from './check.js';
import type { ExceptionMatcher } from './exceptions.js';
import { detached, EngineFinding, type FindingCheck, flat, Locator } from './finding.js';
import type { Inventory } from './inventory.js';
import { type AnyModelProvider, type InputName, type Models, type ScanInputs, ScanModels } from './models.js';
import { describeObject } from './object.js';
import type { Evidence, Exemption, Finding, JsonValue, Resource, ResourceRef, Severity, Status } from './types.js';
import { type ContainerTarget, containersOf, type PodSpecTarget, podSpecsOf } from './workloads.js';

/** Options of {@link runChecks}. */
export interface EngineOptions {
  readonly checks: readonly AnyCheck[];
  /** Materialise `pass` findings too (one per check and target). */
  readonly includePassed?: boolean;
  /** Severity per check id, overriding the default. */
  readonly severityOverrides?: Readonly<Record<string, Severity>>;
  /** Per-check parameters, keyed by check id. */
  readonly params?: Readonly<Record<string, Readonly<Record<string, JsonValue>>>>;
  readonly exceptions?: ExceptionMatcher;
  /** Called every few hundred resources with (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Kinds the source could not read completely (cluster scans with missing permissions or
   * failed lists), keyed by kind; {@link UNKNOWN_KINDS} stands for kinds unknown because the
   * discovery of an API group failed, {@link EVERY_KIND} for a cluster that could not be read
   * at all. A check whose data has a gap reports an `error` saying why instead of passing.
   */
  readonly gaps?: ReadonlyMap<string, DataGap>;
  /**
   * The analysers' model providers. Each model a selected check declares in `uses` is built
   * once for this run; a check whose model cannot be built reports one `error` and is not run.
   */
  readonly models?: readonly AnyModelProvider[];
  /** The target Kubernetes version (`v1.N`), handed to every check as `ctx.kubernetesVersion`. */
  readonly kubernetesVersion?: string;
  /**
   * Per-scan data the I/O ring fetched before the run (`{ images }` with `scan --images`),
   * handed to the model providers. A check that `requires` an input not given here does not
   * run: it is listed in {@link EngineResult.skipped}, with no counts and no finding.
   */
  readonly inputs?: ScanInputs;
  /**
   * Where the findings' source positions are resolved, on first read, one document at a time.
   * Runs over the same inventory that share one (the library's passes) index each document
   * once for the findings of all; by default each run has its own.
   */
  readonly locator?: Locator;
  /**
   * The parts of findings kept once (messages, evidence, fixes, pointers, resource refs).
   * Runs over the same inventory that share one (the library's passes) keep one copy of each
   * for the findings of all; by default each run has its own.
   */
  readonly parts?: FindingParts;
}

/**
 * The parts of findings that repeat, kept once per scan: findings outlive the run until the
 * report is written, and each holds what its check made for it (a message, evidence, a fix)
 * and its object's ref. Equal ones are kept once (see SharedValues, SharedStrings); refs and
 * their names are copies of their own, so that no finding keeps a source text alive through a
 * view into it. Share one between runs over the same inventory, as the library's passes do.
 *
 * @example
 * const parts = new FindingParts();
 * const first = runChecks(inventory, { checks: withModels, parts });
 * const second = runChecks(inventory, { checks: others, parts }); // same ref object per resource in both
 */
export class FindingParts {
  readonly pointers = new Map<string, string>();
  readonly messages = new SharedStrings();
  readonly evidence = new SharedValues<Evidence>();
  readonly fixes = new SharedValues<readonly FixOperation[]>();
  readonly refs = new Map<ResourceRef, ResourceRef>();
  readonly texts = new Map<string, string>();
}

/** A selected check the engine did not run because the scan was not given an input it requires. */
export interface SkippedCheck {
  readonly id: string;
  readonly name: string;
  /** The required inputs the scan was not given. */
  readonly missing: readonly InputName[];
}

/**
 * The inputs a check requires that the scan was not given (empty: it can run).
 *
 * @example
 * missingInputs({ requires: ['images'] }, {}); // ['images']
 */
export function missingInputs(check: { readonly requires?: readonly InputName[] }, inputs: ScanInputs): InputName[] {
  return (check.requires ?? []).filter((name) => inputs[name] === undefined);
}

/** Data a source could not read completely, for one kind. */
export interface DataGap {
  /** Why, e.g. `networkpolicies.networking.k8s.io: forbidden (403)`. */
  readonly reason: string;
  /**
   * When only some namespaces were read: those namespaces. Objects there have complete data
   * of this kind; objects elsewhere (and cluster-scoped ones) do not.
   */
  readonly readNamespaces?: ReadonlySet<string>;
}

/** Gap key: kinds of an API group whose discovery failed (checks of every kind, `*`, are affected). */
export const UNKNOWN_KINDS = '*';
/** Gap key: nothing could be read (the cluster was unreachable); every check is affected. */
export const EVERY_KIND = '**';

/** The kinds a pod or container check reads: every built-in pod-bearing kind. */
export const WORKLOAD_KINDS: readonly string[] = [
  'Pod',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'ReplicationController',
  'PodTemplate',
];

/**
 * The kinds a check reads: its target kinds plus its declared `needs`. `*` means every kind.
 *
 * @example
 * kindsReadBy(check); // { target: ['Pod', 'Deployment', ...], needs: ['LimitRange'] }
 */
export function kindsReadBy(check: Pick<AnyCheck, 'target' | 'needs'>): { readonly target: readonly string[]; readonly needs: readonly string[] } {
  const t: CheckTarget = check.target;
  const target = t.kind === 'pod' || t.kind === 'container' ? WORKLOAD_KINDS : t.kind === 'resource' ? t.kinds : [];
  return { target, needs: check.needs ?? [] };
}

interface CheckGaps {
  /** Gaps in the check's own target kinds, needs and models' reads: one `error` each (its cause). */
  readonly reasons: readonly string[];
  readonly kinds: readonly string[];
  /** The gap of each entry of `kinds`. */
  readonly gaps: readonly DataGap[];
  /** Gaps in `needs` (and the reads of the models in `uses`): objects without complete data are not evaluated. */
  readonly needs: readonly DataGap[];
}

function gapsOf(check: AnyCheck, gaps: ReadonlyMap<string, DataGap>, modelReads: (model: string) => readonly string[]): CheckGaps | undefined {
  if (gaps.size === 0) return undefined;
  const { target, needs } = kindsReadBy(check);
  // A model built from incomplete data gives incomplete answers: its reads count as needs.
  const reads = (check.uses ?? []).flatMap((m) => modelReads(m));
  const reasons: string[] = [];
  const kinds: string[] = [];
  const byKind: DataGap[] = [];
  const needGaps: DataGap[] = [];
  const add = (kind: string, gap: DataGap, isNeed: boolean): void => {
    if (!kinds.includes(kind)) {
      kinds.push(kind);
      reasons.push(gap.reason);
      byKind.push(gap);
    }
    if (isNeed && !needGaps.includes(gap)) needGaps.push(gap);
  };
  const everything = gaps.get(EVERY_KIND);
  if (everything) add(EVERY_KIND, everything, false);
  for (const [kinds_, isNeed] of [
    [target, false],
    [needs, true],
    [reads, true],
  ] as const) {
    for (const k of kinds_) {
      if (k === '*') {
        for (const [kind, gap] of gaps) add(kind, gap, isNeed);
        continue;
      }
      const gap = gaps.get(k);
      if (gap) add(k, gap, isNeed);
    }
  }
  return kinds.length === 0 ? undefined : { reasons, kinds, gaps: byKind, needs: needGaps };
}

/** The first need gap that leaves this resource without complete data, if any. */
function missingFor(resource: Resource, gaps: CheckGaps | undefined): DataGap | undefined {
  if (!gaps) return undefined;
  // A Namespace object's data is that of the namespace it names.
  const ns = resource.ref.namespace ?? (resource.ref.kind === 'Namespace' ? resource.ref.name : undefined);
  return gaps.needs.find((g) => !(g.readNamespaces && ns !== undefined && g.readNamespaces.has(ns)));
}

/** Objects a check could not evaluate for one cause: reported once, with their count. */
interface Unevaluated {
  objects: number;
  /** Of those, objects the check would have failed on what it could read. */
  unconfirmedFailures: number;
  readonly examples: string[];
  /** The object counted last: a check records one result per container, the object counts once. */
  last?: Resource;
}

/** How many affected objects an error names. */
const EXAMPLES = 5;

/** Counts of results by status. */
export interface StatusCounts {
  pass: number;
  fail: number;
  exempt: number;
  error: number;
}

/** What the engine returns. */
export interface EngineResult {
  readonly findings: Finding[];
  /** Per check id: how many targets passed, failed, were exempt, or errored. */
  readonly perCheck: ReadonlyMap<string, StatusCounts>;
  readonly totals: StatusCounts;
  /** Selected checks that did not run: an input they require was not given (see {@link EngineOptions.inputs}). */
  readonly skipped: readonly SkippedCheck[];
  /**
   * The scan's models: those the checks used, already built, and the others on request, each
   * at most once (the library builds the attack graph for Top risks from it, not again).
   */
  readonly models: ScanModels;
}

const EMPTY_PARAMS: Readonly<Record<string, JsonValue>> = Object.freeze({});

export function emptyCounts(): StatusCounts {
  return { pass: 0, fail: 0, exempt: 0, error: 0 };
}

/** A pass message, built only when the pass is materialised or needs explaining. */
type PassMessage = string | (() => string);

/**
 * The evaluation context of one check, made once per run and updated before each call
 * (contexts are valid during the call only): no allocation per evaluation. One class, so
 * every context has the same shape whatever the target.
 */
class EvaluationContext {
  resource: Resource = PLACEHOLDER;
  pod: PodSpecTarget = undefined as unknown as PodSpecTarget;
  container: ContainerTarget = undefined as unknown as ContainerTarget;
  constructor(
    readonly inventory: Inventory,
    readonly params: Readonly<Record<string, JsonValue>>,
    readonly models: Models,
    readonly kubernetesVersion: string | undefined,
  ) {}
}
const PLACEHOLDER = undefined as unknown as Resource;

/** What the engine keeps per selected check for one run: looked up once, not per evaluation. */
interface CheckRun {
  readonly check: AnyCheck;
  readonly info: FindingCheck;
  readonly counts: StatusCounts;
  /** The configured severity, which wins over a violation's own. */
  readonly override: Severity | undefined;
  readonly gaps: CheckGaps | undefined;
  /** Per gap: the objects the check could not evaluate (one error each, not one per object). */
  readonly unevaluated: Map<DataGap, Unevaluated>;
  readonly ctx: EvaluationContext;
}

/** The pod specs and containers of one object, extracted once for every check. */
interface Prepared {
  readonly pods: readonly PodSpecTarget[];
  readonly containers: readonly ContainerTarget[];
}

const NO_PODS: Prepared = { pods: [], containers: [] };

/**
 * Runs every check on the inventory.
 *
 * @example
 * const { findings } = runChecks(inventory, { checks: builtinChecks });
 */
export function runChecks(inventory: Inventory, options: EngineOptions): EngineResult {
  const run = new EngineRun(inventory, options);
  const total = inventory.size;
  const podChecks = run.pod.length > 0 || run.container.length > 0;
  for (const resource of inventory.all) {
    if (options.onProgress && resource.index % 500 === 0) options.onProgress(resource.index, total);
    // Pods of a ReplicaSet, ReplicaSets of a Deployment...: their spec is the owner's
    // template, so they are checked once, through the owner (which counts their Pods).
    if (inventory.workloadOwnerOf(resource)) continue;
    const prepared = podChecks ? prepare(resource) : NO_PODS;
    if (prepared.pods.length > 0) {
      run.evaluatePods(resource, prepared.pods);
      run.evaluateContainers(resource, prepared.containers);
    }
    run.evaluateResource(resource);
  }
  run.evaluateCluster();
  run.reportUnbuiltModels();
  run.reportGaps();
  return run.result();
}

/** One run of the engine: per-target evaluation, and the one place where findings are made. */
class EngineRun {
  readonly pod: CheckRun[] = [];
  readonly container: CheckRun[] = [];
  readonly #resource = new Map<string, CheckRun[]>();
  readonly #anyResource: CheckRun[] = [];
  readonly #cluster: CheckRun[] = [];
  readonly #all: CheckRun[] = [];
  /** Checks that did not run because a model they use could not be built, with the reason. */
  readonly #unbuilt: { readonly run: CheckRun; readonly reason: string }[] = [];
  readonly #skipped: SkippedCheck[] = [];
  readonly #models: ScanModels;
  readonly #findings: Finding[] = [];
  readonly #perCheck = new Map<string, StatusCounts>();
  readonly #totals = emptyCounts();
  readonly #locator: Locator;
  readonly #pointers: Map<string, string>;
  // Findings outlive the run until the report is written: equal messages, evidence and fixes
  // (one per finding, made by the checks) are kept once (see FindingParts).
  readonly #messages: SharedStrings;
  readonly #evidence: SharedValues<Evidence>;
  readonly #fixes: SharedValues<readonly FixOperation[]>;
  readonly #refs: Map<ResourceRef, ResourceRef>;
  readonly #texts: Map<string, string>;
  readonly #inventory: Inventory;
  readonly #includePassed: boolean;
  readonly #exceptions: ExceptionMatcher | undefined;
  readonly #hasGaps: boolean;

  constructor(inventory: Inventory, options: EngineOptions) {
    this.#inventory = inventory;
    this.#locator = options.locator ?? new Locator();
    const parts = options.parts ?? new FindingParts();
    this.#pointers = parts.pointers;
    this.#messages = parts.messages;
    this.#evidence = parts.evidence;
    this.#fixes = parts.fixes;
    this.#refs = parts.refs;
    this.#texts = parts.texts;
    this.#includePassed = options.includePassed === true;
    this.#exceptions = options.exceptions;
    const overrides = options.severityOverrides ?? {};
    // Models first: a check whose model could not be built does not run, it reports why.
    const inputs = options.inputs ?? {};
    const models = new ScanModels(inventory, options.models ?? [], inputs);
    this.#models = models;
    let hasGaps = false;
    for (const check of options.checks) {
      // An opt-in check without its input is not selected: no counts, no error, no coverage.
      const missing = missingInputs(check, inputs);
      if (missing.length > 0) {
        this.#skipped.push({ id: check.id, name: check.name, missing });
        continue;
      }
      const counts = emptyCounts();
      this.#perCheck.set(check.id, counts);
      const uses = check.uses ?? [];
      const failedModel = uses.map((u) => models.get(u)).find((m) => !m.ok);
      const gaps = options.gaps ? gapsOf(check, options.gaps, (m) => models.readsOf(m)) : undefined;
      if (gaps) hasGaps = true;
      const run: CheckRun = {
        check,
        info: {
          check: check.id,
          name: check.name,
          title: check.title,
          defaultSeverity: check.severity,
          category: check.category,
          frameworks: check.frameworks,
          fixSafety: check.fixSafety,
        },
        counts,
        override: overrides[check.id],
        gaps,
        unevaluated: new Map(),
        ctx: new EvaluationContext(
          inventory,
          options.params?.[check.id] ?? EMPTY_PARAMS,
          models.viewFor(check.id, failedModel ? [] : uses),
          options.kubernetesVersion,
        ),
      };
      this.#all.push(run);
      if (failedModel && !failedModel.ok) {
        this.#unbuilt.push({ run, reason: failedModel.reason });
        continue;
      }
      const t: CheckTarget = check.target;
      if (t.kind === 'pod') this.pod.push(run);
      else if (t.kind === 'container') this.container.push(run);
      else if (t.kind === 'cluster') this.#cluster.push(run);
      else
        for (const k of t.kinds) {
          if (k === '*') {
            this.#anyResource.push(run);
            continue;
          }
          let list = this.#resource.get(k);
          if (!list) {
            list = [];
            this.#resource.set(k, list);
          }
          list.push(run);
        }
    }
    this.#hasGaps = hasGaps;
  }

  /** `pod` targets: each check on each pod spec of the object. */
  evaluatePods(resource: Resource, pods: readonly PodSpecTarget[]): void {
    const passes = (): string => `${describeObject(resource.ref)} passes`;
    for (const r of this.pod) {
      const ctx = r.ctx;
      ctx.resource = resource;
      for (const pod of pods) {
        ctx.pod = pod;
        let result: EvaluateResult;
        try {
          result = (r.check as Check<{ kind: 'pod' }>).evaluate(ctx);
        } catch (err) {
          this.#threw(r, resource, pod.pointer, undefined, err);
          continue;
        }
        this.#settle(r, resource, pod.pointer, undefined, passes, result);
      }
    }
  }

  /** `container` targets: each check on each container (init and ephemeral included). */
  evaluateContainers(resource: Resource, containers: readonly ContainerTarget[]): void {
    for (const r of this.container) {
      const ctx = r.ctx;
      ctx.resource = resource;
      for (const container of containers) {
        ctx.pod = container.pod;
        ctx.container = container;
        let result: EvaluateResult;
        try {
          result = (r.check as Check<{ kind: 'container' }>).evaluate(ctx);
        } catch (err) {
          this.#threw(r, resource, container.pointer, container.name, err);
          continue;
        }
        this.#settle(r, resource, container.pointer, container.name, () => `container ${container.name} of ${describeObject(resource.ref)} passes`, result);
      }
    }
  }

  /** `resource` targets: the checks of the object's kind, then the checks of every kind. */
  evaluateResource(resource: Resource): void {
    const ofKind = this.#resource.get(resource.ref.kind);
    if (ofKind) this.#evaluateResource(ofKind, resource);
    if (this.#anyResource.length > 0) this.#evaluateResource(this.#anyResource, resource);
  }

  #evaluateResource(runs: readonly CheckRun[], resource: Resource): void {
    const passes = (): string => `${describeObject(resource.ref)} passes`;
    for (const r of runs) {
      const ctx = r.ctx;
      ctx.resource = resource;
      let result: EvaluateResult;
      try {
        result = (r.check as Check<{ kind: 'resource'; kinds: readonly string[] }>).evaluate(ctx);
      } catch (err) {
        this.#threw(r, resource, '', undefined, err);
        continue;
      }
      this.#settle(r, resource, '', undefined, passes, result);
    }
  }

  /**
   * `cluster` targets: each check once. A violation must name its resource; one that does not
   * is reported as an `error` of the check, never dropped.
   */
  evaluateCluster(): void {
    for (const r of this.#cluster) {
      let violations: readonly Violation[];
      try {
        violations = toArray((r.check as Check<{ kind: 'cluster' }>).evaluate(r.ctx));
      } catch (err) {
        this.#clusterError(r, `check ${r.check.id} failed to evaluate: ${reasonOf(err)}`);
        continue;
      }
      for (const v of violations) {
        if (!v.resource) {
          this.#clusterError(
            r,
            `check ${r.check.id} (${r.check.name}) reported a violation that names no resource, so it cannot be placed: ${v.message}`,
            v.evidence,
          );
          continue;
        }
        this.#record(r, 'fail', v.resource, v.pointer ?? v.path ?? '', v.message, undefined, v);
      }
    }
  }

  reportUnbuiltModels(): void {
    for (const { run, reason } of this.#unbuilt)
      this.#clusterError(run, `${run.check.id} (${run.check.name}) did not run: ${reason}`, { models: [...(run.check.uses ?? [])] });
  }

  /**
   * One error per check and cause (a kind it could not read completely), with the objects it
   * could therefore not evaluate: a check with nothing to evaluate (its kind was forbidden) is
   * not mistaken for a clean one, and a forbidden kind does not bury the report in one error
   * per object.
   */
  reportGaps(): void {
    if (!this.#hasGaps) return;
    for (const r of this.#all) {
      const g = r.gaps;
      if (!g) continue;
      g.gaps.forEach((gap, i) => {
        const u = r.unevaluated.get(gap);
        const detail = u
          ? `; ${u.objects} object${u.objects === 1 ? '' : 's'} not evaluated (${u.examples.join(', ')}${u.objects > u.examples.length ? ', ...' : ''})` +
            (u.unconfirmedFailures > 0 ? `, ${u.unconfirmedFailures} unconfirmed failure${u.unconfirmedFailures === 1 ? '' : 's'} on what could be read` : '')
          : '';
        this.#clusterError(r, `${r.check.id} (${r.check.name}) could not be fully evaluated: ${gap.reason}${detail}`, {
          missingKinds: [g.kinds[i] as string],
          ...(u ? { objects: u.objects, unconfirmedFailures: u.unconfirmedFailures, examples: [...u.examples] } : {}),
        });
      });
    }
  }

  result(): EngineResult {
    return { findings: this.#findings, perCheck: this.#perCheck, totals: this.#totals, skipped: this.#skipped, models: this.#models };
  }

  #settle(r: CheckRun, resource: Resource, base: string, container: string | undefined, pass: PassMessage, result: EvaluateResult): void {
    if (result === NOT_APPLICABLE) return;
    if (result === undefined || result === null) {
      this.#record(r, 'pass', resource, base, pass, container, undefined);
      return;
    }
    if (!Array.isArray(result)) {
      const v = result as Violation;
      this.#record(r, v.error === true ? 'error' : 'fail', v.resource ?? resource, pointerOf(v, base), v.message, container, v);
      return;
    }
    const violations = result as readonly Violation[];
    if (violations.length === 0) {
      this.#record(r, 'pass', resource, base, pass, container, undefined);
      return;
    }
    for (const v of violations) this.#record(r, v.error === true ? 'error' : 'fail', v.resource ?? resource, pointerOf(v, base), v.message, container, v);
  }

  #threw(r: CheckRun, resource: Resource, base: string, container: string | undefined, err: unknown): void {
    this.#record(r, 'error', resource, base, `check ${r.check.id} failed to evaluate: ${reasonOf(err)}`, container, undefined);
  }

  /** An error about the check as a whole, placed on the Cluster pseudo-resource. */
  #clusterError(r: CheckRun, message: string, evidence?: Evidence): void {
    const inventory = this.#inventory;
    const resource: ResourceRef = {
      apiVersion: 'v1',
      kind: 'Cluster',
      name: inventory.cluster ?? '*',
      ...(inventory.cluster !== undefined ? { cluster: inventory.cluster } : {}),
    };
    this.#count(r, 'error');
    this.#emit(r, 'error', resource, undefined, '', message, undefined, evidence, undefined, undefined, undefined, undefined, undefined);
  }

  /** Counts a result, decides its final status and makes its finding when it is kept. */
  #record(
    r: CheckRun,
    status: Status,
    resource: Resource,
    pointer: string,
    messageOrLazy: PassMessage,
    container: string | undefined,
    violation: Violation | undefined,
  ): void {
    // Without the data a check needs, neither its passes nor its fails can be trusted (an
    // absence check would report what it could not see): counted, and reported once per check
    // and cause after the run (see reportGaps).
    const missing = r.gaps !== undefined && (status === 'pass' || status === 'fail') ? missingFor(resource, r.gaps) : undefined;
    if (missing) {
      let u = r.unevaluated.get(missing);
      if (!u) {
        u = { objects: 0, unconfirmedFailures: 0, examples: [] };
        r.unevaluated.set(missing, u);
      }
      if (u.last !== resource) {
        u.last = resource;
        u.objects++;
        if (u.examples.length < EXAMPLES) u.examples.push(describeObject(resource.ref));
      }
      if (status === 'fail') u.unconfirmedFailures++;
      return;
    }
    if (status === 'pass') {
      r.counts.pass++;
      this.#totals.pass++;
      if (!this.#includePassed) return;
    }
    const message = typeof messageOrLazy === 'string' ? messageOrLazy : messageOrLazy();
    let finalStatus = status;
    let exemption: Exemption | undefined;
    if (finalStatus === 'fail' && this.#exceptions) {
      const check = r.check;
      exemption = this.#exceptions.match({
        checkId: check.id,
        checkName: check.name,
        ...(check.aliases ? { aliases: check.aliases } : {}),
        resource,
        ...(container !== undefined ? { container } : {}),
      });
      if (exemption) finalStatus = 'exempt';
    }
    if (finalStatus !== 'pass') this.#count(r, finalStatus);
    this.#emit(
      r,
      finalStatus,
      resource.ref,
      resource,
      pointer,
      message,
      container,
      violation?.evidence,
      finalStatus === 'fail' ? violation?.fix : undefined,
      exemption,
      violation?.severity,
      this.#inventory.podCountOf(resource),
      violation?.line,
    );
  }

  #count(r: CheckRun, status: Exclude<Status, 'pass'>): void {
    r.counts[status]++;
    this.#totals[status]++;
  }

  /**
   * The object's ref as findings keep it: one copy per object whose strings are their own.
   * A parser hands out names as slices of the source text (V8 keeps a substring as a view of
   * its parent string), so a finding holding the inventory's ref would keep the whole source
   * document alive after the scan.
   */
  #ref(ref: ResourceRef): ResourceRef {
    let own = this.#refs.get(ref);
    if (own === undefined) {
      own = ref;
      if (Object.getPrototypeOf(ref) === Object.prototype) {
        const copy: Record<string, unknown> = {};
        // The same keys in the same order: the JSON text of the copy is the ref's.
        for (const key of Object.keys(ref)) {
          const v = (ref as unknown as Record<string, unknown>)[key];
          copy[key] = typeof v === 'string' ? this.#text(v) : v;
        }
        own = copy as unknown as ResourceRef;
      }
      this.#refs.set(ref, own);
    }
    return own;
  }

  /** A short text (a name, a kind, a container name) as one string of its own per run (see {@link #ref}). */
  #text(text: string): string {
    let own = this.#texts.get(text);
    if (own === undefined) {
      own = detached(text);
      this.#texts.set(own, own);
    }
    return own;
  }

  /** The one place where a finding is made. */
  #emit(
    r: CheckRun,
    status: Status,
    ref: ResourceRef,
    source: Resource | undefined,
    pointer: string,
    message: string,
    container: string | undefined,
    evidence: Evidence | undefined,
    fix: Violation['fix'],
    exemption: Exemption | undefined,
    violationSeverity: Severity | undefined,
    affectedPods: number | undefined,
    line: number | undefined,
  ): void {
    // A configured severity wins over the violation's own, which wins over the check's default.
    const severity = r.override ?? violationSeverity ?? r.check.severity;
    // Pointers repeat across objects of one shape (`/spec/template/spec/containers/0/image`):
    // one string each, shared by its findings, instead of one concatenated copy per finding.
    let shared = this.#pointers.get(pointer);
    if (shared === undefined) {
      shared = pointer;
      this.#pointers.set(pointer, pointer);
    }
    pointer = shared;
    const ownRef = this.#ref(ref);
    this.#findings.push(
      new EngineFinding(
        r.info,
        {
          severity,
          status,
          resource: ownRef,
          container: container === undefined ? undefined : this.#text(container),
          pointer,
          ...this.#messages.pieces(message, ownRef.name),
          evidence: evidence === undefined ? undefined : this.#evidence.of(evidence, pointer),
          fix: fix === undefined ? undefined : this.#fixes.of(fix, pointer),
          exemption,
          affectedPods,
          line,
        },
        source,
        this.#locator,
      ),
    );
  }
}

// At most this many distinct values are remembered per kind: enough for the few hundred
// distinct fixes and the repeated evidence of a large scan, and a bound on what a scan whose
// values are all distinct spends on remembering them.
const SHARED_LIMIT = 50_000;
// Messages repeat less (they name objects): the bound is higher, and a map entry costs less
// than the message it saves.
const SHARED_MESSAGES_LIMIT = 1_000_000;

/**
 * Equal JSON values (a finding's evidence, its fix), kept once per run: a copy of the first of
 * each is handed out for it and the later equal ones. Checks build these per finding, and a large scan repeats
 * a few hundred distinct fixes across hundreds of thousands of findings. Values are compared by
 * their JSON text, then exactly (keys, order, `undefined` and `-0` included), so what a reader
 * sees is the same; findings never change them (they are `readonly`).
 */
class SharedValues<T extends object> {
  readonly #byText = new Map<string, T>();
  /** The value kept last for each pointer: most equal values come from one check at one pointer, compared without their text. */
  readonly #lastAt = new Map<string, T>();

  /** `value`, or the equal one kept before; `pointer` is the finding's (a string the engine shares). */
  of(value: T, pointer: string): T {
    const last = this.#lastAt.get(pointer);
    if (last !== undefined && sameJson(last, value)) return last;
    const kept = this.#byJson(value);
    if (kept !== value) this.#lastAt.set(pointer, kept);
    return kept;
  }

  #byJson(value: T): T {
    let text: string;
    try {
      text = JSON.stringify(value);
    } catch {
      return value;
    }
    const seen = this.#byText.get(text);
    if (seen !== undefined) return seen === value || sameJson(seen, value) ? seen : value;
    if (this.#byText.size >= SHARED_LIMIT) return value;
    // The value kept is parsed from its text: strings of its own, not slices of the source
    // (see EngineRun.#ref), when that copy is exactly the value.
    const copy = JSON.parse(text) as T;
    const kept = sameJson(copy, value) ? copy : value;
    this.#byText.set(text, kept);
    return kept;
  }
}

/** Plain JSON data equal in every part a reader can see (arrays and plain objects only). */
function sameJson(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || Object.getPrototypeOf(a) !== Object.prototype || Object.getPrototypeOf(b) !== Object.prototype) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i] as string;
    if (k !== kb[i] || !sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/**
 * Messages, kept once per run and in one piece. A check builds its message per finding by
 * concatenation, which V8 keeps as a tree of the pieces (a "cons string", 32 bytes per piece)
 * for as long as the string lives: each is made flat (see {@link flat}). Where the messages of a
 * scan repeat (the same manifests in many namespaces, say), an equal message seen before is
 * handed out instead. Where they do not (each names its own object), remembering them would
 * only cost memory while the checks run: when, after a round of {@link ROUND} new messages,
 * there was less than one repeat per {@link MIN_REPEATS} new ones, the run stops remembering.
 */
class SharedStrings {
  #seen: Map<string, string> | undefined = new Map();
  #asked = 0;
  #repeats = 0;
  /** The parts of messages around their object's name (see {@link pieces}). */
  readonly #parts = new Map<string, string>();

  /**
   * A message as the finding keeps it. Most messages name their object (`container "main" of
   * Deployment shop/web has no CPU limit`): the text before and after the name repeats across
   * objects, the message does not. Such a message is kept as its two parts, each once per
   * run, and the finding puts it together when it is read: on a generated 100,000-object set,
   * 568,068 messages (about 80 MB) are 15,672 distinct heads and 92,870 distinct tails.
   */
  pieces(text: string, name: string): { readonly message: string; readonly messageTail?: string } {
    const at = name.length >= MIN_NAME ? text.indexOf(name) : -1;
    if (at < 0) return { message: this.of(text) };
    return { message: this.#part(text.slice(0, at)), messageTail: this.#part(text.slice(at + name.length)) };
  }

  /** One part, in a string of its own (a slice would keep the whole message alive). */
  #part(text: string): string {
    const hit = this.#parts.get(text);
    if (hit !== undefined) return hit;
    const own = detached(text);
    if (this.#parts.size < SHARED_MESSAGES_LIMIT) this.#parts.set(own, own);
    return own;
  }

  of(text: string): string {
    const seen = this.#seen;
    if (seen === undefined) return flat(text);
    const hit = seen.get(text);
    if (hit !== undefined) {
      this.#repeats++;
      return hit;
    }
    const copy = flat(text);
    if (seen.size < SHARED_MESSAGES_LIMIT) seen.set(copy, copy);
    if (++this.#asked % ROUND === 0 && this.#repeats * MIN_REPEATS < this.#asked) this.#seen = undefined;
    return copy;
  }
}

/** Names shorter than this are not looked for in a message: they save little, and often match before the name itself (the message is exact either way). */
const MIN_NAME = 4;

/** Messages per round of {@link SharedStrings}. */
const ROUND = 16_384;
/** One repeat in this many messages (at least) keeps {@link SharedStrings} remembering. */
const MIN_REPEATS = 8;

function toArray(r: EvaluateResult): readonly Violation[] {
  if (r === undefined || r === null || r === NOT_APPLICABLE) return [];
  if (Array.isArray(r)) return r as readonly Violation[];
  return [r as Violation];
}

function pointerOf(v: Violation, base: string): string {
  return v.pointer ?? (v.path !== undefined ? base + v.path : base);
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function prepare(resource: Resource): Prepared {
  const pods = podSpecsOf(resource);
  if (pods.length === 0) return NO_PODS;
  const containers = pods.length === 1 ? containersOf(pods[0] as PodSpecTarget) : pods.flatMap((p) => containersOf(p));
  return { pods, containers };
}
