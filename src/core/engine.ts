/**
 * The engine: runs checks over an inventory and produces findings. Pure: no I/O, no clock.
 * Pass results are counted per check and only materialised as findings on request, so that
 * memory stays proportional to the problems, not to objects x checks.
 */
import type { AnyCheck, CheckTarget, ContainerContext, EvaluateResult, PodContext, ResourceContext, Violation } from './check.js';
import type { ExceptionMatcher } from './exceptions.js';
import type { Inventory } from './inventory.js';
import { type AnyModelProvider, type Models, ScanModels } from './models.js';
import type { Finding, JsonValue, Resource, Severity, SourceLocation, Status } from './types.js';
import { type ContainerTarget, containersOf, type PodSpecTarget, podSpecsOf } from './workloads.js';
import { describeObject } from './object.js';

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
}

const EMPTY_PARAMS: Readonly<Record<string, JsonValue>> = Object.freeze({});

export function emptyCounts(): StatusCounts {
  return { pass: 0, fail: 0, exempt: 0, error: 0 };
}

function toArray(r: EvaluateResult): readonly Violation[] {
  if (r === undefined || r === null) return [];
  if (Array.isArray(r)) return r as readonly Violation[];
  return [r as Violation];
}

function locate(resource: Resource, pointer: string, line?: number): SourceLocation | undefined {
  if (resource.positions) {
    try {
      if (line !== undefined && resource.positions.locateLine) return resource.positions.locateLine(pointer, line);
      return resource.positions.locate(pointer);
    } catch {
      return resource.location;
    }
  }
  return resource.location;
}

interface Prepared {
  readonly resource: Resource;
  readonly pods: readonly PodSpecTarget[];
  readonly containers: readonly ContainerTarget[];
}

/**
 * Runs every check on the inventory.
 *
 * @example
 * const { findings } = runChecks(inventory, { checks: builtinChecks });
 */
export function runChecks(inventory: Inventory, options: EngineOptions): EngineResult {
  const findings: Finding[] = [];
  const perCheck = new Map<string, StatusCounts>();
  const totals = emptyCounts();
  const includePassed = options.includePassed === true;
  const overrides = options.severityOverrides ?? {};
  const kubernetesVersion = options.kubernetesVersion;

  for (const check of options.checks) perCheck.set(check.id, emptyCounts());
  const gapsByCheck = new Map<string, CheckGaps>();
  if (options.gaps) {
    for (const check of options.checks) {
      const g = gapsOf(check, options.gaps, (m) => options.models?.find((p) => p.name === m)?.reads ?? []);
      if (g) gapsByCheck.set(check.id, g);
    }
  }

  // Per check, per gap: the objects it could not evaluate (one error each, not one per object).
  const unevaluated = new Map<string, Map<DataGap, Unevaluated>>();
  // Pass messages are only built when a pass is materialised or needs explaining: building
  // one per check and target dominated the cost of clean objects.
  type PassMessage = string | (() => string);
  const record = (
    check: AnyCheck,
    status: Status,
    resource: Resource,
    pointer: string,
    messageOrLazy: PassMessage,
    container: string | undefined,
    violation: Violation | undefined,
  ): void => {
    const counts = perCheck.get(check.id) as StatusCounts;
    const gaps = gapsByCheck.size > 0 ? gapsByCheck.get(check.id) : undefined;
    // Without the data a check needs, neither its passes nor its fails can be trusted (an
    // absence check would report what it could not see).
    const missing = gaps && (status === 'pass' || status === 'fail') ? missingFor(resource, gaps) : undefined;
    if (missing) {
      // Counted, and reported once per check and cause after the run (see the end of runChecks).
      let perGap = unevaluated.get(check.id);
      if (!perGap) {
        perGap = new Map();
        unevaluated.set(check.id, perGap);
      }
      let u = perGap.get(missing);
      if (!u) {
        u = { objects: 0, unconfirmedFailures: 0, examples: [] };
        perGap.set(missing, u);
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
      counts.pass++;
      totals.pass++;
      if (!includePassed) return;
    }
    const message = typeof messageOrLazy === 'string' ? messageOrLazy : messageOrLazy();
    let finalStatus = status;
    const finalMessage = message;
    let exemption: Finding['exemption'];
    if (finalStatus === 'fail' && options.exceptions) {
      exemption = options.exceptions.match({
        checkId: check.id,
        checkName: check.name,
        ...(check.aliases ? { aliases: check.aliases } : {}),
        resource,
        ...(container !== undefined ? { container } : {}),
      });
      if (exemption) finalStatus = 'exempt';
    }
    if (finalStatus !== 'pass') {
      counts[finalStatus]++;
      totals[finalStatus]++;
    }
    const severity = overrides[check.id] ?? violation?.severity ?? check.severity;
    const location = locate(resource, pointer, violation?.line);
    const affectedPods = inventory.podCountOf(resource);
    const finding: Finding = {
      check: check.id,
      name: check.name,
      title: check.title,
      severity,
      defaultSeverity: check.severity,
      category: check.category,
      status: finalStatus,
      resource: resource.ref,
      ...(container !== undefined ? { container } : {}),
      pointer,
      message: finalMessage,
      ...(location ? { location } : {}),
      ...(violation?.evidence ? { evidence: violation.evidence } : {}),
      ...(violation?.fix && finalStatus === 'fail' ? { fix: violation.fix } : {}),
      ...(exemption ? { exemption } : {}),
      frameworks: check.frameworks,
      ...(affectedPods !== undefined ? { affectedPods } : {}),
    };
    findings.push(finding);
  };

  const settle = (check: AnyCheck, resource: Resource, base: string, container: string | undefined, pass: PassMessage, result: EvaluateResult): void => {
    if (result === undefined || result === null) {
      record(check, 'pass', resource, base, pass, container, undefined);
      return;
    }
    const violations = toArray(result);
    if (violations.length === 0) {
      record(check, 'pass', resource, base, pass, container, undefined);
      return;
    }
    for (const v of violations) {
      const target = v.resource ?? resource;
      const pointer = v.pointer ?? (v.path !== undefined ? base + v.path : base);
      record(check, 'fail', target, pointer, v.message, container, v);
    }
  };
  const failed = (check: AnyCheck, resource: Resource, base: string, container: string | undefined, err: unknown): void => {
    const reason = err instanceof Error ? err.message : String(err);
    record(check, 'error', resource, base, `check ${check.id} failed to evaluate: ${reason}`, container, undefined);
  };

  // Models first: a check whose model could not be built does not run, it reports why.
  const scanModels = new ScanModels(inventory, options.models ?? []);
  const modelsOf = new Map<string, Models>();
  const unbuilt = new Map<string, string>();
  for (const check of options.checks) {
    const uses = check.uses ?? [];
    const failedModel = uses.map((u) => scanModels.get(u)).find((m) => !m.ok);
    if (failedModel && !failedModel.ok) unbuilt.set(check.id, failedModel.reason);
    else modelsOf.set(check.id, scanModels.viewFor(check.id, uses));
  }
  const runnable = unbuilt.size === 0 ? options.checks : options.checks.filter((c) => !unbuilt.has(c.id));
  const NO_MODELS = scanModels.viewFor('', []);
  const modelsFor = (check: AnyCheck): Models => modelsOf.get(check.id) ?? NO_MODELS;
  const byTarget = groupByTarget(runnable);

  const total = inventory.size;
  for (const resource of inventory.all) {
    if (options.onProgress && resource.index % 500 === 0) options.onProgress(resource.index, total);
    // Pods of a ReplicaSet, ReplicaSets of a Deployment...: their spec is the owner's
    // template, so they are checked once, through the owner (which counts their Pods).
    if (inventory.workloadOwnerOf(resource)) continue;
    const prepared = prepare(resource);
    const resourcePasses = (): string => `${describeObject(resource.ref)} passes`;
    for (const check of byTarget.pod) {
      const params = options.params?.[check.id] ?? EMPTY_PARAMS;
      for (const pod of prepared.pods) {
        let result: EvaluateResult;
        try {
          result = check.evaluate({ inventory, params, models: modelsFor(check), kubernetesVersion, resource, pod });
        } catch (err) {
          failed(check, resource, pod.pointer, undefined, err);
          continue;
        }
        settle(check, resource, pod.pointer, undefined, resourcePasses, result);
      }
    }
    for (const check of byTarget.container) {
      const params = options.params?.[check.id] ?? EMPTY_PARAMS;
      for (const container of prepared.containers) {
        let result: EvaluateResult;
        try {
          result = check.evaluate({ inventory, params, models: modelsFor(check), kubernetesVersion, resource, pod: container.pod, container });
        } catch (err) {
          failed(check, resource, container.pointer, container.name, err);
          continue;
        }
        settle(check, resource, container.pointer, container.name, () => `container ${container.name} of ${describeObject(resource.ref)} passes`, result);
      }
    }
    for (const list of [byTarget.resource.get(resource.ref.kind), byTarget.resource.get('*')]) {
      if (!list) continue;
      for (const check of list) {
        const params = options.params?.[check.id] ?? EMPTY_PARAMS;
        let result: EvaluateResult;
        try {
          result = check.evaluate({ inventory, params, models: modelsFor(check), kubernetesVersion, resource });
        } catch (err) {
          failed(check, resource, '', undefined, err);
          continue;
        }
        settle(check, resource, '', undefined, resourcePasses, result);
      }
    }
  }

  const clusterError = (check: AnyCheck, message: string, evidence?: Finding['evidence']): void => {
    const counts = perCheck.get(check.id) as StatusCounts;
    counts.error++;
    totals.error++;
    findings.push({
      check: check.id,
      name: check.name,
      title: check.title,
      severity: overrides[check.id] ?? check.severity,
      defaultSeverity: check.severity,
      category: check.category,
      status: 'error',
      resource: {
        apiVersion: 'v1',
        kind: 'Cluster',
        name: inventory.cluster ?? '*',
        ...(inventory.cluster !== undefined ? { cluster: inventory.cluster } : {}),
      },
      pointer: '',
      message,
      ...(evidence ? { evidence } : {}),
      frameworks: check.frameworks,
    });
  };

  for (const check of byTarget.cluster) {
    const params = options.params?.[check.id] ?? EMPTY_PARAMS;
    let violations: readonly Violation[];
    try {
      violations = toArray(check.evaluate({ inventory, params, models: modelsFor(check), kubernetesVersion }));
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      clusterError(check, `check ${check.id} failed to evaluate: ${reason}`);
      continue;
    }
    for (const v of violations) {
      if (!v.resource) continue;
      const pointer = v.pointer ?? v.path ?? '';
      record(check, 'fail', v.resource, pointer, v.message, undefined, v);
    }
  }

  for (const [id, reason] of unbuilt) {
    const check = options.checks.find((c) => c.id === id) as AnyCheck;
    clusterError(check, `${check.id} (${check.name}) did not run: ${reason}`, { models: [...(check.uses ?? [])] });
  }

  // One error per check and cause (a kind it could not read completely), with the objects it
  // could therefore not evaluate: a check with nothing to evaluate (its kind was forbidden) is
  // not mistaken for a clean one, and a forbidden kind does not bury the report in one error
  // per object.
  for (const check of options.checks) {
    const g = gapsByCheck.get(check.id);
    if (!g) continue;
    const perGap = unevaluated.get(check.id);
    g.gaps.forEach((gap, i) => {
      const u = perGap?.get(gap);
      const detail = u
        ? `; ${u.objects} object${u.objects === 1 ? '' : 's'} not evaluated (${u.examples.join(', ')}${u.objects > u.examples.length ? ', ...' : ''})` +
          (u.unconfirmedFailures > 0 ? `, ${u.unconfirmedFailures} unconfirmed failure${u.unconfirmedFailures === 1 ? '' : 's'} on what could be read` : '')
        : '';
      clusterError(check, `${check.id} (${check.name}) could not be fully evaluated: ${gap.reason}${detail}`, {
        missingKinds: [g.kinds[i] as string],
        ...(u ? { objects: u.objects, unconfirmedFailures: u.unconfirmedFailures, examples: [...u.examples] } : {}),
      });
    });
  }

  return { findings, perCheck, totals };
}

function prepare(resource: Resource): Prepared {
  const pods = podSpecsOf(resource);
  const containers = pods.length === 0 ? [] : pods.flatMap((p) => containersOf(p));
  return { resource, pods, containers };
}

// The casts below are safe: each list only holds checks of the matching target kind.
function groupByTarget(checks: readonly AnyCheck[]): {
  pod: (AnyCheck & { target: { kind: 'pod' }; evaluate(ctx: PodContext): EvaluateResult })[];
  container: (AnyCheck & { target: { kind: 'container' }; evaluate(ctx: ContainerContext): EvaluateResult })[];
  resource: Map<string, (AnyCheck & { evaluate(ctx: ResourceContext): EvaluateResult })[]>;
  cluster: (AnyCheck & {
    evaluate(ctx: { inventory: Inventory; params: Readonly<Record<string, JsonValue>>; models: Models; kubernetesVersion: string | undefined }): EvaluateResult;
  })[];
} {
  const out = {
    pod: [] as never[],
    container: [] as never[],
    resource: new Map<string, never[]>(),
    cluster: [] as never[],
  };
  for (const c of checks) {
    const t: CheckTarget = c.target;
    if (t.kind === 'resource') {
      for (const k of t.kinds) {
        let list = out.resource.get(k);
        if (!list) {
          list = [];
          out.resource.set(k, list);
        }
        (list as AnyCheck[]).push(c);
      }
    } else {
      (out[t.kind] as AnyCheck[]).push(c);
    }
  }
  return out;
}
