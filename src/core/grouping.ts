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
import { EngineFinding, flat, plainFinding } from './finding.js';
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
  return rootCause(f) ?? [`check:${f.check}:${f.pointer}`];
}

/** The anchors of {@link anchorsOf}, or undefined for a finding keyed by check and pointer (no string built). */
function rootCause(f: Pick<Finding, 'pointer' | 'category' | 'status' | 'evidence'>): [string] | [string, string] | undefined {
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
  return undefined;
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
  readonly status: Status;
  /** The object's key, interned: shared by the drafts of one object. */
  readonly object: string;
  /** The root cause inside the object; undefined when keyed by check and pointer. */
  readonly anchor: string | undefined;
  primary: Finding;
  /** The other findings, once there are any. */
  others: Finding[] | undefined;
  pods: number;
  checks: number;
  /** The object's id (see {@link Objects}). */
  readonly objectId: number;
  // Sort keys of byRisk, set once the primary is chosen: numbers and one string compared
  // instead of getters of two findings (the sort makes millions of comparisons on a large scan).
  statusOrder: number;
  severity: number;
  checkOrder: number;
  objectOrder: number;
  pointer: string;
}

/**
 * Orders problems by risk: failing first (then errors, exempt, passes); then severity; then
 * running pods affected (cluster scans); then how many checks agree; then check id, cluster,
 * namespace, kind, name, file and pointer, so the order is total and the same everywhere.
 */
function byRisk(a: Draft, b: Draft): number {
  return (
    a.statusOrder - b.statusOrder ||
    b.severity - a.severity ||
    b.pods - a.pods ||
    b.checks - a.checks ||
    // The order of the check ids, and of the objects by cluster, namespace, kind, name and file.
    a.checkOrder - b.checkOrder ||
    a.objectOrder - b.objectOrder ||
    cmp(a.pointer, b.pointer) ||
    cmp(a.anchor ?? '', b.anchor ?? '')
  );
}

/** Sets the sort keys of {@link byRisk} on every draft (after their primaries are chosen). */
function setSortKeys(drafts: readonly Draft[], objects: Objects): void {
  const checkIds = [...new Set(drafts.map((d) => d.primary.check))].sort(cmp);
  const checkOrder = new Map(checkIds.map((c, i) => [c, i]));
  // Objects ordered by cluster, namespace, kind, name, then file; objects equal on all of
  // these (another apiVersion) share a place, and the pointer decides, as it did before.
  const ids = objects.refs.map((_, i) => i);
  const byObject = (i: number, j: number): number =>
    cmpRef(objects.refs[i] as ResourceRef, objects.refs[j] as ResourceRef) || cmp(objects.files[i] as string, objects.files[j] as string);
  ids.sort(byObject);
  const objectOrder = new Int32Array(ids.length);
  let place = 0;
  ids.forEach((id, k) => {
    if (k > 0 && byObject(ids[k - 1] as number, id) !== 0) place = k;
    objectOrder[id] = place;
  });
  for (const d of drafts) {
    const p = d.primary;
    d.statusOrder = STATUS_ORDER[p.status];
    d.severity = severityRank(p.severity);
    d.checkOrder = checkOrder.get(p.check) as number;
    d.objectOrder = objectOrder[d.objectId] as number;
    d.pointer = p.pointer;
  }
}

function cmpRef(a: ResourceRef, b: ResourceRef): number {
  return cmp(a.cluster ?? '', b.cluster ?? '') || cmp(a.namespace ?? '', b.namespace ?? '') || cmp(a.kind, b.kind) || cmp(a.name, b.name);
}

/**
 * Object ids, looked up by the finding's `resource` object first: the engine shares one ref
 * per object, so an object's key string is built once per object, not once per finding
 * (reports hold hundreds of thousands of findings).
 */
class Objects {
  readonly #byRef = new Map<ResourceRef, { readonly file: string; readonly id: number }>();
  readonly #byKey = new Map<string, number>();
  readonly keys: string[] = [];
  /** Per id: the ref and the file of its first finding (every finding of an id has equal ones). */
  readonly refs: ResourceRef[] = [];
  readonly files: string[] = [];
  idOf(f: Finding): number {
    // The engine's findings give the file without building a location object (it resolves
    // their locations as reading `location` would).
    const file = (f instanceof EngineFinding ? f.locatedFile : f.location?.file) ?? '';
    const hit = this.#byRef.get(f.resource);
    if (hit !== undefined && hit.file === file) return hit.id;
    const key = objectKey(f);
    let id = this.#byKey.get(key);
    if (id === undefined) {
      id = this.keys.length;
      this.keys.push(key);
      this.refs.push(f.resource);
      this.files.push(file);
      this.#byKey.set(key, id);
    }
    this.#byRef.set(f.resource, { file, id });
    return id;
  }
}

/** The problems of a list of findings, ranked. */
function rankedDrafts(findings: readonly Finding[]): Draft[] {
  const objects = new Objects();
  const ids = new Int32Array(findings.length);
  // First the volume findings that know both the volume's index and its name: they link the
  // findings that only know the index with those that only know the name.
  const volumeNames = new Map<string, string>();
  findings.forEach((f, i) => {
    const id = objects.idOf(f);
    ids[i] = id;
    if (!f.pointer.includes('/volumes/')) return;
    const anchors = rootCause(f);
    if (anchors?.length !== 2) return;
    const k = `${id}\u0000${f.status}\u0000${anchors[0]}`;
    if (!volumeNames.has(k)) volumeNames.set(k, anchors[1]);
  });
  // Per object, drafts by anchor (or, for the others, by pointer: a string the finding
  // already has), so that no key string is built per finding.
  const byObject: (Map<string, Draft | Draft[]> | undefined)[] = new Array(objects.keys.length);
  const list: Draft[] = [];
  findings.forEach((f, i) => {
    const id = ids[i] as number;
    const anchors = rootCause(f);
    let anchor: string | undefined;
    if (anchors !== undefined) {
      anchor = anchors.length === 2 ? anchors[1] : anchors[0];
      if (anchors.length === 1 && volumeNames.size > 0 && anchor.startsWith('vol:'))
        anchor = volumeNames.get(`${id}\u0000${f.status}\u0000${anchor}`) ?? anchor;
    }
    let drafts = byObject[id];
    if (!drafts) {
      drafts = new Map();
      byObject[id] = drafts;
    }
    const slot = anchor ?? f.pointer;
    const there = drafts.get(slot);
    // Anchored findings meet by anchor; the others only with the same check at the same pointer.
    const same = (d: Draft) => d.status === f.status && (anchor !== undefined ? d.anchor === anchor : d.anchor === undefined && d.primary.check === f.check);
    const d = there === undefined ? undefined : Array.isArray(there) ? there.find(same) : same(there) ? there : undefined;
    if (d) {
      if (d.others) d.others.push(f);
      else d.others = [f];
      return;
    }
    const fresh: Draft = {
      status: f.status,
      object: objects.keys[id] as string,
      anchor,
      primary: f,
      others: undefined,
      pods: 0,
      checks: 1,
      objectId: id,
      statusOrder: 0,
      severity: 0,
      checkOrder: 0,
      objectOrder: 0,
      pointer: '',
    };
    list.push(fresh);
    if (there === undefined) drafts.set(slot, fresh);
    else if (Array.isArray(there)) there.push(fresh);
    else drafts.set(slot, [there, fresh]);
  });
  byObject.length = 0;
  for (const d of list) {
    if (d.others) {
      const members = [d.primary, ...d.others].sort(bySpecificity);
      d.primary = members[0] as Finding;
      d.others = members.slice(1);
      d.checks = new Set(members.map((m) => m.check)).size;
      for (const m of members) d.pods = Math.max(d.pods, m.affectedPods ?? 0);
    } else d.pods = d.primary.affectedPods ?? 0;
  }
  setSortKeys(list, objects);
  return list.sort(byRisk);
}

/**
 * Groups findings by root cause and orders them by risk: the report's findings, each with its
 * `groupId`, `rank` and `primary`, and `related` on the primaries of multi-finding problems;
 * problem by problem (primary first). Earlier grouping fields are recomputed, so it can run
 * again on merged reports.
 *
 * The findings returned are copies, unless `inPlace` is set: then the fields are written on
 * the findings given, which saves a copy of every finding (hundreds of thousands in a large
 * scan; the library does this with the engine's fresh findings, which nobody else holds).
 *
 * @example
 * const ranked = rankFindings(result.findings);
 * ranked[0]?.rank; // 1
 */
export function rankFindings(findings: readonly Finding[], options: { readonly inPlace?: boolean } = {}): Finding[] {
  const out: Finding[] = [];
  emit(rankedDrafts(findings), options.inPlace === true ? setGroup : withGroup, (_id, _rank, primary, related) => {
    out.push(primary);
    for (const r of related) out.push(r);
  });
  return out;
}

function problemsFrom(findings: readonly Finding[]): Problem[] {
  const out: Problem[] = [];
  emit(rankedDrafts(findings), withGroup, (id, rank, primary, related) => out.push({ id, rank, primary, related }));
  return out;
}

type Grouper = (f: Finding, groupId: string, rank: number, primary: boolean, related: readonly RelatedFinding[] | undefined) => Finding;

const NONE: readonly Finding[] = [];

/** Gives each ranked problem its id and rank and writes them on its findings (with `group`: copies or the findings themselves). */
function emit(drafts: readonly Draft[], group: Grouper, sink: (id: string, rank: number, primary: Finding, related: Finding[]) => void): void {
  // Ids taken so far, by their 53-bit value (a number hashes faster than the id's text), and
  // the suffixed ids of the rare collisions.
  const taken = new Set<number>();
  const takenSuffixed = new Set<string>();
  // The hash state after status and object, per object id: the object key is the long part.
  const prefixes: (Partial<Record<Status, Hash53>> | undefined)[] = [];
  const lists = new RelatedLists();
  drafts.forEach((d, i) => {
    const rank = i + 1;
    // The root cause (status, object, anchor), hashed piece by piece: the stable id.
    let perStatus = prefixes[d.objectId];
    if (!perStatus) {
      perStatus = {};
      prefixes[d.objectId] = perStatus;
    }
    let prefix = perStatus[d.status];
    if (!prefix) {
      prefix = hashInit();
      hashFeed(prefix, d.status);
      hashFeed(prefix, '\u0000');
      hashFeed(prefix, d.object);
      hashFeed(prefix, '\u0000');
      perStatus[d.status] = prefix;
    }
    const h: Hash53 = [prefix[0], prefix[1]];
    if (d.anchor !== undefined) hashFeed(h, d.anchor);
    else {
      hashFeed(h, 'check:');
      hashFeed(h, d.primary.check);
      hashFeed(h, ':');
      hashFeed(h, d.primary.pointer);
    }
    const parts = hashParts(h);
    const hi = parts[0];
    const lo = parts[1];
    const hex = hashHex(hi, lo);
    // One flat string: every finding of the problem keeps it until the report is written.
    let id = flat(`g${hex}`);
    // 53-bit hashes of one report's keys practically never collide; when they do, stay unique.
    const value = hi * 2 ** 32 + lo;
    if (taken.has(value)) {
      for (let n = 2; ; n++) {
        id = flat(`g${hex}-${n}`);
        if (!takenSuffixed.has(id)) break;
      }
      takenSuffixed.add(id);
    } else taken.add(value);
    const others = d.others ?? NONE;
    const related = others.length > 0 ? lists.of(others) : undefined;
    sink(id, rank, group(d.primary, id, rank, true, related), others.length > 0 ? others.map((r) => group(r, id, rank, false, undefined)) : []);
  });
}

/**
 * The `related` lists of one report, equal ones kept once: every primary keeps its list until
 * the report is written, and the same problem repeats across objects of one shape (the same
 * checks at the same pointers, in every copy of a manifest). Lists and entries are read-only.
 */
class RelatedLists {
  readonly #entries = new Map<string, RelatedFinding>();
  readonly #lists = new Map<string, readonly RelatedFinding[]>();

  of(others: readonly Finding[]): readonly RelatedFinding[] {
    let listKey = '';
    const keys: string[] = [];
    for (const r of others) {
      const key = `${r.check}\u0000${r.name}\u0000${r.severity}\u0000${r.pointer}`;
      keys.push(key);
      listKey = listKey === '' ? key : `${listKey}\u0001${key}`;
    }
    let list = this.#lists.get(listKey);
    if (list === undefined) {
      list = others.map((r, i) => {
        const key = keys[i] as string;
        let entry = this.#entries.get(key);
        if (entry === undefined) {
          entry = { check: r.check, name: r.name, severity: r.severity, pointer: r.pointer };
          this.#entries.set(key, entry);
        }
        return entry;
      });
      this.#lists.set(listKey, list);
    }
    return list;
  }
}

/** Writes the grouping fields on the finding itself: for findings the caller owns and gives up. */
function setGroup(f: Finding, groupId: string, rank: number, primary: boolean, related: readonly RelatedFinding[] | undefined): Finding {
  if (f instanceof EngineFinding) {
    f.setGroup(groupId, rank, primary, related);
    return f;
  }
  const m = f as { -readonly [K in keyof Finding]: Finding[K] };
  m.groupId = groupId;
  m.rank = rank;
  m.primary = primary;
  if (related) m.related = related;
  else if (m.related !== undefined) m.related = undefined;
  return f;
}

function withGroup(f: Finding, groupId: string, rank: number, primary: boolean, related: readonly RelatedFinding[] | undefined): Finding {
  // The engine's findings keep shared fields in getters: copy them with plainFinding, not a spread.
  const plain = plainFinding(f);
  if (related) return { ...plain, groupId, rank, primary, related };
  if (plain.related === undefined) return { ...plain, groupId, rank, primary };
  // Ranked before (a merged report): a stale `related` must not survive.
  const { related: _stale, ...rest } = plain;
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

/**
 * True when findings are in the library's order: every one ranked, ranks never decreasing,
 * each problem's findings together. Checked in one pass without allocating per finding.
 *
 * @example
 * isRanked(report.findings); // true for reports built by the library
 */
export function isRanked(findings: readonly Finding[]): boolean {
  let rank = 0;
  let id: string | undefined;
  for (const f of findings) {
    if (f.rank === undefined || f.groupId === undefined || f.rank < rank) return false;
    // A new group must come with a new rank: a problem's findings are never apart.
    if (f.groupId !== id && f.rank === rank) return false;
    rank = f.rank;
    id = f.groupId;
  }
  return true;
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

/** cyrb53 state: a fast 53-bit string hash, fed piece by piece (no crypto in the pure core). */
type Hash53 = [number, number];

function hashInit(): Hash53 {
  return [0xdeadbeef, 0x41c6ce57];
}

function hashFeed(h: Hash53, text: string): void {
  // Indexed, not destructured: destructuring an array goes through its iterator.
  let h1 = h[0];
  let h2 = h[1];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h[0] = h1;
  h[1] = h2;
}

/** The final 53 bits of a hash state: the high 21 bits and the low 32, as unsigned numbers. */
function hashParts(h: Hash53): [number, number] {
  const a = h[0];
  const b = h[1];
  const h1 = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
  const h2 = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [(2097151 & h2) >>> 0, h1 >>> 0];
}

/** The 53 bits as 14 hex digits, from the two halves (a double's toString(16) is slow). */
function hashHex(hi: number, lo: number): string {
  return hi.toString(16).padStart(6, '0') + lo.toString(16).padStart(8, '0');
}
