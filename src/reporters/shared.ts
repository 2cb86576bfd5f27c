/**
 * Helpers shared by the reporters: labels for resources, locations, problems and the "most
 * affected" rankings (ranked in core), and text sanitising. Every format shows
 * the same facts the same way, so they are computed once here.
 */
import type { CheckMeta } from '../core/check.js';
import type { RiskWhere, ScanReport, TopRisk } from '../core/report.js';
import { type Problem, type RankedTarget, rankNamespaces, rankResources } from '../core/grouping.js';
import { describeCoverageGap } from '../core/report.js';
import type { Finding, ResourceRef, Severity, SourceLocation } from '../core/types.js';
import { SEVERITIES } from '../core/types.js';
import { resolveReference } from '../frameworks/index.js';

export { SEVERITY_WEIGHT } from '../core/grouping.js';

/** Label shown for findings whose resource has no namespace (cluster-scoped or not set in the manifest). */
export const NO_NAMESPACE = '(no namespace)';

/**
 * `Kind namespace/name`, or `Kind name` when the object has no namespace; with
 * `withCluster`, the cluster it was read from follows (`@ prod-eu`), which multi-cluster
 * reports need to tell objects apart.
 *
 * @example
 * resourceLabel({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'prod', name: 'web' }); // 'Deployment prod/web'
 */
export function resourceLabel(ref: ResourceRef, withCluster = false): string {
  const base = `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
  return withCluster && ref.cluster !== undefined ? `${base} @ ${ref.cluster}` : base;
}

/**
 * The resource label plus the container in brackets, when the finding names one.
 *
 * @example
 * targetLabel(finding); // 'Deployment prod/web [app]'
 */
export function targetLabel(f: Pick<Finding, 'resource' | 'container'>, withCluster = false): string {
  const base = f.container !== undefined ? `${resourceLabel(f.resource)} [${f.container}]` : resourceLabel(f.resource);
  return withCluster && f.resource.cluster !== undefined ? `${base} @ ${f.resource.cluster}` : base;
}

/**
 * True when findings come from more than one cluster, so labels must name the cluster.
 *
 * @example
 * const withCluster = isMultiCluster(report);
 */
export function isMultiCluster(report: Pick<ScanReport, 'findings' | 'clusters'>): boolean {
  if ((report.clusters?.length ?? 0) > 1) return true;
  const seen = new Set<string>();
  for (const f of report.findings) if (f.resource.cluster !== undefined) seen.add(f.resource.cluster);
  return seen.size > 1;
}

/**
 * ` (3 running pods)` for a workload whose Pods were in the inventory, else the empty string.
 *
 * @example
 * targetLabel(f) + podsNote(f); // 'Deployment prod/web [app] (3 running pods)'
 */
export function podsNote(f: Pick<Finding, 'affectedPods'>): string {
  return f.affectedPods === undefined ? '' : ` (${f.affectedPods} running pod${f.affectedPods === 1 ? '' : 's'})`;
}

/**
 * `file:line`, or the empty string when there is no source position.
 *
 * @example
 * locationLabel({ file: 'web.yaml', line: 12, column: 5 }); // 'web.yaml:12'
 */
export function locationLabel(loc: SourceLocation | undefined): string {
  return loc ? `${loc.file}:${loc.line}` : '';
}

/** A stable key for one Kubernetes object (apiVersion and cluster included: either may tell two objects apart). */
export function resourceKey(ref: ResourceRef): string {
  return `${ref.cluster ?? ''}\u0000${ref.apiVersion}\u0000${ref.kind}\u0000${ref.namespace ?? ''}\u0000${ref.name}`;
}

/**
 * Every resource type a cluster scan did not read completely, one line each, with the
 * cluster in front when there are several.
 *
 * @example
 * coverageGaps(report); // ['secrets: forbidden (403: ...)', 'networkpolicies.networking.k8s.io: read in 3 of 5 namespaces, ...']
 */
export function coverageGaps(report: Pick<ScanReport, 'coverage' | 'clusters'>): { readonly status: string; readonly text: string }[] {
  const multi = (report.clusters?.length ?? 0) > 1;
  return (report.coverage?.types ?? [])
    .filter((t) => t.status !== 'ok')
    .map((t) => ({ status: t.status, text: `${multi && t.cluster ? `${t.cluster}: ` : ''}${describeCoverageGap(t)}` }));
}

/**
 * The checks that ran, by id.
 *
 * @example
 * checksById(report).get('PAL-0100')?.docs.remediation;
 */
export function checksById(report: Pick<ScanReport, 'checks'>): ReadonlyMap<string, CheckMeta> {
  return new Map(report.checks.map((c) => [c.id, c]));
}

/** Zero counts per severity. */
export function zeroSeverityCounts(): Record<Severity, number> {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}

/**
 * Failing findings per severity, with zero entries for the severities that have none.
 *
 * @example
 * severityBreakdown({ critical: 1, high: 0, medium: 2, low: 0, info: 0 }); // '1 critical, 2 medium'
 */
export function severityBreakdown(counts: Readonly<Record<Severity, number>>): string {
  return SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(', ');
}

/** One entry of a "most affected" ranking, with the label reports show. */
export interface Ranked extends RankedTarget {
  /** `Kind namespace/name` (with the file when two ranked objects share that label, with the cluster in multi-cluster reports) or the namespace. */
  readonly label: string;
}

/**
 * The objects with the most weighted failing problems (ranked by the library, see
 * `rankResources` in core), labelled. Same-name objects from different files are different
 * entries; their labels then name the file.
 *
 * @example
 * topResources(problemsOf(report.findings), 5)[0]?.label; // 'Deployment prod/web'
 */
export function topResources(problems: readonly Problem[], limit: number, withCluster = false): Ranked[] {
  const top = rankResources(problems, limit);
  const base = top.map((r) => resourceLabel(r.resource, withCluster));
  const count = new Map<string, number>();
  for (const l of base) count.set(l, (count.get(l) ?? 0) + 1);
  return top.map((r, i) => {
    const label = base[i] ?? '';
    return { ...r, label: (count.get(label) ?? 0) > 1 && r.file !== undefined ? `${label} (${r.file})` : label };
  });
}

/**
 * The namespaces with the most weighted failing problems, labelled.
 *
 * @example
 * topNamespaces(problemsOf(report.findings), 10).map((n) => n.label); // ['prod', '(no namespace)']
 */
export function topNamespaces(problems: readonly Problem[], limit: number, withCluster = false): Ranked[] {
  return rankNamespaces(problems, limit).map((r) => {
    const ns = r.resource.namespace ?? NO_NAMESPACE;
    return { ...r, label: withCluster && r.resource.cluster !== undefined ? `${ns} @ ${r.resource.cluster}` : ns };
  });
}

/**
 * The other checks of a problem, as shown after "also:": ids, each once, most specific first.
 *
 * @example
 * alsoChecks(problem); // ['PAL-0005', 'PAL-0112', 'PAL-0013']
 */
export function alsoChecks(p: Pick<Problem, 'primary' | 'related'>): string[] {
  return [...new Set(p.related.map((r) => r.check))];
}

/**
 * `3 problems (7 findings)`, or `1 finding` when nothing was grouped.
 *
 * @example
 * problemsAndFindings(3, 7); // '3 problems (7 findings)'
 */
export function problemsAndFindings(problems: number, findings: number): string {
  const f = `${findings} finding${findings === 1 ? '' : 's'}`;
  return problems === findings ? f : `${problems} problem${problems === 1 ? '' : 's'} (${f})`;
}

/**
 * What `--min-severity` left out (shown after "Not shown:"), or undefined when nothing was.
 *
 * @example
 * hiddenNote(report); // '5 problems (9 findings) below high (--min-severity high)'
 */
export function hiddenNote(report: Pick<ScanReport, 'hidden'>): string | undefined {
  const h = report.hidden;
  if (!h || h.findings === 0) return undefined;
  return `${problemsAndFindings(h.problems, h.findings)} below ${h.minSeverity} (--min-severity ${h.minSeverity})`;
}

/**
 * Failing findings per category, largest first.
 *
 * @example
 * failingByCategory(report.findings); // [['workload', 12], ['rbac', 3]]
 */
export function failingByCategory(findings: readonly Finding[]): [category: string, count: number][] {
  const acc = new Map<string, number>();
  for (const f of findings) if (f.status === 'fail') acc.set(f.category, (acc.get(f.category) ?? 0) + 1);
  return [...acc.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/**
 * A framework reference with its framework and control title, or the raw reference when
 * it names no known control.
 *
 * @example
 * frameworkLabel('cis:5.2.2'); // 'CIS Kubernetes Benchmark 5.2.2: Limit privileged containers'
 */
export function frameworkLabel(ref: string): string {
  const r = resolveReference(ref);
  return r ? `${r.framework.title} ${r.control}: ${r.title}` : ref;
}

/** The references of a check that are web links (the others are prose). */
export function webReferences(check: CheckMeta | undefined): string[] {
  return (check?.docs.references ?? []).filter((r) => /^https?:\/\//i.test(r));
}

// C0 and C1 controls, DEL, and the bidirectional overrides that can make terminal or
// review text read differently from what it contains ("Trojan Source").
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Makes attacker-controlled text safe to print on one line: line breaks and tabs become
 * spaces, other control and bidi-override characters become visible `\u{..}` escapes, so
 * a resource name cannot move the cursor, recolour the terminal or reorder the text.
 *
 * @example
 * oneLine('a\nb\u001b[31m'); // 'a b\\u{1b}[31m'
 */
export function oneLine(text: string): string {
  return text.replace(/\r\n|[\r\n\t]/g, ' ').replace(UNSAFE_CHARS, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`);
}

/**
 * How a failing finding is fixed, for reports: `palisade fix`, `palisade fix --unsafe-fixes`
 * (the fix needs review), or undefined when it is fixed by hand.
 *
 * @example
 * fixCommand({ status: 'fail', fixable: 'unsafe' }); // 'palisade fix --unsafe-fixes'
 */
export function fixCommand(f: Pick<Finding, 'status' | 'fixable'>): string | undefined {
  if (f.status !== 'fail') return undefined;
  return f.fixable === true ? 'palisade fix' : f.fixable === 'unsafe' ? 'palisade fix --unsafe-fixes' : undefined;
}

/**
 * A finding's fix as diff lines over the fields it changes (`+ /path: value`, `- /path`): the
 * report has the operations, not the source text, so the lines name fields rather than file lines.
 *
 * @example
 * fixDiffLines({ fix: [{ op: 'replace', path: '/spec/hostPID', value: false }] });
 * // ['- /spec/hostPID', '+ /spec/hostPID: false']
 */
export function fixDiffLines(f: Pick<Finding, 'fix'>): string[] {
  const out: string[] = [];
  for (const op of f.fix ?? []) {
    if (op.op === 'remove' || op.op === 'replace') out.push(`- ${op.path}`);
    if (op.op !== 'remove') out.push(`+ ${op.path}: ${JSON.stringify(op.value)}`);
  }
  return out;
}

/**
 * Where a risk's hop or cut is: `file:line`, else the object and JSON Pointer; '' when unknown.
 *
 * @example
 * riskWhereLabel({ file: 'app.yaml', line: 4 }); // 'app.yaml:4'
 */
export function riskWhereLabel(w: RiskWhere): string {
  if (w.file !== undefined) return `${w.file}${w.line !== undefined ? `:${w.line}` : ''}`;
  if (!w.object) return '';
  return `${w.object.kind} ${w.object.namespace ? `${w.object.namespace}/` : ''}${w.object.name}${w.pointer ? ` ${w.pointer}` : ''}`;
}

/**
 * The change that cuts a risk, in one line: `set automountServiceAccountToken: false ... (api.yaml:24; PAL-0115 service-account-token-automount, palisade fix)`.
 *
 * @example
 * riskCutLabel(report.topRisks.risks[0]);
 */
export function riskCutLabel(r: Pick<TopRisk, 'cut'>): string {
  const where = riskWhereLabel(r.cut);
  const f = r.cut.finding;
  const finding = f ? `${f.check} ${f.name}${f.fixCommand ? `, ${f.fixCommand}` : ''}` : '';
  const extra = [where, finding].filter((x) => x !== '').join('; ');
  return `${r.cut.how}${extra ? ` (${extra})` : ''}`;
}
