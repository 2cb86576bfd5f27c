/**
 * "Top risks": the handful of attack paths that matter most, ranked by the documented risk
 * score (docs/attack-paths.md), as plain report data. The ranking lives here, once, so that the
 * JSON report, every other format and the dashboard show the same risks in the same order.
 * Each risk names the hop that cuts it (the one most of the scan's paths take) and the
 * report's finding on that object and field, so the reader goes from "what matters" to "what
 * to change" in one step.
 */
import type { ScanModels } from '../core/models.js';
import type { RiskEnd, RiskFinding, RiskHop, RiskWhere, TopRisk, TopRisks } from '../core/report.js';
import type { Finding, Resource } from '../core/types.js';
import type { AttackGraph, AttackPath, Evidence, GraphEdge, Vertex } from './graph.js';
import { EDGE_SPECS, type EdgeKind } from './techniques.js';

/** How many risks a report lists unless told otherwise. */
export const DEFAULT_TOP_RISKS = 5;

/** Each edge kind as a condition in a risk's title (undefined: the hop adds no condition). */
const CONDITION: Readonly<Record<EdgeKind, string | undefined>> = {
  'exploit-exposed-service': 'internet-exposed',
  'exploit-vulnerable-image': 'internet-exposed with an exploitable image',
  'run-in-container': undefined,
  'shared-process-namespace': 'shared process namespace',
  'privileged-escape': 'privileged',
  'host-pid-escape': 'hostPID',
  'module-load': 'SYS_MODULE',
  'sys-admin-escape': 'SYS_ADMIN',
  'runtime-socket': 'runtime socket mounted',
  'host-write': 'writable host mount',
  'host-read': 'host credentials mounted',
  'var-log-symlink': 'writable host /var/log as root',
  'core-pattern': 'writable host /proc/sys',
  'net-raw-mitm': 'NET_RAW/NET_ADMIN on a shared network',
  'spoofed-traffic': undefined,
  'token-theft': 'token mounted',
  'token-list': 'can read service account tokens',
  'use-token': undefined,
  'cloud-metadata': 'metadata API reachable',
  'workload-identity': 'cloud identity',
  'read-secrets': 'can read Secrets',
  'pod-exec': 'can exec into pods',
  'exec-into-container': undefined,
  'create-privileged-pod': 'can create privileged pods',
  'modify-webhooks': 'can change admission webhooks',
  'rbac-escalation': undefined,
};

/**
 * The findings that report the same condition as an edge, by check name, looked for on the
 * edge's evidence objects and on the identity taking it: they are what the reader fixes.
 */
const CUT_CHECKS: Readonly<Partial<Record<EdgeKind, readonly string[]>>> = {
  'exploit-exposed-service': ['workload-not-selected-by-network-policy', 'namespace-without-network-policy', 'exposed-without-tls'],
  'exploit-vulnerable-image': ['image-fixable-vulnerability', 'image-known-exploited-vulnerability'],
  'token-theft': ['service-account-token-automount'],
  'cloud-metadata': ['egress-to-cloud-metadata'],
  'read-secrets': ['rbac-subject-read-secrets'],
  'token-list': ['rbac-subject-read-secrets'],
  'use-token': ['legacy-service-account-token-secret'],
  'pod-exec': ['rbac-subject-pod-exec', 'rbac-subject-pod-attach'],
  'create-privileged-pod': ['rbac-subject-create-workloads'],
  'modify-webhooks': ['rbac-subject-modify-webhooks'],
  'net-raw-mitm': ['net-raw-not-dropped', 'dangerous-capabilities'],
};
const RBAC_CUT_CHECKS: Readonly<Record<string, readonly string[]>> = {
  'cluster-admin': ['rbac-escalation-to-cluster-admin', 'rbac-subject-cluster-admin', 'rbac-subject-wildcard'],
  'all-secrets': ['rbac-escalation-to-secrets', 'rbac-subject-read-secrets'],
};
/** Edges no change removes on their own (the next hop is what to cut). */
const NOT_CUTTABLE: ReadonlySet<EdgeKind> = new Set(['run-in-container', 'exec-into-container', 'spoofed-traffic']);
/** The toxic-combination checks and the entry kind whose paths each reports. */
const COMBINATIONS: readonly { readonly name: string; readonly entry: string }[] = [
  { name: 'internet-exposed-attack-path', entry: 'internet' },
  { name: 'workload-compromise-spreads', entry: 'pod' },
];

const refKey = (kind: string, namespace: string | undefined, name: string): string => `${kind}\u0000${namespace ?? ''}\u0000${name}`;

function whereOf(e: Evidence | undefined): RiskWhere {
  const r = e?.resource;
  if (!r) return {};
  const loc = (e.pointer !== undefined ? r.positions?.locate(e.pointer) : undefined) ?? r.location;
  return {
    object: {
      kind: r.ref.kind,
      ...(r.ref.namespace !== undefined ? { namespace: r.ref.namespace } : {}),
      name: r.ref.name,
      ...(r.ref.cluster !== undefined ? { cluster: r.ref.cluster } : {}),
    },
    ...(e.pointer !== undefined ? { pointer: e.pointer } : {}),
    ...(loc ? { file: loc.file, line: loc.line } : {}),
  };
}

function riskFinding(f: Finding): RiskFinding {
  const r = f.resource;
  return {
    check: f.check,
    name: f.name,
    severity: f.severity,
    resource: `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`,
    pointer: f.pointer,
    ...(f.fixable === true ? { fixCommand: 'palisade fix' } : f.fixable === 'unsafe' ? { fixCommand: 'palisade fix --unsafe-fixes' } : {}),
  };
}

/** Failing findings by object, in the report's risk order. */
function indexFindings(findings: readonly Finding[]): Map<string, Finding[]> {
  // The engine shares one ref object per object: the key is built once per ref, not per finding.
  const byRef = new Map<object, Finding[]>();
  for (const f of findings) {
    if (f.status !== 'fail') continue;
    const list = byRef.get(f.resource);
    if (list) list.push(f);
    else byRef.set(f.resource, [f]);
  }
  const out = new Map<string, Finding[]>();
  // Objects of equal kind, namespace and name (copies in several files, merged reports) share a
  // key: their lists are rebuilt in report order by a second pass over those refs only.
  const clashing = new Map<object, string>();
  for (const [ref, list] of byRef) {
    const r = (list[0] as Finding).resource;
    const key = refKey(r.kind, r.namespace, r.name);
    const there = out.get(key);
    if (there) {
      clashing.set(ref, key);
      clashing.set((there[0] as Finding).resource, key);
    } else out.set(key, list);
  }
  if (clashing.size > 0) {
    for (const key of new Set(clashing.values())) out.set(key, []);
    for (const f of findings) {
      if (f.status !== 'fail') continue;
      const key = clashing.get(f.resource);
      if (key !== undefined) (out.get(key) as Finding[]).push(f);
    }
  }
  return out;
}

const related = (a: string, b: string): boolean => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);

/**
 * Builds the Top risks section from the scan's attack graph and findings. Pure.
 *
 * @example
 * const top = topRisksOf(ctxModels.paths, report.findings, 5);
 * top.risks[0]?.cut.how; // 'set automountServiceAccountToken: false on the pod ...'
 */
export function topRisksOf(graph: AttackGraph, findings: readonly Finding[], limit = DEFAULT_TOP_RISKS, cluster?: string): TopRisks {
  if (limit <= 0) return { status: 'off', limit: 0, totalPaths: 0, notes: [], risks: [] };
  return topRisksFrom(topPathsOf(graph, limit), findings, cluster);
}

/**
 * What Top risks needs of the attack graph, taken from it once: the best paths, how many
 * paths take each of their edges, and only the edges and vertices those paths touch. The graph
 * can be released once this is taken (a 100,000-object scan's graph holds about 150 MB).
 */
export interface TopRiskPaths {
  readonly limit: number;
  readonly total: number;
  readonly risks: ReturnType<AttackGraph['top']>['risks'];
  readonly notes: readonly string[];
  /** Per edge id on the paths: how many of the scan's paths take it. */
  readonly usage: ReadonlyMap<number, number>;
  readonly edges: ReadonlyMap<number, GraphEdge>;
  readonly vertices: ReadonlyMap<number, Vertex>;
}

/**
 * Takes {@link TopRiskPaths} from a graph.
 *
 * @example
 * const top = topRisksFrom(topPathsOf(graph, 5), report.findings);
 */
export function topPathsOf(graph: AttackGraph, limit: number): TopRiskPaths {
  const { total, risks, usage } = graph.top(limit);
  const edges = new Map<number, GraphEdge>();
  const vertices = new Map<number, Vertex>();
  const counts = new Map<number, number>();
  for (const { path } of risks)
    for (const e of path.edges) {
      const edge = graph.edge(e);
      edges.set(e, edge);
      counts.set(e, usage[e] as number);
      for (const v of [edge.from, edge.to]) {
        const vertex = graph.vertex(v);
        if (vertex) vertices.set(v, vertex);
      }
    }
  return { limit, total, risks, notes: [...graph.notes], usage: counts, edges, vertices };
}

/**
 * Builds the Top risks section from paths taken with {@link topPathsOf} and the report's
 * (ranked) findings. Pure.
 *
 * @example
 * const top = topRisksFrom(topPathsOf(graph, 5), report.findings);
 */
export function topRisksFrom(paths: TopRiskPaths, findings: readonly Finding[], cluster?: string): TopRisks {
  const { limit, total, risks } = paths;
  if (limit <= 0) return { status: 'off', limit: 0, totalPaths: 0, notes: [], risks: [] };
  const edgeOf = (e: number): GraphEdge => paths.edges.get(e) as GraphEdge;
  const usageOf = (e: number): number => paths.usage.get(e) ?? 0;
  const byObject = indexFindings(findings);
  const onObject = (r: Resource | undefined): readonly Finding[] => (r ? (byObject.get(refKey(r.ref.kind, r.ref.namespace, r.ref.name)) ?? []) : []);
  const onIdentity = (v: Vertex | undefined): readonly Finding[] => {
    const m = v?.key.match(/^sa:([^/]+)\/(.+)$/);
    return m ? (byObject.get(refKey('ServiceAccount', m[1], m[2] as string)) ?? []) : [];
  };

  const findingFor = (edge: GraphEdge, path: AttackPath): Finding | undefined => {
    const objects = [...edge.evidence.flatMap((e) => onObject(e.resource)), ...onIdentity(paths.vertices.get(edge.from))];
    const hints = edge.kind === 'rbac-escalation' ? (RBAC_CUT_CHECKS[path.sinkKind] ?? []) : (CUT_CHECKS[edge.kind] ?? []);
    for (const name of hints) {
      const hit = objects.find((f) => f.name === name);
      if (hit) return hit;
    }
    for (const e of edge.evidence) {
      if (e.pointer === undefined) continue;
      const list = onObject(e.resource);
      const hit = list.find((f) => f.pointer === e.pointer) ?? list.find((f) => f.pointer !== '' && related(f.pointer, e.pointer as string));
      if (hit) return hit;
    }
    return undefined;
  };

  const out: TopRisk[] = risks.map(({ path, also }, i) => {
    // Hop index of each graph edge's first hop (an RBAC escalation edge is several hops).
    const firstHop: number[] = [];
    let h = 0;
    for (const e of path.edges) {
      firstHop.push(h);
      h += edgeOf(e).steps?.length ?? 1;
    }
    let best = -1;
    path.edges.forEach((e, j) => {
      const edge = edgeOf(e);
      if (NOT_CUTTABLE.has(edge.kind)) return;
      // The hop most paths take; ties go to the one nearest the entry.
      if (best < 0 || usageOf(e) > usageOf(path.edges[best] as number)) best = j;
    });
    if (best < 0) best = 0;
    const cutEdge = edgeOf(path.edges[best] as number);
    const finding = findingFor(cutEdge, path);
    const hops: RiskHop[] = path.hops.map((hop) => ({
      edge: hop.edge,
      from: hop.from,
      to: hop.to,
      mitre: hop.mitre.id,
      ms: hop.ms.id,
      evidence: hop.evidence[0]?.text ?? '',
      ...whereOf(hop.evidence.find((e) => e.resource)),
    }));
    const entries = [path.entry, ...also];
    const workload = paths.vertices.get(edgeOf(path.edges[0] as number).to)?.resource;
    const combinations = onObject(workload)
      .filter((f) => COMBINATIONS.some((c) => c.name === f.name && entries.some((v) => v.entry === c.entry)))
      .map(riskFinding);
    const conditions = [
      path.entryKind === 'pod' ? 'compromised pod' : path.entryKind === 'identity' ? `stolen credentials of ${path.entry.label}` : undefined,
      ...path.edges.map((e) => {
        const edge = edgeOf(e);
        if (edge.kind !== 'rbac-escalation') return CONDITION[edge.kind];
        const step = edge.steps?.map((s) => s.kind).find((k) => k !== 'member' && k !== 'holds');
        return step ? `RBAC ${step}` : 'over-broad RBAC';
      }),
    ].filter((c): c is string => c !== undefined);
    const end = (v: Vertex): RiskEnd => ({ kind: v.entry ?? v.sink ?? v.kind, label: v.entry === 'pod' ? `compromised pod of ${v.label}` : v.label });
    return {
      rank: i + 1,
      score: path.score,
      likelihood: Math.round(path.likelihood * 1000) / 1000,
      impact: path.impact,
      entry: end(path.entry),
      alsoFrom: also.map(end),
      sink: { kind: path.sinkKind, label: path.sink.label },
      title: `${[...new Set(conditions)].join(' + ')} → ${path.sink.label}`,
      hops,
      cut: {
        hop: firstHop[best] ?? 0,
        edge: path.hops[firstHop[best] ?? 0]?.edge ?? cutEdge.kind,
        paths: usageOf(path.edges[best] as number),
        how: EDGE_SPECS[cutEdge.kind].cut,
        ...whereOf(cutEdge.evidence.find((e) => e.resource)),
        ...(finding ? { finding: riskFinding(finding) } : {}),
      },
      combinations,
      ...(cluster !== undefined ? { cluster } : {}),
    };
  });
  return { status: out.length > 0 ? 'ok' : 'none', limit, totalPaths: total, notes: [...paths.notes], risks: out };
}

/** Options of {@link topRisksOfScan}. */
export interface ScanTopRisksOptions {
  /** How many risks (0: none, and the graph is not built for them). */
  readonly limit: number;
  /** The cluster, in cluster scans: each risk carries it. */
  readonly cluster?: string;
  /** What the graph's analyses could not read (cluster coverage gaps): said in the notes. */
  readonly degraded?: readonly string[];
}

/**
 * The Top risks of one scan from its own models: the attack graph the PAL-07xx checks already
 * built (or built now, once). A graph that cannot be built gives `unavailable` with the reason.
 *
 * @example
 * const top = topRisksOfScan(result.models, report.findings, { limit: 5 });
 */
export function topRisksOfScan(models: ScanModels, findings: readonly Finding[], options: ScanTopRisksOptions): TopRisks {
  return topRisksOfScanPaths(topPathsOfScan(models, options.limit), findings, options);
}

/** The attack graph's part of a scan's Top risks, taken before its findings are ranked (see {@link topPathsOfScan}). */
export type ScanTopPaths =
  | { readonly status: 'ok'; readonly paths: TopRiskPaths }
  | { readonly status: 'off' }
  | { readonly status: 'unavailable'; readonly limit: number; readonly reason: string };

/**
 * Takes what Top risks needs from a scan's attack graph (building it if no check did), so that
 * the scan's models can be released before its findings are ranked.
 *
 * @example
 * const taken = topPathsOfScan(result.models, 5);
 * const top = topRisksOfScanPaths(taken, report.findings, { limit: 5 });
 */
export function topPathsOfScan(models: ScanModels, limit: number): ScanTopPaths {
  if (limit <= 0) return { status: 'off' };
  const built = models.get('paths');
  if (!built.ok) return { status: 'unavailable', limit, reason: built.reason };
  return { status: 'ok', paths: topPathsOf(built.value as AttackGraph, limit) };
}

/**
 * The Top risks of one scan from paths taken with {@link topPathsOfScan} and its ranked findings.
 *
 * @example
 * const top = topRisksOfScanPaths(topPathsOfScan(models, 5), report.findings, { limit: 5 });
 */
export function topRisksOfScanPaths(taken: ScanTopPaths, findings: readonly Finding[], options: Omit<ScanTopRisksOptions, 'limit'>): TopRisks {
  if (taken.status === 'off') return { status: 'off', limit: 0, totalPaths: 0, notes: [], risks: [] };
  if (taken.status === 'unavailable') return { status: 'unavailable', limit: taken.limit, totalPaths: 0, reason: taken.reason, notes: [], risks: [] };
  const top = topRisksFrom(taken.paths, findings, options.cluster);
  const missing = [...new Set(options.degraded ?? [])];
  if (missing.length === 0) return top;
  return {
    ...top,
    notes: [...top.notes, `built from incomplete data (${missing.slice(0, 3).join('; ')}${missing.length > 3 ? '; ...' : ''}): some paths may be missing`],
  };
}
