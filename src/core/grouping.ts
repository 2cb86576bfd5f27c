/**
 * Findings that say the same thing once, in risk order.
 *
 * Several checks often report one root cause: a `docker.sock` hostPath is a socket mount, a
 * Baseline and a Restricted PSS violation and a writable host mount; one `*` / `*` / `*` RBAC
 * rule fires every role-level check. Grouping keys each finding by that root cause, picks
 * the most specific finding as the problem's primary, and ranks the problems, so that every
 * report (and the JSON, and the dashboard) shows problems, not echoes, in the same order.
 *
 * Pure: a function of the findings alone (no inventory, no clock), run once when the report
 * is built. The key and the rules are documented in docs/json-report.md ("Problems").
 */
import type { Finding, RelatedFinding, ResourceRef, Severity, Status } from './types.js';
import { SEVERITIES, severityRank } from './types.js';

/** One root cause: its findings, the most specific first. */
export interface Problem {
  /** Stable id of the root cause (`g` + 14 hex digits), the `groupId` of every member. */
  readonly id: string;
  /** 1-based risk rank in the report. */
  readonly rank: number;
  /** The most specific finding; its severity and status are the problem's. */
  readonly primary: Finding;
  /** The other findings, most specific first (empty for a problem only one check saw). */
  readonly related: readonly Finding[];
}

// ------------------------------------------------------------------------- root-cause key

// A container (of any of the three lists) inside a pod spec at any depth.
const CONTAINER = String.raw`\/(?:containers|initContainers|ephemeralContainers)\/\d+`;
const VOLUME = /^(.*)\/volumes\/(\d+)(?:\/|$)/;
const MOUNT = new RegExp(String.raw`^(.*)${CONTAINER}\/volumeMounts\/\d+(?:\/|$)`);
const MOUNT_ENTRY = new RegExp(String.raw`^(.*${CONTAINER}\/volumeMounts\/\d+)(?:\/|$)`);
const CAP_ADD = /^(.*\/securityContext\/capabilities\/add\/\d+)(?:\/|$)/;
const CAP_DROP = /^(.*\/securityContext\/capabilities\/drop)(?:\/|$)/;
const SECURITY_CONTEXT_FIELD = /^(.*\/securityContext\/[^/]+)(?:\/|$)/;
const HOST_NAMESPACE = /^(.*\/(?:hostPID|hostIPC|hostNetwork|hostUsers))$/;
const IMAGE = new RegExp(String.raw`^(.*${CONTAINER}\/image)$`);
const RBAC_ENTRY = /^(\/(?:rules|subjects)\/\d+)(?:\/|$)/;

/** The object a finding is about: cluster, source file and identity (same-name objects in two files are two objects). */
export function objectKey(f: Pick<Finding, 'resource' | 'location'>): string {
  const r = f.resource;
  return `${r.cluster ?? ''}\u0000${f.location?.file ?? ''}\u0000${r.apiVersion}\u0000${r.kind}\u0000${r.namespace ?? ''}\u0000${r.name}`;
}

/**
 * The root causes a finding names inside its object, most telling first. Two findings share a
 * problem when they have the same status, the same object and at least one anchor in common:
 *
 * - a pod volume (`…/volumes/N`, and a container's mount of it, joined through the volume name
 *   in the finding's `evidence.volume`);
 * - one added capability (`…/securityContext/capabilities/add/N`), or the drop list;
 * - one securityContext field (`…/securityContext/privileged`, `…/seccompProfile/…`);
 * - a host namespace field (`hostPID`, `hostIPC`, `hostNetwork`, `hostUsers`);
 * - a container's image;
 * - one RBAC rule (`/rules/N`) or binding subject (`/subjects/N`), and the effective rights
 *   of the object itself (an `rbac` finding on the whole object);
 *
 * Anything else is keyed by check and exact pointer: two different checks pointing at the
 * same field outside these (e.g. `/metadata/name` of a Namespace) are different problems.
 *
 * @example
 * anchorsOf({ check: 'PAL-0005', pointer: '/spec/template/spec/volumes/0/hostPath', ... }); // ['vol:/spec/template/spec#0']
 */
export function anchorsOf(f: Pick<Finding, 'check' | 'pointer' | 'category' | 'status' | 'evidence'>): string[] {
  const p = f.pointer;
  if (f.status === 'fail' || f.status === 'exempt') {
    // Substring tests first: most pointers match none of the patterns, and this runs per finding.
    if (p.includes('/volume')) {
      const volumeName = typeof f.evidence?.volume === 'string' ? f.evidence.volume : undefined;
      let m = MOUNT.exec(p);
      if (m) return [volumeName !== undefined ? `vol:${m[1]}:${volumeName}` : `mount:${MOUNT_ENTRY.exec(p)?.[1] ?? p}`];
      m = VOLUME.exec(p);
      if (m) return volumeName !== undefined ? [`vol:${m[1]}#${m[2]}`, `vol:${m[1]}:${volumeName}`] : [`vol:${m[1]}#${m[2]}`];
    }
    let m: RegExpExecArray | null = null;
    if (p.includes('/securityContext/')) m = CAP_ADD.exec(p) ?? CAP_DROP.exec(p) ?? SECURITY_CONTEXT_FIELD.exec(p);
    else if (p.includes('/host')) m = HOST_NAMESPACE.exec(p);
    else if (p.endsWith('/image')) m = IMAGE.exec(p);
    else if (p.startsWith('/rules/') || p.startsWith('/subjects/')) m = RBAC_ENTRY.exec(p);
    if (m) return [`at:${m[1]}`];
    if (p === '' && f.category === 'rbac') return ['rbac-self'];
  }
  return [`check:${f.check}:${p}`];
}

// -------------------------------------------------------------------------- specificity

const STATUS_ORDER: Readonly<Record<Status, number>> = { fail: 0, error: 1, exempt: 2, pass: 3 };

// Checks that restate a Pod Security Standards control name a policy, not the condition: a
// dedicated check about the same field says more, so it leads the problem.
const POLICY_CATEGORY = 'pod-security';

function depth(pointer: string): number {
  let n = 0;
  for (let i = 0; i < pointer.length; i++) if (pointer.charCodeAt(i) === 47) n++;
  return n;
}

/**
 * Orders the findings of one problem, most specific first: highest severity (so a problem is
 * as serious as its worst finding), then a dedicated check before a restated policy control
 * (category `pod-security`), then the deeper pointer (the narrower field: `hostPath/path`
 * before `hostPath`), then check id and pointer.
 */
export function bySpecificity(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    Number(a.category === POLICY_CATEGORY) - Number(b.category === POLICY_CATEGORY) ||
    depth(b.pointer) - depth(a.pointer) ||
    cmp(a.check, b.check) ||
    cmp(a.pointer, b.pointer)
  );
}

// ------------------------------------------------------------------------------ ranking

interface Draft {
  readonly members: Finding[];
  readonly anchor: string;
  primary: Finding;
  pods: number;
  checks: number;
}

/**
 * Orders problems by risk: failing first (then errors, exempt, passes); then severity; then
 * running pods affected (cluster scans); then how many checks agree; then check id, cluster,
 * namespace, kind, name, file and pointer, so the order is total and the same everywhere.
 */
function byRisk(a: Draft, b: Draft): number {
  const x = a.primary;
  const y = b.primary;
  return (
    STATUS_ORDER[x.status] - STATUS_ORDER[y.status] ||
    severityRank(y.severity) - severityRank(x.severity) ||
    b.pods - a.pods ||
    b.checks - a.checks ||
    cmp(x.check, y.check) ||
    cmpRef(x.resource, y.resource) ||
    cmp(x.location?.file ?? '', y.location?.file ?? '') ||
    cmp(x.pointer, y.pointer) ||
    cmp(a.anchor, b.anchor)
  );
}

function cmpRef(a: ResourceRef, b: ResourceRef): number {
  return cmp(a.cluster ?? '', b.cluster ?? '') || cmp(a.namespace ?? '', b.namespace ?? '') || cmp(a.kind, b.kind) || cmp(a.name, b.name);
}

/** Union-find over anchor keys: a finding with two anchors (volume index and name) joins them. */
class Anchors {
  readonly #parent = new Map<string, string>();
  find(k: string): string {
    let root = k;
    for (let p = this.#parent.get(root); p !== undefined && p !== root; p = this.#parent.get(root)) root = p;
    // Path compression keeps later finds short.
    for (let cur = k; cur !== root; ) {
      const next = this.#parent.get(cur) ?? root;
      this.#parent.set(cur, root);
      cur = next;
    }
    return root;
  }
  add(k: string): void {
    if (!this.#parent.has(k)) this.#parent.set(k, k);
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    // The smaller key is the root, so a group's root does not depend on the findings' order.
    if (ra !== rb) ra < rb ? this.#parent.set(rb, ra) : this.#parent.set(ra, rb);
  }
}

/**
 * Groups findings by root cause and orders them by risk: the report's findings, each with its
 * `groupId`, `rank` and `primary`, and `related` on the primaries of multi-finding problems;
 * problem by problem (primary first). Earlier grouping fields are recomputed, so it can run
 * again on merged reports.
 *
 * @example
 * const ranked = rankFindings(result.findings);
 * ranked[0]?.rank; // 1
 */
export function rankFindings(findings: readonly Finding[]): Finding[] {
  return problemsFrom(findings).flatMap((p) => [p.primary, ...p.related]);
}

function problemsFrom(findings: readonly Finding[]): Problem[] {
  const anchors = new Anchors();
  const keys: string[][] = new Array(findings.length);
  findings.forEach((f, i) => {
    const object = `${f.status}\u0000${objectKey(f)}\u0000`;
    const ks = anchorsOf(f).map((a) => object + a);
    keys[i] = ks;
    for (const k of ks) anchors.add(k);
    for (let j = 1; j < ks.length; j++) anchors.union(ks[0] as string, ks[j] as string);
  });
  const drafts = new Map<string, Draft>();
  findings.forEach((f, i) => {
    const root = anchors.find((keys[i] as string[])[0] as string);
    let d = drafts.get(root);
    if (!d) {
      d = { members: [], anchor: root, primary: f, pods: 0, checks: 0 };
      drafts.set(root, d);
    }
    d.members.push(f);
  });
  const list = [...drafts.values()];
  for (const d of list) {
    if (d.members.length > 1) d.members.sort(bySpecificity);
    d.primary = d.members[0] as Finding;
    d.checks = new Set(d.members.map((m) => m.check)).size;
    d.pods = Math.max(0, ...d.members.map((m) => m.affectedPods ?? 0));
  }
  list.sort(byRisk);
  const ids = new Set<string>();
  return list.map((d, i) => {
    const rank = i + 1;
    let id = `g${hash53(d.anchor)}`;
    // 53-bit hashes of one report's keys practically never collide; when they do, stay unique.
    for (let n = 2; ids.has(id); n++) id = `g${hash53(d.anchor)}-${n}`;
    ids.add(id);
    const [first, ...rest] = d.members as [Finding, ...Finding[]];
    const related: RelatedFinding[] = rest.map((r) => ({ check: r.check, name: r.name, severity: r.severity, pointer: r.pointer }));
    const primary = withGroup(first, id, rank, true, related.length > 0 ? related : undefined);
    return { id, rank, primary, related: rest.map((r) => withGroup(r, id, rank, false, undefined)) };
  });
}

function withGroup(f: Finding, groupId: string, rank: number, primary: boolean, related: readonly RelatedFinding[] | undefined): Finding {
  if (related) return { ...f, groupId, rank, primary, related };
  if (f.related === undefined) return { ...f, groupId, rank, primary };
  // Ranked before (a merged report): a stale `related` must not survive.
  const { related: _stale, ...rest } = f;
  return { ...rest, groupId, rank, primary };
}

/**
 * The problems of a report, in rank order. Findings the library ranked (every one has a
 * `groupId` and `rank`) are regrouped as they are; others (hand-built reports) are ranked
 * first, with the same rules.
 *
 * @example
 * for (const p of problemsOf(report.findings)) console.log(p.rank, p.primary.check, p.related.map((r) => r.check));
 */
export function problemsOf(findings: readonly Finding[]): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  let sorted = true;
  // The library's order: each problem's findings together, ranks ascending. One pass.
  for (let i = 0; i < findings.length; ) {
    const f = findings[i] as Finding;
    const id = f.groupId;
    const rank = f.rank;
    if (id === undefined || rank === undefined || seen.has(id)) return regroup(findings);
    seen.add(id);
    let j = i + 1;
    while (j < findings.length && (findings[j] as Finding).groupId === id) j++;
    const members = findings.slice(i, j);
    const at = members.findIndex((m) => m.primary === true);
    const primary = members[Math.max(at, 0)] as Finding;
    const last = out[out.length - 1];
    if (last && last.rank > rank) sorted = false;
    out.push({ id, rank, primary, related: at <= 0 ? members.slice(1) : members.filter((m) => m !== primary) });
    i = j;
  }
  return sorted ? out : out.sort((a, b) => a.rank - b.rank);
}

/** Ranked findings whose order was changed (a problem's findings apart): grouped again by id, or ranked anew. */
function regroup(findings: readonly Finding[]): Problem[] {
  if (!findings.every((f) => f.groupId !== undefined && f.rank !== undefined)) return problemsFrom(findings);
  const byId = new Map<string, { rank: number; members: Finding[] }>();
  for (const f of findings) {
    const id = f.groupId as string;
    let g = byId.get(id);
    if (!g) {
      g = { rank: f.rank as number, members: [] };
      byId.set(id, g);
    }
    g.members.push(f);
  }
  const out: Problem[] = [];
  for (const [id, g] of byId) {
    const at = g.members.findIndex((m) => m.primary === true);
    const primary = g.members[Math.max(at, 0)] as Finding;
    out.push({ id, rank: g.rank, primary, related: g.members.filter((m) => m !== primary) });
  }
  return out.sort((a, b) => a.rank - b.rank);
}

// ------------------------------------------------------------------------- summaries

/** Failing problems (root causes) and failing findings, per severity. */
export interface ProblemCounts {
  /** Failing problems. */
  readonly problems: number;
  /** Failing problems per severity (a problem's severity is its primary's). */
  readonly problemsBySeverity: Readonly<Record<Severity, number>>;
  /** Failing findings (the members of failing problems). */
  readonly findings: number;
}

/**
 * Counts failing problems and findings.
 *
 * @example
 * countProblems(problemsOf(report.findings)); // { problems: 12, problemsBySeverity: {...}, findings: 40 }
 */
export function countProblems(problems: readonly Problem[]): ProblemCounts {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let count = 0;
  let findings = 0;
  for (const p of problems) {
    if (p.primary.status !== 'fail') continue;
    count++;
    bySeverity[p.primary.severity]++;
    findings += 1 + p.related.length;
  }
  return { problems: count, problemsBySeverity: bySeverity, findings };
}

/**
 * Weights used to rank resources and namespaces: one critical outweighs two highs, and info
 * problems do not count (they are advice, not risk).
 */
export const SEVERITY_WEIGHT: Readonly<Record<Severity, number>> = { critical: 10, high: 5, medium: 2, low: 1, info: 0 };

/** One entry of a "most affected" ranking. */
export interface RankedTarget {
  /** The object (resource rankings) or a namespace-only ref (namespace rankings: `kind` and `name` are empty). */
  readonly resource: ResourceRef;
  /** The source file the object came from (resource rankings of manifests). */
  readonly file?: string;
  /** Sum of {@link SEVERITY_WEIGHT} over its failing problems. */
  readonly score: number;
  /** Failing problems. */
  readonly problems: number;
  /** Failing findings (problems plus the findings grouped under them). */
  readonly findings: number;
  /** Failing problems per severity. */
  readonly bySeverity: Readonly<Record<Severity, number>>;
}

interface Tally {
  readonly key: string;
  readonly target: Pick<RankedTarget, 'resource' | 'file'>;
  score: number;
  problems: number;
  findings: number;
  readonly bySeverity: Record<Severity, number>;
}

function byWeight(a: Tally, b: Tally): number {
  return b.score - a.score || b.problems - a.problems || b.findings - a.findings || cmp(a.key, b.key);
}

function rankBy(
  problems: readonly Problem[],
  keyOf: (f: Finding) => string,
  entryOf: (f: Finding) => Pick<RankedTarget, 'resource' | 'file'>,
  limit: number,
): RankedTarget[] {
  const acc = new Map<string, Tally>();
  if (limit <= 0) return [];
  for (const p of problems) {
    const f = p.primary;
    if (f.status !== 'fail') continue;
    const key = keyOf(f);
    let e = acc.get(key);
    if (!e) {
      e = { key, target: entryOf(f), score: 0, problems: 0, findings: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 } };
      acc.set(key, e);
    }
    e.score += SEVERITY_WEIGHT[f.severity];
    e.problems++;
    e.findings += 1 + p.related.length;
    e.bySeverity[f.severity]++;
  }
  // Only the first `limit` are wanted: keep a short sorted list instead of sorting every object.
  const top: Tally[] = [];
  for (const e of acc.values()) {
    if (top.length === limit && byWeight(e, top[top.length - 1] as Tally) >= 0) continue;
    let i = top.length;
    while (i > 0 && byWeight(e, top[i - 1] as Tally) < 0) i--;
    top.splice(i, 0, e);
    if (top.length > limit) top.pop();
  }
  return top.map((e) => ({ ...e.target, score: e.score, problems: e.problems, findings: e.findings, bySeverity: e.bySeverity }));
}

/**
 * The objects with the most weighted failing problems, most affected first. An object is its
 * cluster, source file, kind, namespace and name: same-name objects from two files are two entries.
 *
 * @example
 * rankResources(problemsOf(report.findings), 5)[0]?.resource.name; // 'web'
 */
export function rankResources(problems: readonly Problem[], limit: number): RankedTarget[] {
  return rankBy(problems, objectKey, (f) => ({ resource: f.resource, ...(f.location?.file !== undefined ? { file: f.location.file } : {}) }), limit);
}

/**
 * The namespaces (per cluster) with the most weighted failing problems, most affected first.
 *
 * @example
 * rankNamespaces(problemsOf(report.findings), 10).map((n) => n.resource.namespace); // ['prod', undefined]
 */
export function rankNamespaces(problems: readonly Problem[], limit: number): RankedTarget[] {
  return rankBy(
    problems,
    (f) => `${f.resource.cluster ?? ''}\u0000${f.resource.namespace ?? ''}`,
    (f) => ({
      resource: {
        apiVersion: '',
        kind: '',
        name: '',
        ...(f.resource.namespace !== undefined ? { namespace: f.resource.namespace } : {}),
        ...(f.resource.cluster !== undefined ? { cluster: f.resource.cluster } : {}),
      },
    }),
    limit,
  );
}

// ------------------------------------------------------------------------------ helpers

// Code-unit order: locale-independent and fast.
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** cyrb53: a fast 53-bit string hash, as 14 hex digits (no crypto in the pure core). */
function hash53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}
