/**
 * The attack graph: one in-memory graph that joins internet exposure and NetworkPolicy
 * reachability (the network model), workloads and their containers (securityContext, host
 * mounts), service accounts and the RBAC model's escalation paths, Secrets, nodes and cloud
 * credentials. Vertices are what an attacker can hold; edges are attack primitives
 * ({@link EDGE_SPECS}), each with its evidence (the object and field that enables it).
 *
 * Paths are searched backwards from each sink with Dijkstra on `-ln(likelihood)`, so every
 * vertex learns its most likely way to every sink in O((V + E) log V) per sink: no path is
 * enumerated that is not reported, and the cost does not grow with the number of paths.
 *
 * Sources of truth: KubeHound's attack list (docs/reference/attacks), the Microsoft Threat
 * Matrix for Kubernetes, MITRE ATT&CK for Containers; see docs/attack-paths.md.
 */
import type { Inventory } from '../core/inventory.js';
import { isObject } from '../core/object.js';
import type { Resource } from '../core/types.js';
import { type ContainerTarget, containersOf } from '../core/workloads.js';
import { hasPort } from '../network/conn.js';
import type { Exposure } from '../network/exposure.js';
import { parseCidr } from '../network/ip.js';
import type { ExternalNode, NetworkModel, WorkloadNode } from '../network/model.js';
import type { PackageVulnerability } from '../packages/packages.js';
import { formatSubject, type Subject } from '../rbac/identity.js';
import type { RbacModel, WhoCanRow, WorkloadIdentity } from '../rbac/model.js';
import { escalationPathsOf, type PathStep } from '../rbac/paths.js';
import { effectiveSetting, hasCapability, isUnder, normaliseHostPath, podVolumes, runtimeSocketOf } from '../security-context/security-context.js';
import { EDGE_SPECS, type EdgeKind, rbacStepTechniques, type TechniqueRef } from './techniques.js';

/** What a vertex stands for. */
export type VertexKind = 'entry' | 'workload' | 'container' | 'identity' | 'pods' | 'hub' | 'sink';

/** Where an attacker starts. */
export type EntryKind = 'internet' | 'pod' | 'identity';

/** The end states of a path. */
export type SinkKind = 'cluster-admin' | 'all-secrets' | 'namespace-secrets' | 'node-root' | 'cloud-credentials';

/** Every entry kind, in documentation order. */
export const ENTRY_KINDS: readonly EntryKind[] = ['internet', 'pod', 'identity'];

/** Every sink kind, by decreasing impact. */
export const SINK_KINDS: readonly SinkKind[] = ['cluster-admin', 'all-secrets', 'node-root', 'cloud-credentials', 'namespace-secrets'];

/** Impact of reaching a sink, on a 0..10 scale (docs/attack-paths.md). */
export const SINK_IMPACT: Readonly<Record<SinkKind, number>> = {
  'cluster-admin': 10,
  'all-secrets': 9,
  'node-root': 8,
  'cloud-credentials': 8,
  'namespace-secrets': 6,
};

/**
 * Likelihood that an attacker holds an entry point at all: anyone can send traffic from the
 * internet; a compromised pod needs a supply-chain or application compromise first; an
 * identity needs stolen credentials.
 */
export const ENTRY_LIKELIHOOD: Readonly<Record<EntryKind, number>> = { internet: 1, pod: 0.2, identity: 0.1 };

/** One vertex. */
export interface Vertex {
  readonly id: number;
  readonly kind: VertexKind;
  /** Stable key: `workload:shop/Deployment/web`, `sa:shop/web`, `sink:cluster-admin`. */
  readonly key: string;
  /** How the vertex reads in a path. */
  readonly label: string;
  readonly namespace?: string;
  readonly resource?: Resource;
  readonly entry?: EntryKind;
  readonly sink?: SinkKind;
}

/** Why an edge exists: the object and field that enable it. */
export interface Evidence {
  readonly resource?: Resource;
  /** JSON Pointer inside the resource. */
  readonly pointer?: string;
  readonly text: string;
}

/** One hop of a path, as reported. */
export interface Hop {
  readonly from: string;
  readonly to: string;
  readonly edge: EdgeKind | `rbac:${string}`;
  readonly mitre: TechniqueRef;
  readonly ms: TechniqueRef;
  readonly explanation: string;
  readonly evidence: readonly Evidence[];
}

/** One edge of the graph. */
export interface GraphEdge {
  readonly from: number;
  readonly to: number;
  readonly kind: EdgeKind;
  readonly likelihood: number;
  readonly evidence: readonly Evidence[];
  /** For `rbac-escalation`: the RBAC steps the edge stands for, one hop each. */
  readonly steps?: readonly PathStep[];
}

/** The most likely path from one entry to one sink. */
export interface AttackPath {
  readonly entry: Vertex;
  readonly entryKind: EntryKind;
  readonly sink: Vertex;
  readonly sinkKind: SinkKind;
  /** Entry likelihood times every edge's likelihood, 0..1. */
  readonly likelihood: number;
  /** {@link SINK_IMPACT} of the sink. */
  readonly impact: number;
  /** likelihood x impact, 0..10, one decimal. */
  readonly score: number;
  readonly hops: readonly Hop[];
  /** Edge ids in order, for choke points. */
  readonly edges: readonly number[];
}

/** Options of {@link buildAttackGraph}. */
export interface AttackGraphOptions {
  /**
   * Vulnerability results per image reference as written in the container (`image:`), from an
   * image scan. Absent: the graph says "image data: not provided" and an exposed application
   * is assumed exploitable with the lower likelihood of `exploit-exposed-service`.
   */
  readonly vulnerabilities?: ReadonlyMap<string, readonly PackageVulnerability[]>;
  /** Images were scanned but no vulnerability database was matched: the notes say so. */
  readonly imagesWithoutVulnerabilities?: boolean;
}

/** Which paths to list. */
export interface PathQuery {
  readonly from?: readonly EntryKind[];
  readonly to?: readonly SinkKind[];
  /** Longest path kept, in hops (default unlimited). */
  readonly maxHops?: number;
}

/** What {@link AttackGraph.top} returns. */
export interface TopPaths {
  /** Paths found (one per entry and sink kind), before grouping and the limit. */
  readonly total: number;
  /** Best first: the path, and up to five other entries whose path differs only in its first hop. */
  readonly risks: readonly { readonly path: AttackPath; readonly also: readonly Vertex[] }[];
  /** Per edge id: how many of the `total` paths take it. */
  readonly usage: Int32Array;
}

/** A fix that cuts paths: an edge used by many of them. */
export interface ChokePoint {
  readonly edge: GraphEdge;
  readonly from: Vertex;
  readonly to: Vertex;
  /** How many of the given paths use the edge. */
  readonly paths: number;
  /** Sum of their scores. */
  readonly score: number;
}

const METADATA = '169.254.169.254';
const WORKLOAD_IDENTITY_ANNOTATIONS: readonly string[] = ['eks.amazonaws.com/role-arn', 'iam.gke.io/gcp-service-account', 'azure.workload.identity/client-id'];
/** Host paths whose write access gives root on the node (or that contain such paths). */
const WRITE_SENSITIVE: readonly string[] = [
  '/',
  '/etc',
  '/root',
  '/home',
  '/boot',
  '/usr',
  '/bin',
  '/sbin',
  '/lib',
  '/lib64',
  '/dev',
  '/sys',
  '/proc',
  '/var/lib/kubelet',
  '/etc/kubernetes',
  '/var/lib/docker',
  '/var/lib/containerd',
  '/var/spool/cron',
  '/run/systemd',
];
/** Host paths whose read access yields node credentials. */
const READ_SENSITIVE: readonly string[] = ['/', '/etc', '/root', '/home', '/var/lib/kubelet', '/etc/kubernetes'];
/** Groups a caller outside the cluster may hold: the only `system:` groups that are entry points. */
const EXTERNAL_SYSTEM: ReadonlySet<string> = new Set(['system:authenticated', 'system:unauthenticated', 'system:anonymous']);

/** Each edge kind's index, for the numeric (target, kind) pairs of the edge check. */
const EDGE_KIND_INDEX = Object.fromEntries(Object.keys(EDGE_SPECS).map((k, i) => [k, i])) as Readonly<Record<EdgeKind, number>>;
const EDGE_KIND_COUNT = Object.keys(EDGE_SPECS).length;

/** The sensitive directory a host path is, lies in, or contains (`/` only as itself: everything lies in it). */
const touches = (path: string, dirs: readonly string[]): string | undefined =>
  dirs.find((d) => (d === '/' ? path === '/' : isUnder(path, d) || isUnder(d, path)));

/**
 * The attack graph of one scan.
 *
 * @example
 * const graph = buildAttackGraph(inventory, rbac, network);
 * graph.paths({ from: ['internet'], to: ['cluster-admin'] })[0]?.hops.map((h) => h.edge);
 */
export class AttackGraph {
  readonly vertices: Vertex[] = [];
  readonly edges: GraphEdge[] = [];
  /** What the graph could not take into account (missing image data, unmodelled policies). */
  readonly notes: string[] = [];
  readonly #keys = new Map<string, number>();
  /**
   * While building: each vertex's outgoing and incoming edge ids, and per source vertex the
   * (target, kind) pairs it has an edge for. Released once built: the search reads the
   * incoming edges from the compact `#inStart`/`#inEdges` index (about 300 bytes per edge less
   * on a 100,000-object inventory than arrays per vertex and string keys).
   */
  #building: { readonly out: number[][]; readonly in: number[][]; readonly pairs: Map<number, Set<number>> } | undefined = {
    out: [],
    in: [],
    pairs: new Map(),
  };
  /** Incoming edges of vertex v: `#inEdges[#inStart[v] .. #inStart[v + 1])`, in the order they were added. */
  #inStart: Int32Array = new Int32Array(1);
  #inEdges: Int32Array = new Int32Array(0);
  /**
   * Per sink kind: vertex -> edge id of its next hop towards the nearest sink of that kind
   * (-1: no path). The Secrets of every namespace are one search with many targets, so the
   * cost does not grow with the number of namespaces.
   */
  readonly #next = new Map<SinkKind, Int32Array>();
  /** Workload resource index -> entry vertex ids that reach it (internet) and its own vertex (pod). */
  readonly #byWorkload = new Map<number, { internet: number[]; pod?: number }>();
  /** The RBAC model's workload identities by resource index (its own map is keyed by object). */
  #identitiesByResource: Map<number, WorkloadIdentity[]> | undefined;
  #dist: Float64Array | undefined;
  #hopCount: Int32Array | undefined;
  readonly #heap = new MinHeap();

  constructor(
    readonly inventory: Inventory,
    readonly rbac: RbacModel,
    readonly network: NetworkModel,
    readonly options: AttackGraphOptions = {},
  ) {
    if (!options.vulnerabilities)
      this.notes.push(
        options.imagesWithoutVulnerabilities
          ? 'image data: images scanned without a vulnerability database; an exposed application counts as exploitable with likelihood 0.3 (add --vuln-db to use CVEs)'
          : 'image data: not provided; an exposed application counts as exploitable with likelihood 0.3 (run scan with --images --vuln-db to use CVEs)',
      );
    if (network.clusterWideUnmodelled || network.unmodelledNamespaces.size > 0)
      this.notes.push('CNI-specific network policies are not evaluated: cloud-metadata edges are left out where they apply');
    this.#build();
    this.#index();
    const targets = new Map<SinkKind, number[]>();
    for (const v of this.vertices)
      if (v.kind === 'sink' && this.#inDegree(v.id) > 0) {
        const list = targets.get(v.sink as SinkKind) ?? [];
        list.push(v.id);
        targets.set(v.sink as SinkKind, list);
      }
    for (const kind of SINK_KINDS) {
      const list = targets.get(kind);
      if (list) this.#next.set(kind, this.#search(list));
    }
  }

  /* -------------------------------------------------------------------------- building */

  #vertex(key: string, make: () => Omit<Vertex, 'id' | 'key'>): number {
    let id = this.#keys.get(key);
    if (id === undefined) {
      id = this.vertices.length;
      this.vertices.push({ id, key, ...make() });
      this.#keys.set(key, id);
      this.#building?.out.push([]);
      this.#building?.in.push([]);
    }
    return id;
  }

  /** Whether a vertex has outgoing edges yet (while building). */
  #hasOut(v: number): boolean {
    return (this.#building?.out[v]?.length ?? 0) > 0;
  }

  #inDegree(v: number): number {
    return (this.#inStart[v + 1] as number) - (this.#inStart[v] as number);
  }

  /** Packs the incoming edges into `#inStart`/`#inEdges` and releases the building state. */
  #index(): void {
    const building = this.#building;
    if (!building) return;
    const n = this.vertices.length;
    const start = new Int32Array(n + 1);
    for (let v = 0; v < n; v++) start[v + 1] = (start[v] as number) + (building.in[v]?.length ?? 0);
    const edges = new Int32Array(start[n] as number);
    for (let v = 0; v < n; v++) edges.set(building.in[v] ?? [], start[v] as number);
    this.#inStart = start;
    this.#inEdges = edges;
    this.#building = undefined;
  }

  #edge(from: number, to: number, kind: EdgeKind, evidence: readonly Evidence[], likelihood = EDGE_SPECS[kind].likelihood, steps?: readonly PathStep[]): void {
    const building = this.#building;
    if (from === to || !building) return;
    // One edge per (from, to, kind): the first evidence found is enough to explain it. The
    // pair is a number (target x kinds + kind), not a string: no key is built per edge.
    const pair = to * EDGE_KIND_COUNT + EDGE_KIND_INDEX[kind];
    let pairs = building.pairs.get(from);
    if (pairs === undefined) {
      pairs = new Set();
      building.pairs.set(from, pairs);
    } else if (pairs.has(pair)) return;
    pairs.add(pair);
    const id = this.edges.length;
    this.edges.push({ from, to, kind, likelihood, evidence, ...(steps ? { steps } : {}) });
    building.out[from]?.push(id);
    building.in[to]?.push(id);
  }

  #sink(kind: SinkKind, namespace?: string): number {
    const key = namespace === undefined ? `sink:${kind}` : `sink:${kind}:${namespace}`;
    const label =
      kind === 'cluster-admin'
        ? 'cluster-admin'
        : kind === 'all-secrets'
          ? 'every Secret of the cluster'
          : kind === 'node-root'
            ? 'root on the node'
            : kind === 'cloud-credentials'
              ? 'cloud credentials'
              : `Secrets of namespace ${namespace}`;
    return this.#vertex(key, () => ({ kind: 'sink', label, sink: kind, ...(namespace !== undefined ? { namespace } : {}) }));
  }

  #identity(subject: Subject): number {
    const key = formatSubject(subject);
    const label = subject.kind === 'ServiceAccount' ? `ServiceAccount ${subject.namespace}/${subject.name}` : `${subject.kind} ${subject.name}`;
    const external = subject.kind !== 'ServiceAccount' && (!subject.name.startsWith('system:') || EXTERNAL_SYSTEM.has(subject.name));
    return this.#vertex(key, () => ({
      kind: 'identity',
      label,
      ...(subject.kind === 'ServiceAccount' ? { namespace: subject.namespace } : {}),
      ...(external ? { entry: 'identity' as const } : {}),
    }));
  }

  #build(): void {
    const containersOfWorkload = new Map<number, number[]>();
    const containersOfNamespace = new Map<string, number[]>();
    const metadata = this.#metadataNode();
    /** Containers that can spoof the pod network: (container, its workload, the evidence). */
    const spoofers: { cid: number; namespace: string; evidence: Evidence }[] = [];
    for (const w of this.network.workloads) {
      const wid = this.#vertex(`workload:${w.namespace}/${w.kind}/${w.name}`, () => ({
        kind: 'workload',
        label: `${w.kind} ${w.namespace}/${w.name}`,
        namespace: w.namespace,
        resource: w.resource,
        entry: 'pod',
      }));
      this.#byWorkload.set(w.resource.index, { internet: [], pod: wid });
      const targets = containersOf(w.pod);
      const ids: number[] = [];
      for (const c of targets) {
        const cid = this.#vertex(`container:${w.namespace}/${w.kind}/${w.name}/${c.name}`, () => ({
          kind: 'container',
          label: `container ${c.name} of ${w.kind} ${w.namespace}/${w.name}`,
          namespace: w.namespace,
          resource: w.resource,
        }));
        ids.push(cid);
        this.#edge(wid, cid, 'run-in-container', [{ resource: w.resource, pointer: c.pointer, text: `${c.name} runs in every pod of the workload` }]);
        this.#escapes(cid, c);
        const spoof = spoofEvidence(c, w);
        if (spoof) spoofers.push({ cid, namespace: w.namespace, evidence: spoof });
      }
      containersOfWorkload.set(wid, ids);
      const inNs = containersOfNamespace.get(w.namespace) ?? [];
      inNs.push(...ids);
      containersOfNamespace.set(w.namespace, inNs);
      if (w.pod.spec.shareProcessNamespace === true)
        for (const a of ids)
          for (const b of ids)
            this.#edge(a, b, 'shared-process-namespace', [
              { resource: w.resource, pointer: `${w.pod.pointer}/shareProcessNamespace`, text: 'shareProcessNamespace: true' },
            ]);
      this.#tokens(w, ids);
      this.#metadata(w, ids, metadata);
    }
    // Nodes are not told apart: the pods of the spoofer's namespace stand for its neighbours.
    // One hub per namespace ("its pod network") keeps the edges linear: spoofers -> hub -> pods.
    for (const s of spoofers) {
      const hub = this.#vertex(`net:${s.namespace}`, () => ({ kind: 'hub', label: `the pod network of namespace ${s.namespace}`, namespace: s.namespace }));
      if (!this.#hasOut(hub))
        for (const cid of containersOfNamespace.get(s.namespace) ?? [])
          this.#edge(hub, cid, 'spoofed-traffic', [{ text: `the traffic of ${this.vertices[cid]?.label} crosses the pod network` }]);
      this.#edge(s.cid, hub, 'net-raw-mitm', [s.evidence]);
    }
    this.#exposures();
    this.#identities(containersOfNamespace);
  }

  /** Escapes to the node from one container's own settings and mounts. */
  #escapes(cid: number, c: ContainerTarget): void {
    const node = () => this.#sink('node-root');
    const resource = c.pod.resource;
    const privileged = effectiveSetting(c, 'privileged');
    if (privileged?.value === true) this.#edge(cid, node(), 'privileged-escape', [{ resource, pointer: privileged.pointer, text: 'privileged: true' }]);
    const hostPID = c.pod.spec.hostPID === true;
    if (hostPID && (privileged?.value === true || hasCapability(c.container, 'SYS_PTRACE', new Set())))
      this.#edge(cid, node(), 'host-pid-escape', [
        { resource, pointer: `${c.pod.pointer}/hostPID`, text: `hostPID: true with ${privileged?.value === true ? 'privileged' : 'CAP_SYS_PTRACE'}` },
      ]);
    if (privileged?.value !== true) {
      if (hasCapability(c.container, 'SYS_MODULE', new Set()))
        this.#edge(cid, node(), 'module-load', [{ resource, pointer: `${c.pointer}/securityContext/capabilities/add`, text: 'capabilities.add: SYS_MODULE' }]);
      if (hasCapability(c.container, 'SYS_ADMIN', new Set()))
        this.#edge(cid, node(), 'sys-admin-escape', [
          { resource, pointer: `${c.pointer}/securityContext/capabilities/add`, text: 'capabilities.add: SYS_ADMIN' },
        ]);
    }
    const runAsNonRoot = effectiveSetting(c, 'runAsNonRoot')?.value === true;
    const runAsUser = effectiveSetting(c, 'runAsUser')?.value;
    const root = !runAsNonRoot && (runAsUser === undefined || runAsUser === 0);
    const mounts = Array.isArray(c.container.volumeMounts) ? c.container.volumeMounts : [];
    for (const v of podVolumes(c.pod)) {
      const hp = isObject(v.volume.hostPath) ? v.volume.hostPath : undefined;
      if (!hp || typeof hp.path !== 'string') continue;
      const index = mounts.findIndex((m) => isObject(m) && m.name === v.name);
      const mount = mounts[index];
      if (!isObject(mount)) continue;
      const path = normaliseHostPath(hp.path);
      const socket = runtimeSocketOf(hp.path);
      const ev = (text: string): Evidence[] => [{ resource, pointer: `${c.pod.pointer}${v.path}/hostPath/path`, text: `hostPath ${hp.path} ${text}` }];
      const writable = mount.readOnly !== true;
      if (socket !== undefined) {
        this.#edge(cid, node(), 'runtime-socket', ev(`(runtime socket ${socket}) mounted at ${String(mount.mountPath)}`));
        continue;
      }
      if (path === undefined) continue;
      if (writable && (isUnder(path, '/proc/sys/kernel') || path === '/proc/sys')) {
        this.#edge(cid, node(), 'core-pattern', ev('mounted writable'));
        continue;
      }
      const sensitive = touches(path, WRITE_SENSITIVE);
      if (writable && sensitive !== undefined) {
        this.#edge(cid, node(), 'host-write', ev(`mounted writable (covers ${sensitive})`));
        continue;
      }
      if (writable && root && (isUnder(path, '/var/log') || isUnder('/var/log', path))) {
        this.#edge(cid, node(), 'var-log-symlink', ev('mounted writable in a container running as root'));
        continue;
      }
      const readable = touches(path, READ_SENSITIVE);
      if (readable !== undefined) this.#edge(cid, node(), 'host-read', ev(`mounted ${writable ? '' : 'read-only '}(covers ${readable})`));
    }
  }

  /** Containers -> the service account whose token the pod mounts. */
  #tokens(w: WorkloadNode, ids: readonly number[]): void {
    if (!this.#identitiesByResource) {
      this.#identitiesByResource = new Map();
      for (const x of this.rbac.workloads()) {
        const list = this.#identitiesByResource.get(x.resource.index) ?? [];
        list.push(x);
        this.#identitiesByResource.set(x.resource.index, list);
      }
    }
    for (const identity of this.#identitiesByResource.get(w.resource.index) ?? []) {
      if (!identity.tokenMounted) continue;
      const sa = this.#identity({ kind: 'ServiceAccount', namespace: identity.namespace, name: identity.serviceAccount });
      for (const cid of ids)
        this.#edge(cid, sa, 'token-theft', [
          {
            resource: w.resource,
            pointer: `${identity.podPointer}/serviceAccountName`,
            text: `the pod mounts the token of ServiceAccount ${identity.namespace}/${identity.serviceAccount}`,
          },
        ]);
    }
  }

  #metadataNode(): ExternalNode | undefined {
    const range = parseCidr(METADATA);
    return range ? this.network.externalFor(range) : undefined;
  }

  /** Containers -> cloud credentials when the metadata address is reachable. */
  #metadata(w: WorkloadNode, ids: readonly number[], metadata: ExternalNode | undefined): void {
    let why: string | undefined;
    if (w.hostNetwork) why = 'host network: NetworkPolicies do not apply';
    else {
      if (!metadata || this.network.clusterWideUnmodelled || this.network.unmodelledNamespaces.has(w.namespace)) return;
      // A table lookup per workload; isolation (a NetworkPolicy selects it for egress) only for the text.
      if (!hasPort(this.network.allowed({ kind: 'workload', node: w }, { kind: 'external', node: metadata }), 'TCP', 80)) return;
      why = this.network.isolated(w, 'egress') ? 'its egress NetworkPolicies allow 169.254.169.254:80' : 'no NetworkPolicy isolates its egress';
    }
    const sink = this.#sink('cloud-credentials');
    for (const cid of ids) this.#edge(cid, sink, 'cloud-metadata', [{ resource: w.resource, pointer: w.pod.metadataPointer, text: why }]);
  }

  /** The internet -> each exposed workload's containers, where NetworkPolicies let traffic in. */
  #exposures(): void {
    for (const x of this.network.exposures()) {
      if (x.policy === 'denied') continue;
      const w = x.workload;
      const eid = this.#vertex(`entry:${x.via}:${x.entry.index}:${w.namespace}/${w.kind}/${w.name}`, () => ({
        kind: 'entry',
        label:
          x.via === 'hostNetwork' || x.via === 'hostPort'
            ? `internet via ${x.via} of ${w.kind} ${w.namespace}/${w.name}`
            : `internet via ${x.entry.ref.kind} ${x.entry.ref.namespace ? `${x.entry.ref.namespace}/` : ''}${x.entry.ref.name} to ${w.kind} ${w.namespace}/${w.name}`,
        namespace: x.entry.ref.namespace ?? w.namespace,
        resource: x.entry,
        entry: 'internet',
      }));
      this.#byWorkload.get(w.resource.index)?.internet.push(eid);
      for (const c of this.#exposedContainers(x)) {
        const cid = this.#keys.get(`container:${w.namespace}/${w.kind}/${w.name}/${c}`);
        if (cid === undefined) continue;
        const target = containersOf(w.pod).find((t) => t.name === c);
        const vulns = this.#exploitable(target);
        const path = `${x.path.join(' -> ')}${x.tls === false ? ' (plain HTTP)' : ''}`;
        const evidence: Evidence[] = [{ resource: x.entry, text: path }];
        if (vulns.length > 0 && target) {
          evidence.push({
            resource: w.resource,
            pointer: `${target.pointer}/image`,
            text: `image ${String(target.container.image)}: ${vulns.map((v) => v.id).join(', ')}`,
          });
          this.#edge(eid, cid, 'exploit-vulnerable-image', evidence);
        } else this.#edge(eid, cid, 'exploit-exposed-service', evidence);
      }
    }
  }

  /** The containers whose ports an exposure lands on (all of them when no port says). */
  #exposedContainers(x: Exposure): string[] {
    const hit = new Set<string>();
    for (const p of x.workload.ports) {
      const port = x.via === 'hostPort' ? p.hostPort : p.port;
      if (port !== undefined && hasPort(x.ports, p.protocol, port)) hit.add(p.container);
    }
    return hit.size > 0 ? [...hit] : containersOf(x.workload.pod).map((c) => c.name);
  }

  /**
   * Vulnerabilities that make an exposed container likely exploitable: KEV-listed, or critical
   * or high and either fixed (a known, patched bug: exploits follow fixes) or exploitable over
   * the network (CVSS `AV:N`). VEX-suppressed, not-affected and withdrawn ones do not count.
   */
  #exploitable(target: ContainerTarget | undefined): readonly PackageVulnerability[] {
    const image = target?.container.image;
    if (!this.options.vulnerabilities || typeof image !== 'string') return [];
    const list = this.options.vulnerabilities.get(image.trim()) ?? [];
    return list
      .filter((v) => !v.vex && v.status !== 'not-affected' && v.status !== 'withdrawn')
      .filter(
        (v) => v.kev === true || ((v.severity === 'critical' || v.severity === 'high') && (v.status === 'fixed' || /\bAV:N\b/.test(v.cvss?.vector ?? ''))),
      )
      .sort((a, b) => Number(b.kev === true) - Number(a.kev === true) || a.id.localeCompare(b.id))
      .slice(0, 3);
  }

  /** Identities -> RBAC sinks, Secrets, pods they control, privileged pods they may create. */
  #identities(containersOfNamespace: ReadonlyMap<string, readonly number[]>): void {
    for (const s of this.rbac.subjects()) if (s.kind !== 'ServiceAccount') this.#identity(s);
    const namespaces = new Set<string>([...this.network.workloads.map((w) => w.namespace), ...this.rbac.bindingNamespaces()]);
    const rows = (verb: string, resource: string, namespace: string, subresource?: string): readonly WhoCanRow[] =>
      this.rbac.whoCan({ kind: 'resource', verb, apiGroup: '', resource, namespace, ...(subresource ? { subresource } : {}) });
    const subjectOf = (row: WhoCanRow): Subject | undefined => {
      const s = row.subject;
      if (s.kind === 'ServiceAccount') return s.namespace ? { kind: 'ServiceAccount', namespace: s.namespace, name: s.name } : undefined;
      if (s.kind === 'User' || s.kind === 'Group') return { kind: s.kind, name: s.name };
      return undefined;
    };
    const evidenceOf = (row: WhoCanRow, text: string): Evidence[] => [
      { ...(row.binding.resource ? { resource: row.binding.resource, pointer: row.subject.path } : {}), text },
    ];
    const allContainers = [...containersOfNamespace.values()].flat();
    // Cluster-wide grants answer alike for every namespace: take each (binding, subject) once.
    const clusterWideSeen = new Set<string>();
    const fresh = (row: WhoCanRow, what: string): boolean => {
      if (row.namespace !== undefined) return true;
      const key = `${what}:${row.binding.order}:${row.subject.index}`;
      if (clusterWideSeen.has(key)) return false;
      clusterWideSeen.add(key);
      return true;
    };
    const tokenSecrets = tokenSecretsByNamespace(this.inventory);
    for (const ns of [...namespaces].sort()) {
      // Token list / bruteforce: a reader of the namespace's Secrets holds every legacy token
      // there. One hub per namespace keeps the edges linear (readers + tokens, not their product).
      const tokens = tokenSecrets.get(ns) ?? [];
      if (tokens.length > 0) {
        const hub = this.#vertex(`tokens:${ns}`, () => ({ kind: 'hub', label: `the service account token Secrets of namespace ${ns}`, namespace: ns }));
        if (!this.#hasOut(hub))
          for (const t of tokens)
            this.#edge(hub, this.#identity({ kind: 'ServiceAccount', namespace: ns, name: t.serviceAccount }), 'use-token', [
              { resource: t.secret, pointer: '/type', text: `Secret ${ns}/${t.secret.ref.name} holds a token of ServiceAccount ${ns}/${t.serviceAccount}` },
            ]);
        for (const row of [...rows('list', 'secrets', ns), ...rows('get', 'secrets', ns)]) {
          const subject = subjectOf(row);
          if (!subject) continue;
          this.#edge(this.#identity(subject), hub, 'token-list', [
            {
              ...(row.binding.resource ? { resource: row.binding.resource, pointer: row.subject.path } : {}),
              text: `${row.binding.kind} ${bindingName(row)} (${row.role.kind} ${row.role.name}) grants ${row.rule.rule.verbs.join(',')} on secrets${row.namespace ? ` in ${row.namespace}` : ' in every namespace'}`,
            },
          ]);
        }
      }
      for (const row of [...rows('list', 'secrets', ns), ...rows('get', 'secrets', ns)]) {
        const subject = subjectOf(row);
        if (!subject || row.namespace === undefined) continue; // cluster-wide readers reach `all-secrets` through the RBAC model
        this.#edge(
          this.#identity(subject),
          this.#sink('namespace-secrets', ns),
          'read-secrets',
          evidenceOf(
            row,
            `${row.binding.kind} ${bindingName(row)} (${row.role.kind} ${row.role.name}) grants ${row.rule.rule.verbs.join(',')} on secrets in ${ns}`,
          ),
        );
      }
      for (const row of [...rows('create', 'pods', ns, 'exec'), ...rows('create', 'pods', ns, 'attach'), ...rows('patch', 'pods', ns)]) {
        const subject = fresh(row, 'exec') ? subjectOf(row) : undefined;
        if (!subject) continue;
        const scope = row.namespace ?? '*';
        const pods = this.#vertex(`pods:${scope}`, () => ({
          kind: 'pods',
          label: scope === '*' ? 'the running pods of every namespace' : `the running pods of namespace ${scope}`,
          ...(scope === '*' ? {} : { namespace: scope }),
        }));
        if (!this.#hasOut(pods))
          for (const cid of scope === '*' ? allContainers : (containersOfNamespace.get(scope) ?? []))
            this.#edge(pods, cid, 'exec-into-container', [{ text: `kubectl exec into ${this.vertices[cid]?.label}` }]);
        this.#edge(
          this.#identity(subject),
          pods,
          'pod-exec',
          evidenceOf(
            row,
            `${row.binding.kind} ${bindingName(row)} (${row.role.kind} ${row.role.name}) grants ${row.rule.rule.verbs.join(',')} on ${row.rule.rule.resources.join(',')}${row.namespace ? ` in ${row.namespace}` : ' in every namespace'}`,
          ),
        );
      }
      const enforced = this.#psaEnforced(ns);
      if (!enforced)
        for (const row of rows('create', 'pods', ns)) {
          const subject = fresh(row, 'create') ? subjectOf(row) : undefined;
          if (!subject) continue;
          this.#edge(
            this.#identity(subject),
            this.#sink('node-root'),
            'create-privileged-pod',
            evidenceOf(
              row,
              `${row.binding.kind} ${bindingName(row)} (${row.role.kind} ${row.role.name}) grants create pods in ${ns}, which enforces no Pod Security level`,
            ),
          );
        }
    }
    // Admission webhook configurations: a mutating webhook rewrites every pod created (cluster-admin
    // equivalent); a validating one receives every object written, Secrets included.
    for (const [resource, sink] of [
      ['mutatingwebhookconfigurations', 'cluster-admin'],
      ['validatingwebhookconfigurations', 'all-secrets'],
    ] as const) {
      const seen = new Set<string>();
      for (const verb of ['create', 'update', 'patch']) {
        for (const row of this.rbac.whoCan({ kind: 'resource', verb, apiGroup: 'admissionregistration.k8s.io', resource })) {
          const subject = subjectOf(row);
          if (!subject || row.namespace !== undefined) continue;
          const key = `${formatSubject(subject)}:${row.binding.order}`;
          if (seen.has(key)) continue;
          seen.add(key);
          this.#edge(
            this.#identity(subject),
            this.#sink(sink),
            'modify-webhooks',
            evidenceOf(
              row,
              `${row.binding.kind} ${bindingName(row)} (${row.role.kind} ${row.role.name}) grants ${row.rule.rule.verbs.join(',')} on ${resource}`,
            ),
          );
        }
      }
    }
    // Service accounts are members of their groups: grants to the groups are theirs.
    for (const v of [...this.vertices]) {
      if (v.kind !== 'identity' || !v.key.startsWith('sa:') || v.namespace === undefined) continue;
      for (const g of ['system:serviceaccounts', `system:serviceaccounts:${v.namespace}`, 'system:authenticated']) {
        const gid = this.#keys.get(`group:${g}`);
        if (gid !== undefined)
          this.#edge(v.id, gid, 'rbac-escalation', [{ text: `ServiceAccount ${v.label.slice('ServiceAccount '.length)} is a member of group ${g}` }], 1, [
            { kind: 'member', from: v.key, action: `is a member of group ${g}`, to: `group:${g}`, evidence: [] },
          ]);
      }
    }
    // Federated service accounts: the token is exchanged for cloud credentials.
    for (const v of [...this.vertices]) {
      const subject = v.kind === 'identity' ? subjectOfKey(v.key) : undefined;
      if (subject?.kind !== 'ServiceAccount') continue;
      const sa = this.rbac.serviceAccountObject(subject.namespace, subject.name);
      const meta = sa && isObject(sa.object.metadata) ? sa.object.metadata : undefined;
      const annotations = meta && isObject(meta.annotations) ? meta.annotations : {};
      const key = WORKLOAD_IDENTITY_ANNOTATIONS.find((a) => typeof annotations[a] === 'string');
      if (sa && key !== undefined)
        this.#edge(v.id, this.#sink('cloud-credentials'), 'workload-identity', [
          { resource: sa, pointer: `/metadata/annotations/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, text: `${key}: ${String(annotations[key])}` },
        ]);
    }
    const graph = escalationPathsOf(this.rbac);
    for (const v of [...this.vertices]) {
      if (v.kind !== 'identity') continue;
      const subject = subjectOfKey(v.key);
      if (!subject) continue;
      for (const target of ['cluster-admin', 'all-secrets'] as const) {
        const p = graph.pathOf(subject, target);
        if (!p || p.steps.length === 0) continue;
        const likelihood = EDGE_SPECS['rbac-escalation'].likelihood ** Math.max(1, p.steps.filter((s) => s.kind !== 'holds' && s.kind !== 'member').length);
        const first = p.steps[0]?.evidence[0];
        const evidence: Evidence[] = first?.binding?.resource
          ? [{ resource: first.binding.resource, text: p.steps.map((s) => s.action).join('; ') }]
          : [{ text: p.steps.map((s) => s.action).join('; ') }];
        this.#edge(v.id, this.#sink(target), 'rbac-escalation', evidence, likelihood, p.steps);
      }
    }
  }

  /** Whether Pod Security admission forbids privileged pods in a namespace (enforce baseline or restricted). */
  #psaEnforced(ns: string): boolean {
    const level = this.network.namespaceLabels.get(ns)?.['pod-security.kubernetes.io/enforce'];
    return level === 'baseline' || level === 'restricted';
  }

  /* -------------------------------------------------------------------------- search */

  /** Dijkstra backwards from the sinks of one kind on -ln(likelihood); ties go to fewer hops, then lower edge id. */
  #search(sinks: readonly number[]): Int32Array {
    const n = this.vertices.length;
    // Scratch arrays shared by every sink's search: only `next` is kept.
    if (!this.#dist || this.#dist.length !== n) {
      this.#dist = new Float64Array(n);
      this.#hopCount = new Int32Array(n);
    }
    const dist = this.#dist.fill(Number.POSITIVE_INFINITY);
    const hops = (this.#hopCount as Int32Array).fill(0);
    const next = new Int32Array(n).fill(-1);
    const heap = this.#heap;
    heap.clear();
    for (const sink of sinks) {
      dist[sink] = 0;
      heap.push(0, 0, sink);
    }
    while (heap.size > 0) {
      const d = heap.topCost;
      const h = heap.topHops;
      const v = heap.pop();
      if (d > (dist[v] as number) || (d === dist[v] && h > (hops[v] as number))) continue;
      const inEdges = this.#inEdges;
      for (let i = this.#inStart[v] as number, end = this.#inStart[v + 1] as number; i < end; i++) {
        const e = inEdges[i] as number;
        const edge = this.edges[e] as GraphEdge;
        const u = edge.from;
        // A path never runs through another sink: reaching one ends it.
        if (this.vertices[u]?.kind === 'sink') continue;
        const nd = d - Math.log(edge.likelihood);
        const nh = h + 1;
        const du = dist[u] as number;
        if (nd < du - 1e-12 || (Math.abs(nd - du) <= 1e-12 && nh < (hops[u] as number))) {
          dist[u] = nd;
          hops[u] = nh;
          next[u] = e;
          heap.push(nd, nh, u);
        }
      }
    }
    return next;
  }

  /** The most likely path from a vertex to the nearest sink of a kind, as edge ids, and that sink. */
  #route(from: number, kind: SinkKind): { edges: number[]; sink: Vertex } | undefined {
    const next = this.#next.get(kind);
    if (!next || next[from] === -1) return undefined;
    const edges: number[] = [];
    let at = from;
    while (this.vertices[at]?.kind !== 'sink' && edges.length <= this.vertices.length) {
      const e = next[at] as number;
      if (e < 0) return undefined;
      edges.push(e);
      at = (this.edges[e] as GraphEdge).to;
    }
    return { edges, sink: this.vertices[at] as Vertex };
  }

  #hops(edges: readonly number[]): Hop[] {
    const out: Hop[] = [];
    for (const e of edges) {
      const edge = this.edges[e] as GraphEdge;
      const from = (this.vertices[edge.from] as Vertex).label;
      const to = (this.vertices[edge.to] as Vertex).label;
      if (edge.steps) {
        const graph = escalationPathsOf(this.rbac);
        edge.steps.forEach((s, i) => {
          const t = rbacStepTechniques(s.kind);
          out.push({
            from: i === 0 ? from : graph.label(s.from),
            to: i === (edge.steps?.length ?? 0) - 1 ? to : graph.label(s.to),
            edge: `rbac:${s.kind}`,
            ...t,
            explanation: s.action,
            evidence: uniqueEvidence(
              s.evidence.map((x) => ({
                ...(x.binding?.resource ? { resource: x.binding.resource } : x.role.resource ? { resource: x.role.resource } : {}),
                text: `${x.hypothetical ? 'after binding it: ' : ''}${x.role.kind} ${x.role.namespace ? `${x.role.namespace}/` : ''}${x.role.name}${x.binding ? ` via ${x.binding.kind} ${x.binding.namespace ? `${x.binding.namespace}/` : ''}${x.binding.name}` : ''}`,
              })),
            ).slice(0, 3),
          });
        });
        continue;
      }
      const spec = EDGE_SPECS[edge.kind];
      out.push({ from, to, edge: edge.kind, mitre: spec.mitre, ms: spec.ms, explanation: spec.explanation, evidence: edge.evidence });
    }
    return out;
  }

  #path(entry: Vertex, entryKind: EntryKind, sink: Vertex, edges: readonly number[]): AttackPath {
    let likelihood = ENTRY_LIKELIHOOD[entryKind];
    for (const e of edges) likelihood *= (this.edges[e] as GraphEdge).likelihood;
    const sinkKind = sink.sink as SinkKind;
    const impact = SINK_IMPACT[sinkKind];
    return { entry, entryKind, sink, sinkKind, likelihood, impact, score: Math.round(likelihood * impact * 10) / 10, hops: this.#hops(edges), edges };
  }

  /**
   * The most likely path from every entry to every sink it reaches, best first (score, then
   * fewer hops, then entry and sink keys: the same input gives the same order).
   *
   * @example
   * graph.paths({ from: ['internet'] }).slice(0, 10);
   */
  paths(query: PathQuery = {}): AttackPath[] {
    const from = new Set(query.from ?? ENTRY_KINDS);
    const to = new Set(query.to ?? SINK_KINDS);
    const kinds = [...this.#next.keys()].filter((k) => to.has(k));
    const out: AttackPath[] = [];
    for (const v of this.vertices) {
      if (!v.entry || !from.has(v.entry)) continue;
      for (const kind of kinds) {
        const route = this.#route(v.id, kind);
        if (!route || (query.maxHops !== undefined && route.edges.length > query.maxHops)) continue;
        out.push(this.#path(v, v.entry, route.sink, route.edges));
      }
    }
    return out.sort(comparePaths);
  }

  /**
   * The best `limit` risks in the order of {@link paths}, without materialising the others:
   * every (entry, sink kind) route is scored by walking it, and only the winners get their
   * hops and evidence. Paths that differ only by their first hop (the same container reached
   * through an Ingress, a NodePort Service or as a compromised pod) are one risk: the best
   * path, with the other entries in `also`. `usage` counts, per edge id, the routes that take
   * it, so that the hop that cuts the most paths can be named.
   *
   * @example
   * const { total, risks } = graph.top(5);
   * risks[0]?.path.sinkKind; // 'cluster-admin'
   */
  top(limit: number, query: PathQuery = {}): TopPaths {
    const from = new Set(query.from ?? ENTRY_KINDS);
    const to = new Set(query.to ?? SINK_KINDS);
    const kinds = [...this.#next.entries()].filter(([k]) => to.has(k));
    const usage = new Int32Array(this.edges.length);
    const cands: { v: Vertex; kind: SinkKind; score: number; hops: number; sink: number; first: number; edges: number }[] = [];
    for (const v of this.vertices) {
      if (!v.entry || !from.has(v.entry)) continue;
      for (const [kind, next] of kinds) {
        if (next[v.id] === -1) continue;
        let likelihood = ENTRY_LIKELIHOOD[v.entry];
        let hops = 0;
        let edges = 0;
        let at = v.id;
        let first = -1;
        while (this.vertices[at]?.kind !== 'sink' && edges <= this.vertices.length) {
          const e = next[at] as number;
          const edge = this.edges[e] as GraphEdge;
          if (first < 0) first = edge.to;
          likelihood *= edge.likelihood;
          hops += edge.steps ? edge.steps.length : 1;
          edges++;
          at = edge.to;
        }
        if (query.maxHops !== undefined && hops > query.maxHops) continue;
        const score = Math.round(likelihood * SINK_IMPACT[kind] * 10) / 10;
        cands.push({ v, kind, score, hops, sink: at, first, edges });
        for (let u = v.id, n = 0; n < edges; n++) {
          const e = next[u] as number;
          usage[e] = (usage[e] as number) + 1;
          u = (this.edges[e] as GraphEdge).to;
        }
      }
    }
    cands.sort(
      (a, b) =>
        b.score - a.score ||
        a.hops - b.hops ||
        a.v.key.localeCompare(b.v.key) ||
        (this.vertices[a.sink] as Vertex).key.localeCompare((this.vertices[b.sink] as Vertex).key),
    );
    const groups = new Map<string, { best: (typeof cands)[number]; also: Vertex[] }>();
    for (const c of cands) {
      // The route from a vertex to a sink kind is unique: the vertex after the first hop and
      // the sink kind name the rest of the path.
      const key = `${c.first}:${c.kind}`;
      const g = groups.get(key);
      if (g) {
        if (g.also.length < 5) g.also.push(c.v);
      } else if (groups.size < limit) groups.set(key, { best: c, also: [] });
    }
    const risks = [...groups.values()].map(({ best, also }) => {
      const route = this.#route(best.v.id, best.kind) as { edges: number[]; sink: Vertex };
      return { path: this.#path(best.v, best.v.entry as EntryKind, route.sink, route.edges), also };
    });
    return { total: cands.length, risks, usage };
  }

  /**
   * The paths that start at one workload: from the internet through its exposures, and from
   * the workload itself assumed compromised.
   *
   * @example
   * graph.pathsOfWorkload(resource).internet[0]?.sinkKind; // 'cluster-admin'
   */
  pathsOfWorkload(resource: Resource): { internet: AttackPath[]; pod: AttackPath[] } {
    const at = this.#byWorkload.get(resource.index);
    const result = { internet: [] as AttackPath[], pod: [] as AttackPath[] };
    if (!at) return result;
    const add = (list: AttackPath[], vid: number, kind: EntryKind) => {
      const v = this.vertices[vid] as Vertex;
      for (const sinkKind of this.#next.keys()) {
        const route = this.#route(vid, sinkKind);
        if (route) list.push(this.#path(v, kind, route.sink, route.edges));
      }
      list.sort(comparePaths);
    };
    for (const e of at.internet) add(result.internet, e, 'internet');
    if (at.pod !== undefined) add(result.pod, at.pod, 'pod');
    return result;
  }

  /**
   * The edges that most paths go through: cutting one (the field or binding in its evidence)
   * breaks every path that uses it, unless another route exists.
   *
   * @example
   * graph.chokePoints(graph.paths(), 5)[0]?.edge.kind;
   */
  chokePoints(paths: readonly AttackPath[], limit = 10): ChokePoint[] {
    const tally = new Map<number, { paths: number; score: number }>();
    for (const p of paths)
      for (const e of new Set(p.edges)) {
        const t = tally.get(e) ?? { paths: 0, score: 0 };
        t.paths++;
        t.score += p.score;
        tally.set(e, t);
      }
    return [...tally.entries()]
      .filter(([e]) => (this.edges[e] as GraphEdge).kind !== 'run-in-container')
      .sort((a, b) => b[1].paths - a[1].paths || b[1].score - a[1].score || a[0] - b[0])
      .slice(0, limit)
      .map(([e, t]) => {
        const edge = this.edges[e] as GraphEdge;
        return { edge, from: this.vertices[edge.from] as Vertex, to: this.vertices[edge.to] as Vertex, paths: t.paths, score: Math.round(t.score * 10) / 10 };
      });
  }

  /** Vertices and edges, for benchmarks and tests. */
  size(): { vertices: number; edges: number } {
    return { vertices: this.vertices.length, edges: this.edges.length };
  }
}

function uniqueEvidence(list: readonly Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    if (seen.has(e.text)) return false;
    seen.add(e.text);
    return true;
  });
}

/**
 * Why a container can spoof the pod network: NET_RAW or NET_ADMIN added (not the runtime's
 * default NET_RAW, which every container would have), or the host network. Privileged
 * containers are left out: they are root on the node already.
 */
function spoofEvidence(c: ContainerTarget, w: WorkloadNode): Evidence | undefined {
  if (effectiveSetting(c, 'privileged')?.value === true) return undefined;
  const none = new Set<string>();
  const caps = ['NET_RAW', 'NET_ADMIN'].filter((cap) => hasCapability(c.container, cap, none));
  if (caps.length > 0) return { resource: w.resource, pointer: `${c.pointer}/securityContext/capabilities/add`, text: `capabilities.add: ${caps.join(', ')}` };
  if (w.hostNetwork) return { resource: w.resource, pointer: `${w.pod.pointer}/hostNetwork`, text: 'hostNetwork: true' };
  return undefined;
}

/** Legacy service account token Secrets (`kubernetes.io/service-account-token`), by namespace. */
function tokenSecretsByNamespace(inventory: Inventory): Map<string, { secret: Resource; serviceAccount: string }[]> {
  const out = new Map<string, { secret: Resource; serviceAccount: string }[]>();
  for (const r of inventory.ofKind('Secret')) {
    if (r.object.type !== 'kubernetes.io/service-account-token') continue;
    const meta = isObject(r.object.metadata) ? r.object.metadata : undefined;
    const sa = meta && isObject(meta.annotations) ? meta.annotations['kubernetes.io/service-account.name'] : undefined;
    const ns = inventory.namespaceOf(r);
    if (typeof sa !== 'string' || ns === undefined) continue;
    const list = out.get(ns) ?? [];
    list.push({ secret: r, serviceAccount: sa });
    out.set(ns, list);
  }
  return out;
}

function bindingName(row: WhoCanRow): string {
  return `${row.binding.namespace ? `${row.binding.namespace}/` : ''}${row.binding.name}`;
}

function subjectOfKey(key: string): Subject | undefined {
  if (key.startsWith('sa:')) {
    const [namespace, name] = key.slice(3).split('/');
    return namespace && name ? { kind: 'ServiceAccount', namespace, name } : undefined;
  }
  if (key.startsWith('user:')) return { kind: 'User', name: key.slice(5) };
  if (key.startsWith('group:')) return { kind: 'Group', name: key.slice(6) };
  return undefined;
}

/**
 * Orders paths: higher score first, then fewer hops, then entry and sink keys.
 *
 * @example
 * paths.sort(comparePaths);
 */
export function comparePaths(a: AttackPath, b: AttackPath): number {
  return b.score - a.score || a.hops.length - b.hops.length || a.entry.key.localeCompare(b.entry.key) || a.sink.key.localeCompare(b.sink.key);
}

/** A binary min-heap of (cost, hops, vertex), in parallel arrays so that a search allocates nothing per step. */
class MinHeap {
  #d: number[] = [];
  #h: number[] = [];
  #v: number[] = [];
  get size(): number {
    return this.#v.length;
  }
  get topCost(): number {
    return this.#d[0] as number;
  }
  get topHops(): number {
    return this.#h[0] as number;
  }
  clear(): void {
    this.#d = [];
    this.#h = [];
    this.#v = [];
  }
  #less(i: number, j: number): boolean {
    const a = this.#d[i] as number;
    const b = this.#d[j] as number;
    return a < b || (a === b && (this.#h[i] as number) < (this.#h[j] as number));
  }
  #swap(i: number, j: number): void {
    const d = this.#d[i] as number;
    this.#d[i] = this.#d[j] as number;
    this.#d[j] = d;
    const h = this.#h[i] as number;
    this.#h[i] = this.#h[j] as number;
    this.#h[j] = h;
    const v = this.#v[i] as number;
    this.#v[i] = this.#v[j] as number;
    this.#v[j] = v;
  }
  push(d: number, h: number, v: number): void {
    this.#d.push(d);
    this.#h.push(h);
    this.#v.push(v);
    let i = this.#v.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.#less(i, p)) break;
      this.#swap(i, p);
      i = p;
    }
  }
  /** Removes the top and returns its vertex (read topCost and topHops first). */
  pop(): number {
    const top = this.#v[0] as number;
    const last = this.#v.length - 1;
    this.#swap(0, last);
    this.#d.pop();
    this.#h.pop();
    this.#v.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.#v.length && this.#less(l, m)) m = l;
      if (r < this.#v.length && this.#less(r, m)) m = r;
      if (m === i) break;
      this.#swap(i, m);
      i = m;
    }
    return top;
  }
}

/**
 * Builds the attack graph from the RBAC and network models of an inventory. Pure.
 *
 * @example
 * const graph = buildAttackGraph(inventory, buildRbacModel(inventory), buildNetworkModel(inventory));
 */
export function buildAttackGraph(inventory: Inventory, rbac: RbacModel, network: NetworkModel, options: AttackGraphOptions = {}): AttackGraph {
  return new AttackGraph(inventory, rbac, network, options);
}
