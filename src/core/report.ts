/**
 * The scan report: everything reporters need, as plain data. The JSON reporter prints it
 * as it is (schema in docs/json-report.md).
 */
import type { CheckMeta } from './check.js';
import { type DataGap, EVERY_KIND, kindsReadBy, type StatusCounts } from './engine.js';
import type { ExceptionRule } from './exceptions.js';
import { countProblems, type Problem, type ProblemCounts, problemsOf, rankFindings } from './grouping.js';
import type { Diagnostic, Finding, ResourceTypeCoverage, Severity } from './types.js';
import { SEVERITIES, severityRank } from './types.js';

export const REPORT_SCHEMA_VERSION = '1';

/** What a scan produced. */
export interface ScanReport {
  readonly schemaVersion: string;
  readonly tool: { readonly name: string; readonly version: string };
  /** ISO timestamp of the scan. */
  readonly generatedAt: string;
  /** Paths (or `<stdin>`) scanned. */
  readonly sources: readonly string[];
  /** Kubernetes objects scanned (List items counted, non-Kubernetes documents not). */
  readonly resources: number;
  readonly stats: {
    readonly files: number;
    readonly documents: number;
    readonly nonKubernetes: number;
    readonly parseErrors: number;
    readonly skippedFiles: number;
  };
  /**
   * Findings that are not passes (and passes too with `includePassed`), in risk order: problem
   * by problem (see `rank`, `groupId`, `primary`, `related` on each finding), primary first.
   */
  readonly findings: readonly Finding[];
  readonly summary: {
    readonly totals: StatusCounts;
    /** Failing findings per severity. */
    readonly failBySeverity: Readonly<Record<Severity, number>>;
    readonly checksRun: number;
    /** Failing problems (root causes, each grouping the findings that report it). Set by the library. */
    readonly problems?: ProblemCounts;
  };
  /**
   * Present when the report was filtered for display (`--min-severity`): what was left out.
   * `summary` still counts every finding of the scan; `findings` holds only what is shown.
   */
  readonly hidden?: HiddenFindings;
  /** Per check id: status counts. */
  readonly perCheck: Readonly<Record<string, StatusCounts>>;
  /** The checks that ran (metadata only). */
  readonly checks: readonly CheckMeta[];
  /**
   * Selected checks that did not run because the scan was not given a model input they
   * require (PAL-1000 to PAL-1003 without `--images`): not counted as run, as coverage or as
   * errors. Absent when none was skipped.
   */
  readonly skippedChecks?: readonly SkippedCheckInfo[];
  readonly exceptions: { readonly expired: readonly ExceptionRule[]; readonly unused: readonly ExceptionRule[] };
  readonly diagnostics: readonly Diagnostic[];
  /** The clusters scanned (cluster and snapshot scans only). */
  readonly clusters?: readonly ClusterInfo[];
  /**
   * How much of the clusters could be read (cluster and snapshot scans only; a manifest scan
   * reads everything it is given). Reporters show the percentage and every type that is not `ok`.
   */
  readonly coverage?: Coverage;
  /**
   * Present when some of the input could not be read: files that did not parse (fully), were
   * skipped (too large, binary), paths that do not exist or cannot be read, charts and
   * kustomizations that could not be rendered. A gate (`--fail-on`) fails on an incomplete scan
   * unless `--allow-incomplete` is given; every report format says so in its summary.
   */
  readonly incomplete?: Incomplete;
  /**
   * The handful of attack paths that matter most, from the attack graph, ranked by risk score
   * (docs/attack-paths.md), each with the hop and finding that cut it. Every report format
   * starts with it. Set by the library (`topRisks` option, default 5); absent only from
   * reports built by hand.
   */
  readonly topRisks?: TopRisks;
}

/** The Top risks section of a report (docs/json-report.md). */
export interface TopRisks {
  /**
   * `ok`: risks listed; `none`: the attack graph was built and has no path; `unavailable`: it
   * could not be built (`reason`); `off`: not asked for (`topRisks: 0`).
   */
  readonly status: 'ok' | 'none' | 'unavailable' | 'off';
  /** How many risks were asked for. */
  readonly limit: number;
  /** Attack paths found (one per entry and sink kind), before grouping and the limit. */
  readonly totalPaths: number;
  /** Why the graph could not be built (`unavailable`). */
  readonly reason?: string;
  /** What the graph could not take into account (`image data: not provided ...`). */
  readonly notes: readonly string[];
  /** Best first. */
  readonly risks: readonly TopRisk[];
}

/** One end of a risk: an entry point or a sink. */
export interface RiskEnd {
  /** Entry: `internet`, `pod`, `identity`; sink: `cluster-admin`, `all-secrets`, `node-root`, `cloud-credentials`, `namespace-secrets`. */
  readonly kind: string;
  readonly label: string;
}

/** A place in the input: the object, the JSON Pointer in it, and `file:line` when known. */
export interface RiskWhere {
  readonly object?: { readonly kind: string; readonly namespace?: string; readonly name: string; readonly cluster?: string };
  readonly pointer?: string;
  readonly file?: string;
  readonly line?: number;
}

/** One hop of a risk, in short form. */
export interface RiskHop extends RiskWhere {
  /** The edge kind (`token-theft`, `rbac:bind`, ...): docs/attack-paths.md. */
  readonly edge: string;
  readonly from: string;
  readonly to: string;
  /** MITRE ATT&CK technique id. */
  readonly mitre: string;
  /** Microsoft threat matrix for Kubernetes technique id. */
  readonly ms: string;
  /** The field or rule that enables the hop. */
  readonly evidence: string;
}

/** A finding of the report, as a risk names it. */
export interface RiskFinding {
  readonly check: string;
  readonly name: string;
  readonly severity: Severity;
  readonly resource: string;
  readonly pointer: string;
  /** `palisade fix` or `palisade fix --unsafe-fixes` when the finding has an automatic fix. */
  readonly fixCommand?: string;
}

/** One top risk: an attack path (or several sharing all but their first hop). */
export interface TopRisk {
  /** 1-based. */
  readonly rank: number;
  /** likelihood x impact, 0..10, one decimal. */
  readonly score: number;
  readonly likelihood: number;
  readonly impact: number;
  readonly entry: RiskEnd;
  /** Other entries whose path differs only in the first hop (at most five). */
  readonly alsoFrom: readonly RiskEnd[];
  readonly sink: RiskEnd;
  /** The conditions the path joins, e.g. `internet-exposed + token mounted + RBAC: every Secret`. */
  readonly title: string;
  readonly hops: readonly RiskHop[];
  /** The hop to change to break the path: the one most of the scan's paths take. */
  readonly cut: RiskCut;
  /** The toxic-combination findings (PAL-0700, PAL-0701) that report this path, when the scan ran them. */
  readonly combinations: readonly RiskFinding[];
  /** The cluster, in multi-cluster reports. */
  readonly cluster?: string;
}

/** The hop that cuts a risk, and how. */
export interface RiskCut extends RiskWhere {
  /** 0-based index into `hops`. */
  readonly hop: number;
  readonly edge: string;
  /** How many of the scan's attack paths take this hop. */
  readonly paths: number;
  /** What to change. */
  readonly how: string;
  /** The failing finding of the report on the same object and field, when there is one. */
  readonly finding?: RiskFinding;
}

/**
 * One line for a Top risks section that lists nothing, or its notes' lead: every format says it.
 *
 * @example
 * describeTopRisks({ status: 'none', limit: 5, totalPaths: 0, notes: [], risks: [] });
 * // 'no attack path found: no entry point reaches cluster-admin, node root, Secrets or cloud credentials'
 */
export function describeTopRisks(t: TopRisks | undefined): string {
  if (!t) return 'not computed for this report';
  switch (t.status) {
    case 'off':
      return 'not computed (turned off with --top-risks 0)';
    case 'unavailable':
      return `the attack graph could not be built: ${t.reason ?? 'unknown reason'}`;
    case 'none':
      return 'no attack path found: no entry point reaches cluster-admin, node root, Secrets or cloud credentials';
    default:
      return `${t.risks.length} of ${t.totalPaths} attack path${t.totalPaths === 1 ? '' : 's'}, by risk score (likelihood x impact)`;
  }
}

/**
 * A risk's hops in one line: `entry -[edge]-> to -[edge]-> sink`.
 *
 * @example
 * riskChain(report.topRisks.risks[0]);
 */
export function riskChain(r: Pick<TopRisk, 'entry' | 'hops'>): string {
  return [r.hops[0]?.from ?? r.entry.label, ...r.hops.map((h) => `-[${h.edge}]-> ${h.to}`)].join(' ');
}

/**
 * Merges the Top risks of several clusters: every risk re-ranked by score, the best `limit` kept.
 *
 * @example
 * mergeTopRisks([prod.topRisks, staging.topRisks]);
 */
export function mergeTopRisks(list: readonly (TopRisks | undefined)[]): TopRisks | undefined {
  const present = list.filter((t): t is TopRisks => t !== undefined);
  const [first] = present;
  if (!first || present.length === 1) return first;
  const limit = Math.max(...present.map((t) => t.limit));
  const risks = present
    .flatMap((t) => t.risks)
    .sort((a, b) => b.score - a.score || a.hops.length - b.hops.length || a.rank - b.rank || (a.cluster ?? '').localeCompare(b.cluster ?? ''))
    .slice(0, limit)
    .map((r, i) => ({ ...r, rank: i + 1 }));
  const unavailable = present.filter((t) => t.status === 'unavailable');
  const status = risks.length > 0 ? 'ok' : present.every((t) => t.status === 'off') ? 'off' : unavailable.length > 0 ? 'unavailable' : 'none';
  return {
    status,
    limit,
    totalPaths: present.reduce((n, t) => n + t.totalPaths, 0),
    ...(unavailable.length > 0 ? { reason: unavailable.map((t) => t.reason).join('; ') } : {}),
    notes: [...new Set(present.flatMap((t) => t.notes))],
    risks,
  };
}

/** A check the scan selected but did not run, and why. */
export interface SkippedCheckInfo {
  readonly id: string;
  readonly name: string;
  /** How to run it, e.g. `run with --images`. */
  readonly reason: string;
  /** The selection named it on purpose (`--include`, config `include`): a gate (`--fail-on`) does not pass on it. */
  readonly selected?: boolean;
}

/** A path that was not (fully) read. */
export interface IncompleteReason {
  /** The file, directory, chart or `<stdin>`. */
  readonly path: string;
  /** The diagnostic code: `parse-error`, `file-too-large`, `binary-file`, `path-not-found`, `io`, `not-rendered`, `render-failed`. */
  readonly code: string;
  readonly message: string;
}

/** The incomplete section of a report. */
export interface Incomplete {
  /** Distinct paths not (fully) read. */
  readonly paths: number;
  readonly reasons: readonly IncompleteReason[];
}

/**
 * Builds the incomplete section from what a loader could not read; undefined when it read everything.
 *
 * @example
 * incompleteOf([{ path: 'a.yaml', code: 'parse-error', message: 'a.yaml: 1 document not valid YAML' }])?.paths; // 1
 */
export function incompleteOf(reasons: readonly IncompleteReason[]): Incomplete | undefined {
  if (reasons.length === 0) return undefined;
  return { paths: new Set(reasons.map((r) => r.path)).size, reasons };
}

/** One line for report summaries: `incomplete: 2 files could not be read`. */
export function describeIncomplete(incomplete: Incomplete): string {
  return `incomplete: ${incomplete.paths} ${incomplete.paths === 1 ? 'file' : 'files'} could not be read`;
}

/** What `--min-severity` left out of a report. */
export interface HiddenFindings {
  /** The threshold: problems below it are not shown. */
  readonly minSeverity: Severity;
  /** Findings left out (every status but `error`). */
  readonly findings: number;
  /** Problems left out. */
  readonly problems: number;
  /** Of those, the failing findings and problems. */
  readonly failingFindings: number;
  readonly failingProblems: number;
}

/** One cluster of a cluster or snapshot scan. */
export interface ClusterInfo {
  /** The kubeconfig context name; findings carry it in `resource.cluster`. */
  readonly name: string;
  /** The API server URL. */
  readonly server?: string;
  /** `gitVersion` of the API server, e.g. `v1.31.2`. */
  readonly kubernetesVersion?: string;
  /** Objects read. */
  readonly resources: number;
  /** Coverage of this cluster, 0-100. */
  readonly coveragePercent: number;
}

/** The coverage section of a report. */
export interface Coverage {
  /**
   * How much of what the checks read was read, 0-100 with one decimal, rounded down: per check
   * (and cluster), the smallest share read among the kinds it reads (its target, its `needs` and
   * the `reads` of the models it `uses`), averaged over checks. A forbidden ClusterRole list thus
   * costs every RBAC check, not one type in sixty. Without checks (`palisade inventory`): the
   * share of resource types read.
   */
  readonly percent: number;
  /** Share of the resource types read; partial types count by namespaces read, skipped ones are left out. */
  readonly typesPercent?: number;
  /** Resource types by status. */
  readonly counts: Readonly<Record<ResourceTypeCoverage['status'], number>>;
  /** Every resource type listed (and every API group version whose discovery failed). */
  readonly types: readonly ResourceTypeCoverage[];
  /** Checks (per cluster) and how many of them read everything they need. */
  readonly checks?: {
    readonly total: number;
    readonly complete: number;
    /** The checks that could not read everything, with what they missed. */
    readonly degraded: readonly DegradedCheck[];
  };
  /** Analyses (engine-owned models, e.g. `rbac`) built from incomplete data. */
  readonly degraded?: readonly DegradedAnalysis[];
}

/** A check that could not read all it needs, in one cluster. */
export interface DegradedCheck {
  readonly check: string;
  readonly name: string;
  readonly cluster?: string;
  /** Share of its data read, 0-100. */
  readonly percent: number;
  /** What was not read, e.g. `secrets: forbidden`. */
  readonly missing: readonly string[];
}

/** An analysis whose model was built from incomplete data, in one cluster. */
export interface DegradedAnalysis {
  /** The model name, e.g. `rbac`. */
  readonly analysis: string;
  readonly cluster?: string;
  /** What was not read, e.g. `clusterroles.rbac.authorization.k8s.io: forbidden`. */
  readonly missing: readonly string[];
  /** Checks (run in this scan) that use the analysis or read the kinds it is built from. */
  readonly checks: number;
}

/** What the checks of a scan read, to weight coverage by it. */
export interface CoverageNeeds {
  readonly checks: readonly Pick<CheckMeta, 'id' | 'name' | 'target' | 'needs' | 'uses'>[];
  /** The model providers' `reads`, by model name. */
  readonly models: readonly { readonly name: string; readonly reads: readonly string[] }[];
}

/** How much one type counts towards the percentage: 1 read, 0 not read, a fraction when partial. */
function weightOf(t: ResourceTypeCoverage): number {
  if (t.status === 'ok') return 1;
  if (t.status !== 'partial') return 0;
  const read = t.namespacesRead?.length ?? 0;
  const denied = t.namespacesDenied?.length ?? 0;
  return read + denied === 0 ? 0 : read / (read + denied);
}

const floorPercent = (share: number): number => Math.floor(share * 1000) / 10;

/** Per kind with a gap: the share read (skipped types count as read: the user chose) and why not all. */
function kindShares(types: readonly ResourceTypeCoverage[]): Map<string, { share: number; missing: string[] }> {
  const out = new Map<string, { share: number; missing: string[] }>();
  for (const t of types) {
    if (t.status === 'ok') continue;
    const key = t.resource === '*' && t.group === '' ? EVERY_KIND : t.kind;
    const share = t.status === 'skipped' ? 1 : weightOf(t);
    const prev = out.get(key);
    if (prev) {
      prev.share = Math.min(prev.share, share);
      prev.missing.push(shortGap(t));
    } else out.set(key, { share, missing: [shortGap(t)] });
  }
  return out;
}

/**
 * Builds the coverage section from per-type results, weighted by what the checks read when
 * `needs` is given. Types skipped by the user (`--no-secrets`) are listed but do not lower
 * the percentage.
 *
 * @example
 * computeCoverage([{ group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true, status: 'ok', objects: 3 }]).percent; // 100
 */
export function computeCoverage(types: readonly ResourceTypeCoverage[], needs?: CoverageNeeds): Coverage {
  const counts = { ok: 0, partial: 0, forbidden: 0, failed: 0, skipped: 0 };
  let weight = 0;
  let attempted = 0;
  for (const t of types) {
    counts[t.status]++;
    if (t.status === 'skipped') continue;
    attempted++;
    weight += weightOf(t);
  }
  const typesPercent = attempted === 0 ? 100 : floorPercent(weight / attempted);
  if (!needs || needs.checks.length === 0) return { percent: typesPercent, typesPercent, counts, types };

  const byCluster = new Map<string | undefined, ResourceTypeCoverage[]>();
  for (const t of types) {
    const list = byCluster.get(t.cluster);
    if (list) list.push(t);
    else byCluster.set(t.cluster, [t]);
  }
  if (byCluster.size === 0) byCluster.set(undefined, []);
  const readsOf = new Map(needs.models.map((m) => [m.name, m.reads]));
  let total = 0;
  let complete = 0;
  let sum = 0;
  const degradedChecks: DegradedCheck[] = [];
  const degraded: DegradedAnalysis[] = [];
  for (const [cluster, list] of byCluster) {
    const shares = kindShares(list);
    const everything = shares.get(EVERY_KIND);
    for (const check of needs.checks) {
      const { target, needs: needed } = kindsReadBy(check);
      const kinds = [...target, ...needed, ...(check.uses ?? []).flatMap((m) => readsOf.get(m) ?? [])];
      let share = 1;
      const missing: string[] = [];
      const take = (gap: { share: number; missing: string[] } | undefined): void => {
        if (!gap) return;
        share = Math.min(share, gap.share);
        for (const m of gap.missing) if (!missing.includes(m)) missing.push(m);
      };
      take(everything);
      for (const k of new Set(kinds)) {
        if (k === '*') for (const gap of shares.values()) take(gap);
        else take(shares.get(k));
      }
      total++;
      sum += share;
      if (missing.length === 0) complete++;
      else degradedChecks.push({ check: check.id, name: check.name, ...(cluster !== undefined ? { cluster } : {}), percent: floorPercent(share), missing });
    }
    for (const model of needs.models) {
      // Checks that use the model, or read the kinds it is built from themselves.
      const users = needs.checks.filter((c) => {
        if ((c.uses as readonly string[] | undefined)?.includes(model.name)) return true;
        const { target, needs: needed } = kindsReadBy(c);
        return [...target, ...needed].some((k) => model.reads.includes(k));
      }).length;
      if (users === 0) continue;
      const missing: string[] = [...(everything?.missing ?? [])];
      for (const k of model.reads) for (const m of shares.get(k)?.missing ?? []) if (!missing.includes(m)) missing.push(m);
      if (missing.length > 0) degraded.push({ analysis: model.name, ...(cluster !== undefined ? { cluster } : {}), missing, checks: users });
    }
  }
  return {
    percent: floorPercent(sum / total),
    typesPercent,
    counts,
    types,
    checks: { total, complete, degraded: degradedChecks },
    degraded,
  };
}

/**
 * One line naming a degraded analysis: `RBAC analysis degraded: clusterroles.rbac.authorization.k8s.io: forbidden`.
 *
 * @example
 * describeDegradedAnalysis({ analysis: 'rbac', missing: ['clusterroles.rbac.authorization.k8s.io: forbidden'], checks: 9 });
 */
export function describeDegradedAnalysis(d: DegradedAnalysis): string {
  const label = d.analysis.length <= 4 ? d.analysis.toUpperCase() : `${d.analysis[0]?.toUpperCase() ?? ''}${d.analysis.slice(1)}`;
  return `${label} analysis degraded: ${d.missing.join('; ')} (${d.checks} check${d.checks === 1 ? '' : 's'} rel${d.checks === 1 ? 'ies' : 'y'} on it)`;
}

/** `deployments.apps`, `pods`: the name kubectl uses for a resource type. */
export function resourceTypeName(t: Pick<ResourceTypeCoverage, 'resource' | 'group' | 'version'>): string {
  if (t.resource === '*') return `${t.group === '' ? '' : `${t.group}/`}${t.version}`;
  return t.group === '' ? t.resource : `${t.resource}.${t.group}`;
}

/** One line saying why a type is not fully covered. */
export function describeCoverageGap(t: ResourceTypeCoverage): string {
  const name = resourceTypeName(t);
  if (t.status === 'partial') {
    const denied = t.namespacesDenied ?? [];
    const shown = denied.slice(0, 5).join(', ') + (denied.length > 5 ? `, and ${denied.length - 5} more` : '');
    return `${name}: read in ${t.namespacesRead?.length ?? 0} of ${(t.namespacesRead?.length ?? 0) + denied.length} namespaces, not in ${shown}${t.reason ? ` (${t.reason})` : ''}`;
  }
  return `${name}: ${t.reason ?? t.status}`;
}

/**
 * Turns coverage into the engine's data gaps, by kind: what checks cannot rely on. Kinds served
 * by several groups have a gap as soon as one of them has.
 *
 * @example
 * const gaps = gapsFromCoverage(report.coverage.types);
 * runChecks(inventory, { checks, gaps });
 */
export function gapsFromCoverage(types: readonly ResourceTypeCoverage[]): Map<string, DataGap> {
  const gaps = new Map<string, DataGap>();
  for (const t of types) {
    if (t.status === 'ok') continue;
    const reason = shortGap(t);
    // A failed discovery of the core group means nothing at all is known about the cluster.
    const key = t.resource === '*' && t.group === '' ? EVERY_KIND : t.kind;
    const prev = gaps.get(key);
    let readNamespaces: ReadonlySet<string> | undefined;
    if (t.status === 'partial' && (!prev || prev.readNamespaces)) {
      const read = new Set(t.namespacesRead ?? []);
      readNamespaces = prev?.readNamespaces ? new Set([...read].filter((n) => prev.readNamespaces?.has(n))) : read;
    }
    gaps.set(key, { reason: prev ? `${prev.reason}; ${reason}` : reason, ...(readNamespaces ? { readNamespaces } : {}) });
  }
  return gaps;
}

/** A short reason for finding messages (the coverage section keeps the server's full message). */
function shortGap(t: ResourceTypeCoverage): string {
  const name = resourceTypeName(t);
  if (t.status === 'skipped') return `${name}: not read${t.reason ? ` (${t.reason})` : ''}`;
  if (t.status === 'partial') {
    const denied = t.namespacesDenied ?? [];
    return `${name}: not read in namespace${denied.length === 1 ? '' : 's'} ${denied.slice(0, 5).join(', ')}${denied.length > 5 ? ` and ${denied.length - 5} more` : ''}`;
  }
  if (t.status === 'forbidden') return `${name}: forbidden`;
  return `${name}: ${t.reason ?? 'failed'}`;
}

/** True when the report's coverage is below the minimum percentage (`--fail-on-coverage-below`). */
export function failsCoverageGate(report: Pick<ScanReport, 'coverage'>, minPercent: number): boolean {
  return (report.coverage?.percent ?? 100) < minPercent;
}

/** Counts failing findings per severity. */
export function failBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const out = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) if (f.status === 'fail') out[f.severity]++;
  return out;
}

/** True when a failing finding is at or above the threshold. */
export function failsGate(report: Pick<ScanReport, 'findings'>, threshold: Severity): boolean {
  const min = severityRank(threshold);
  return report.findings.some((f) => f.status === 'fail' && severityRank(f.severity) >= min);
}

/**
 * Leaves out of a report, for display, the problems below a severity (`--min-severity`): a
 * problem is kept or hidden whole, by its primary's severity; errors are always kept (they say
 * what was not checked). `summary` keeps counting everything, and `hidden` says what was left
 * out. Gate on the unfiltered report: {@link failsGate} only sees the findings it is given.
 *
 * @example
 * const shown = filterReport(report, 'high');
 * shown.hidden?.findings; // 12
 */
export function filterReport(report: ScanReport, minSeverity: Severity | undefined): ScanReport {
  if (minSeverity === undefined) return report;
  const min = severityRank(minSeverity);
  const kept: Finding[] = [];
  let findings = report.hidden?.findings ?? 0;
  let problems = report.hidden?.problems ?? 0;
  let failingFindings = report.hidden?.failingFindings ?? 0;
  let failingProblems = report.hidden?.failingProblems ?? 0;
  const all = problemsOf(report.findings);
  for (const p of all) {
    const members = [p.primary, ...p.related];
    if (p.primary.status === 'error' || severityRank(p.primary.severity) >= min) {
      kept.push(...members);
      continue;
    }
    problems++;
    findings += members.length;
    if (p.primary.status === 'fail') {
      failingProblems++;
      failingFindings += members.length;
    }
  }
  // A stricter earlier threshold stays: hiding is never undone by a second, looser filter.
  const threshold = report.hidden && severityRank(report.hidden.minSeverity) > min ? report.hidden.minSeverity : minSeverity;
  // The summary describes the whole scan: count the problems before any is left out.
  const summary = report.summary.problems ? report.summary : { ...report.summary, problems: countProblems(all) };
  return { ...report, summary, findings: kept, hidden: { minSeverity: threshold, findings, problems, failingFindings, failingProblems } };
}

/**
 * Groups the engine's findings by root cause and puts them in risk order, with the problem
 * counts for the summary: what the library does once when it builds (or merges) a report.
 * With `inPlace`, the findings given are updated instead of copied (see `rankFindings`).
 *
 * @example
 * const { findings, problems } = groupFindings(result.findings);
 */
export function groupFindings(findings: readonly Finding[], options: { readonly inPlace?: boolean } = {}): { findings: Finding[]; problems: ProblemCounts } {
  const ranked = rankFindings(findings, options);
  // Counted from the flags, without building a problem object per problem: a failing
  // problem is a failing primary (status is part of the key), its findings the failing ones.
  const problemsBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let problems = 0;
  let failing = 0;
  for (const f of ranked) {
    if (f.status !== 'fail') continue;
    failing++;
    if (f.primary === true) {
      problems++;
      problemsBySeverity[f.severity]++;
    }
  }
  return { findings: ranked, problems: { problems, problemsBySeverity, findings: failing } };
}

/**
 * Failing problems and findings of a report: the library's count when present, else counted
 * (from `problems` when the caller has them already).
 *
 * @example
 * problemCounts(report).problems; // 12
 */
export function problemCounts(report: Pick<ScanReport, 'findings' | 'summary'>, problems?: readonly Problem[]): ProblemCounts {
  return report.summary.problems ?? countProblems(problems ?? problemsOf(report.findings));
}

/** Sorts findings: severity (most serious first), then check id, resource, pointer. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      cmp(a.check, b.check) ||
      cmp(a.resource.cluster ?? '', b.resource.cluster ?? '') ||
      cmp(a.resource.namespace ?? '', b.resource.namespace ?? '') ||
      cmp(a.resource.kind, b.resource.kind) ||
      cmp(a.resource.name, b.resource.name) ||
      cmp(a.pointer, b.pointer),
  );
}

// Code-unit order: locale-independent (reports are identical everywhere) and much faster
// than localeCompare on hundreds of thousands of findings.
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
