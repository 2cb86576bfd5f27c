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
import { incomingEdges } from '../core/edge-index.js';
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

/** Every edge kind; an edge stores its kind's index. */
const EDGE_KINDS = Object.keys(EDGE_SPECS) as readonly EdgeKind[];
/** Each edge kind's index, for the edge columns and the numeric (target, kind) pairs of the edge check. */
const EDGE_KIND_INDEX = Object.fromEntries(EDGE_KINDS.map((k, i) => [k, i])) as Readonly<Record<EdgeKind, number>>;
const EDGE_KIND_COUNT = EDGE_KINDS.length;
/** Every vertex kind; a vertex stores its kind's index. */
const VERTEX_KINDS: readonly VertexKind[] = ['entry', 'workload', 'container', 'identity', 'pods', 'hub', 'sink'];
const VERTEX_KIND_INDEX = Object.fromEntries(VERTEX_KINDS.map((k, i) => [k, i])) as Readonly<Record<VertexKind, number>>;
const V_WORKLOAD = 1;
const V_CONTAINER = 2;
const V_IDENTITY = 3;
const V_SINK = 6;

/** The sensitive directory a host path is, lies in, or contains (`/` only as itself: everything lies in it). */
const touches = (path: string, dirs: readonly string[]): string | undefined =>
  dirs.find((d) => (d === '/' ? path === '/' : isUnder(path, d) || isUnder(d, path)));

/** The state of an {@link AttackGraph} while it is built. */
interface Building {
  readonly keys: Map<string, number>;
  readonly from: number[];
  readonly to: number[];
  readonly edgeKind: number[];
  readonly likelihood: number[];
  readonly aux: number[];
  readonly outCount: number[];
  readonly pairs: Map<number, Set<number>>;
  readonly tokenIdentity: Map<WorkloadIdentity, number>;
  identitiesByResource?: Map<number, WorkloadIdentity[]>;
}

/**
 * The attack graph of one scan.
 *
 * @example
 * const graph = buildAttackGraph(inventory, rbac, network);
 * graph.paths({ from: ['internet'], to: ['cluster-admin'] })[0]?.hops.map((h) => h.edge);
 */
export class AttackGraph {
  /** What the graph could not take into account (missing image data, unmodelled policies). */
  readonly notes: string[] = [];
  /*
   * Vertices and edges are columns, not objects: on a 100,000-object inventory the graph has
   * about 85,000 vertices and 205,000 edges, and an object per vertex or edge, with its key,
   * label and evidence as strings, came to about 100 MB. A vertex keeps what its key and label
   * are made of (the network model's workload, the container's name, the subject); the edges
   * that every container has (run in it, exec into it, spoof its traffic, steal its token) keep
   * no evidence: it is written from their ends when a path or {@link edge} reads it.
   */
  #vertexCount = 0;
  /** Per vertex: index in {@link VERTEX_KINDS} (an array while building). */
  #vKind: Uint8Array | number[] = [];
  /** Per vertex: 0, or 1 + index in {@link ENTRY_KINDS} (an array while building). */
  #vEntry: Uint8Array | number[] = [];
  /** Per vertex: workloads and containers their WorkloadNode, identities their Subject, the others their Vertex. */
  readonly #vData: unknown[] = [];
  /** Per container vertex: the container's name. */
  readonly #vName: (string | undefined)[] = [];
  #edgeCount = 0;
  #eFrom: Int32Array = new Int32Array(0);
  #eTo: Int32Array = new Int32Array(0);
  /** Per edge: index in {@link EDGE_KINDS}. */
  #eKind: Uint8Array = new Uint8Array(0);
  #eLikelihood: Float64Array = new Float64Array(0);
  /** Per edge: `run-in-container` the container's index in its pod, `token-theft` an index in `#tokenIdentities`. */
  #eAux: Int32Array = new Int32Array(0);
  /** Evidence of the edges whose evidence is not written from their ends. */
  readonly #evidence = new Map<number, readonly Evidence[]>();
  /** For `rbac-escalation` edges: the RBAC steps. */
  readonly #steps = new Map<number, readonly PathStep[]>();
  /** The workload identities whose token a `token-theft` edge steals. */
  readonly #tokenIdentities: WorkloadIdentity[] = [];
  /**
   * While building: vertices by key, the columns as arrays, each vertex's number of outgoing
   * edges, and per source vertex the (target, kind) pairs it has an edge for. Released once
   * built: the columns become typed arrays and the search reads the incoming edges from the
   * compact `#inStart`/`#inEdges` index.
   */
  #building: Building | undefined = {
    keys: new Map(),
    from: [],
    to: [],
    edgeKind: [],
    likelihood: [],
    aux: [],
    outCount: [],
    pairs: new Map(),
    tokenIdentity: new Map(),
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
  /** Workload resource index -> its own vertex (the pod entry). */
  readonly #podOf = new Map<number, number>();
  /** Workload resource index -> the internet entry vertices that reach it. */
  readonly #internetOf = new Map<number, number[]>();

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
    for (let v = 0; v < this.#vertexCount; v++)
      if (this.#vKind[v] === V_SINK && this.#inDegree(v) > 0) {
        const sink = (this.#vData[v] as Vertex).sink as SinkKind;
        const list = targets.get(sink) ?? [];
        list.push(v);
        targets.set(sink, list);
      }
    // Scratch arrays shared by every sink's search: only `next` is kept.
    const scratch = { dist: new Float64Array(this.#vertexCount), hops: new Int32Array(this.#vertexCount), heap: new MinHeap() };
    for (const kind of SINK_KINDS) {
      const list = targets.get(kind);
      if (list) this.#next.set(kind, this.#search(list, scratch));
    }
  }

  /* -------------------------------------------------------------------------- building */

  /** The id of the vertex with a key; `make` (see `#vData`) runs only when it is new. */
  #vertex(key: string, make: () => { kind: VertexKind; entry?: EntryKind | undefined; data: unknown; name?: string }): number {
    const building = this.#building as Building;
    let id = building.keys.get(key);
    if (id === undefined) {
      id = this.#vertexCount++;
      const made = make();
      building.keys.set(key, id);
      (this.#vKind as number[]).push(VERTEX_KIND_INDEX[made.kind]);
      (this.#vEntry as number[]).push(made.entry === undefined ? 0 : ENTRY_KINDS.indexOf(made.entry) + 1);
      building.outCount.push(0);
      this.#vData.push(made.data);
      this.#vName.push(made.name);
    }
    return id;
  }

  /** A vertex kept whole (sinks, hubs, pods, internet entries: a few per namespace or exposure). */
  #plainVertex(key: string, make: () => Omit<Vertex, 'id' | 'key'>): number {
    return this.#vertex(key, () => {
      const made = make();
      return { kind: made.kind, entry: made.entry, data: { id: this.#vertexCount - 1, key, ...made } };
    });
  }

  /** Whether a vertex has outgoing edges yet (while building). */
  #hasOut(v: number): boolean {
    return (this.#building?.outCount[v] ?? 0) > 0;
  }

  #inDegree(v: number): number {
    return (this.#inStart[v + 1] as number) - (this.#inStart[v] as number);
  }

  /** Packs the columns into typed arrays, indexes the incoming edges and releases the building state. */
  #index(): void {
    const building = this.#building;
    if (!building) return;
    const n = this.#vertexCount;
    this.#vKind = Uint8Array.from(this.#vKind);
    this.#vEntry = Uint8Array.from(this.#vEntry);
    this.#eFrom = Int32Array.from(building.from);
    this.#eTo = Int32Array.from(building.to);
    this.#eKind = Uint8Array.from(building.edgeKind);
    this.#eLikelihood = Float64Array.from(building.likelihood);
    this.#eAux = Int32Array.from(building.aux);
    // Incoming edges by target, each target's in edge id order.
    const { start, edges } = incomingEdges(this.#eTo, n);
    this.#inStart = start;
    this.#inEdges = edges;
    this.#building = undefined;
  }

  /** Adds an edge unless it loops or repeats a (from, to, kind) triple; its id, or -1. */
  #add(from: number, to: number, kind: EdgeKind, likelihood: number, aux: number): number {
    const building = this.#building;
    if (from === to || !building) return -1;
    // One edge per (from, to, kind): the first evidence found is enough to explain it. The
    // pair is a number (target x kinds + kind), not a string: no key is built per edge.
    const pair = to * EDGE_KIND_COUNT + EDGE_KIND_INDEX[kind];
    let pairs = building.pairs.get(from);
    if (pairs === undefined) {
      pairs = new Set();
      building.pairs.set(from, pairs);
    } else if (pairs.has(pair)) return -1;
    pairs.add(pair);
    const id = this.#edgeCount++;
    building.from.push(from);
    building.to.push(to);
    building.edgeKind.push(EDGE_KIND_INDEX[kind]);
    building.likelihood.push(likelihood);
    building.aux.push(aux);
    building.outCount[from] = (building.outCount[from] as number) + 1;
    return id;
  }

  #edge(from: number, to: number, kind: EdgeKind, evidence: readonly Evidence[], likelihood = EDGE_SPECS[kind].likelihood, steps?: readonly PathStep[]): void {
    const id = this.#add(from, to, kind, likelihood, -1);
    if (id < 0) return;
    this.#evidence.set(id, evidence.map(flatEvidence));
    if (steps) this.#steps.set(id, steps);
  }

  /** An edge whose evidence is written from its ends (and `aux`) when read: see {@link #evidenceOf}. */
  #derivedEdge(from: number, to: number, kind: EdgeKind, aux = -1): void {
    this.#add(from, to, kind, EDGE_SPECS[kind].likelihood, aux);
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
    return this.#plainVertex(key, () => ({ kind: 'sink', label, sink: kind, ...(namespace !== undefined ? { namespace } : {}) }));
  }

  #identity(subject: Subject): number {
    const external = subject.kind !== 'ServiceAccount' && (!subject.name.startsWith('system:') || EXTERNAL_SYSTEM.has(subject.name));
    return this.#vertex(formatSubject(subject), () => ({ kind: 'identity', entry: external ? 'identity' : undefined, data: subject }));
  }

  #build(): void {
    const containersOfWorkload = new Map<number, number[]>();
    const containersOfNamespace = new Map<string, number[]>();
    const metadata = this.#metadataNode();
    /** Containers that can spoof the pod network: (container, its workload, the evidence). */
    const spoofers: { cid: number; namespace: string; evidence: Evidence }[] = [];
    for (const w of this.network.workloads) {
      const wid = this.#vertex(`workload:${w.namespace}/${w.kind}/${w.name}`, () => ({ kind: 'workload', entry: 'pod', data: w }));
      this.#podOf.set(w.resource.index, wid);
      const targets = containersOf(w.pod);
      const ids: number[] = [];
      for (let ci = 0; ci < targets.length; ci++) {
        const c = targets[ci] as ContainerTarget;
        const cid = this.#vertex(`container:${w.namespace}/${w.kind}/${w.name}/${c.name}`, () => ({ kind: 'container', data: w, name: c.name }));
        ids.push(cid);
        // The evidence is written from the workload vertex when read, unless that vertex stands
        // for another workload of the same key (duplicate objects).
        if (this.#vData[wid] === w) this.#derivedEdge(wid, cid, 'run-in-container', ci);
        else this.#edge(wid, cid, 'run-in-container', [{ resource: w.resource, pointer: c.pointer, text: `${c.name} runs in every pod of the workload` }]);
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
      const hub = this.#plainVertex(`net:${s.namespace}`, () => ({
        kind: 'hub',
        label: `the pod network of namespace ${s.namespace}`,
        namespace: s.namespace,
      }));
      if (!this.#hasOut(hub)) for (const cid of containersOfNamespace.get(s.namespace) ?? []) this.#derivedEdge(hub, cid, 'spoofed-traffic');
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
    const building = this.#building as Building;
    if (!building.identitiesByResource) {
      building.identitiesByResource = new Map();
      for (const x of this.rbac.workloads()) {
        const list = building.identitiesByResource.get(x.resource.index) ?? [];
        list.push(x);
        building.identitiesByResource.set(x.resource.index, list);
      }
    }
    for (const identity of building.identitiesByResource.get(w.resource.index) ?? []) {
      if (!identity.tokenMounted) continue;
      const sa = this.#identity({ kind: 'ServiceAccount', namespace: identity.namespace, name: identity.serviceAccount });
      let token = building.tokenIdentity.get(identity);
      if (token === undefined) {
        token = this.#tokenIdentities.length;
        this.#tokenIdentities.push(identity);
        building.tokenIdentity.set(identity, token);
      }
      for (const cid of ids)
        if (this.#vData[cid] === w) this.#derivedEdge(cid, sa, 'token-theft', token);
        else
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
      const eid = this.#plainVertex(`entry:${x.via}:${x.entry.index}:${w.namespace}/${w.kind}/${w.name}`, () => ({
        kind: 'entry',
        label:
          x.via === 'hostNetwork' || x.via === 'hostPort'
            ? `internet via ${x.via} of ${w.kind} ${w.namespace}/${w.name}`
            : `internet via ${x.entry.ref.kind} ${x.entry.ref.namespace ? `${x.entry.ref.namespace}/` : ''}${x.entry.ref.name} to ${w.kind} ${w.namespace}/${w.name}`,
        namespace: x.entry.ref.namespace ?? w.namespace,
        resource: x.entry,
        entry: 'internet',
      }));
      if (this.#podOf.has(w.resource.index)) {
        const list = this.#internetOf.get(w.resource.index);
        if (list) list.push(eid);
        else this.#internetOf.set(w.resource.index, [eid]);
      }
      for (const c of this.#exposedContainers(x)) {
        const cid = this.#building?.keys.get(`container:${w.namespace}/${w.kind}/${w.name}/${c}`);
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
        const hub = this.#plainVertex(`tokens:${ns}`, () => ({ kind: 'hub', label: `the service account token Secrets of namespace ${ns}`, namespace: ns }));
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
        const pods = this.#plainVertex(`pods:${scope}`, () => ({
          kind: 'pods',
          label: scope === '*' ? 'the running pods of every namespace' : `the running pods of namespace ${scope}`,
          ...(scope === '*' ? {} : { namespace: scope }),
        }));
        if (!this.#hasOut(pods))
          for (const cid of scope === '*' ? allContainers : (containersOfNamespace.get(scope) ?? [])) this.#derivedEdge(pods, cid, 'exec-into-container');
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
    for (const v of this.#identityVertices()) {
      if (!v.key.startsWith('sa:') || v.namespace === undefined) continue;
      for (const g of ['system:serviceaccounts', `system:serviceaccounts:${v.namespace}`, 'system:authenticated']) {
        const gid = this.#building?.keys.get(`group:${g}`);
        if (gid !== undefined)
          this.#edge(v.id, gid, 'rbac-escalation', [{ text: `ServiceAccount ${v.label.slice('ServiceAccount '.length)} is a member of group ${g}` }], 1, [
            { kind: 'member', from: v.key, action: `is a member of group ${g}`, to: `group:${g}`, evidence: [] },
          ]);
      }
    }
    // Federated service accounts: the token is exchanged for cloud credentials.
    for (const v of this.#identityVertices()) {
      const subject = subjectOfKey(v.key);
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
    for (const v of this.#identityVertices()) {
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

  /** The identity vertices there are now (not those added while the caller loops), one at a time. */
  *#identityVertices(): Generator<Vertex> {
    const kinds = this.#vKind;
    for (let v = 0, n = this.#vertexCount; v < n; v++) if (kinds[v] === V_IDENTITY) yield this.vertex(v);
  }

  /** Whether Pod Security admission forbids privileged pods in a namespace (enforce baseline or restricted). */
  #psaEnforced(ns: string): boolean {
    const level = this.network.namespaceLabels.get(ns)?.['pod-security.kubernetes.io/enforce'];
    return level === 'baseline' || level === 'restricted';
  }

  /* -------------------------------------------------------------------------- search */

  /** Dijkstra backwards from the sinks of one kind on -ln(likelihood); ties go to fewer hops, then lower edge id. */
  #search(sinks: readonly number[], scratch: { dist: Float64Array; hops: Int32Array; heap: MinHeap }): Int32Array {
    const n = this.#vertexCount;
    const dist = scratch.dist.fill(Number.POSITIVE_INFINITY);
    const hops = scratch.hops.fill(0);
    const next = new Int32Array(n).fill(-1);
    const heap = scratch.heap;
    heap.clear();
    for (const sink of sinks) {
      dist[sink] = 0;
      heap.push(0, 0, sink);
    }
    const inStart = this.#inStart;
    const inEdges = this.#inEdges;
    const from = this.#eFrom;
    const likelihood = this.#eLikelihood;
    const kinds = this.#vKind;
    while (heap.size > 0) {
      const d = heap.topCost;
      const h = heap.topHops;
      const v = heap.pop();
      if (d > (dist[v] as number) || (d === dist[v] && h > (hops[v] as number))) continue;
      for (let i = inStart[v] as number, end = inStart[v + 1] as number; i < end; i++) {
        const e = inEdges[i] as number;
        const u = from[e] as number;
        // A path never runs through another sink: reaching one ends it.
        if (kinds[u] === V_SINK) continue;
        const nd = d - Math.log(likelihood[e] as number);
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
    while (this.#vKind[at] !== V_SINK && edges.length <= this.#vertexCount) {
      const e = next[at] as number;
      if (e < 0) return undefined;
      edges.push(e);
      at = this.#eTo[e] as number;
    }
    return { edges, sink: this.vertex(at) };
  }

  /* ------------------------------------------------------------------- reading the graph */

  /**
   * One vertex, made when asked for (the graph keeps what its key and label are written from).
   *
   * @example
   * graph.vertex(graph.paths()[0]?.edges[0] ?? 0).label;
   */
  vertex(id: number): Vertex {
    const data = this.#vData[id];
    switch (this.#vKind[id]) {
      case V_WORKLOAD: {
        const w = data as WorkloadNode;
        return { id, key: this.#key(id), kind: 'workload', label: this.#label(id), namespace: w.namespace, resource: w.resource, entry: 'pod' };
      }
      case V_CONTAINER: {
        const w = data as WorkloadNode;
        return { id, key: this.#key(id), kind: 'container', label: this.#label(id), namespace: w.namespace, resource: w.resource };
      }
      case V_IDENTITY: {
        const subject = data as Subject;
        return {
          id,
          key: this.#key(id),
          kind: 'identity',
          label: this.#label(id),
          ...(subject.kind === 'ServiceAccount' ? { namespace: subject.namespace } : {}),
          ...(this.#vEntry[id] ? { entry: 'identity' as const } : {}),
        };
      }
      default:
        return data as Vertex;
    }
  }

  /** A vertex's key (see {@link Vertex.key}). */
  #key(v: number): string {
    const data = this.#vData[v];
    switch (this.#vKind[v]) {
      case V_WORKLOAD: {
        const w = data as WorkloadNode;
        return `workload:${w.namespace}/${w.kind}/${w.name}`;
      }
      case V_CONTAINER: {
        const w = data as WorkloadNode;
        return `container:${w.namespace}/${w.kind}/${w.name}/${this.#vName[v]}`;
      }
      case V_IDENTITY:
        return formatSubject(data as Subject);
      default:
        return (data as Vertex).key;
    }
  }

  /** A vertex's label (see {@link Vertex.label}). */
  #label(v: number): string {
    const data = this.#vData[v];
    switch (this.#vKind[v]) {
      case V_WORKLOAD: {
        const w = data as WorkloadNode;
        return `${w.kind} ${w.namespace}/${w.name}`;
      }
      case V_CONTAINER: {
        const w = data as WorkloadNode;
        return `container ${this.#vName[v]} of ${w.kind} ${w.namespace}/${w.name}`;
      }
      case V_IDENTITY: {
        const subject = data as Subject;
        return subject.kind === 'ServiceAccount' ? `ServiceAccount ${subject.namespace}/${subject.name}` : `${subject.kind} ${subject.name}`;
      }
      default:
        return (data as Vertex).label;
    }
  }

  /**
   * One edge, made when asked for, with its evidence.
   *
   * @example
   * graph.edge(graph.paths()[0]?.edges[0] ?? 0).evidence[0]?.text;
   */
  edge(id: number): GraphEdge {
    const steps = this.#steps.get(id);
    return {
      from: this.#eFrom[id] as number,
      to: this.#eTo[id] as number,
      kind: EDGE_KINDS[this.#eKind[id] as number] as EdgeKind,
      likelihood: this.#eLikelihood[id] as number,
      evidence: this.#evidenceOf(id),
      ...(steps ? { steps } : {}),
    };
  }

  /**
   * Every edge, in id order: for tests and small graphs (it makes an object per edge).
   *
   * @example
   * graph.allEdges().filter((e) => e.kind === 'token-theft').length;
   */
  allEdges(): GraphEdge[] {
    const out: GraphEdge[] = [];
    for (let e = 0; e < this.#edgeCount; e++) out.push(this.edge(e));
    return out;
  }

  /** The evidence of an edge: kept, or written from its ends as {@link #build} would have. */
  #evidenceOf(e: number): readonly Evidence[] {
    const kept = this.#evidence.get(e);
    if (kept) return kept;
    const kind = EDGE_KINDS[this.#eKind[e] as number];
    const from = this.#eFrom[e] as number;
    const to = this.#eTo[e] as number;
    switch (kind) {
      case 'exec-into-container':
        return [{ text: `kubectl exec into ${this.#label(to)}` }];
      case 'spoofed-traffic':
        return [{ text: `the traffic of ${this.#label(to)} crosses the pod network` }];
      case 'run-in-container': {
        const w = this.#vData[from] as WorkloadNode;
        const c = containersOf(w.pod)[this.#eAux[e] as number] as ContainerTarget;
        return [{ resource: w.resource, pointer: c.pointer, text: `${c.name} runs in every pod of the workload` }];
      }
      case 'token-theft': {
        const w = this.#vData[from] as WorkloadNode;
        const identity = this.#tokenIdentities[this.#eAux[e] as number] as WorkloadIdentity;
        return [
          {
            resource: w.resource,
            pointer: `${identity.podPointer}/serviceAccountName`,
            text: `the pod mounts the token of ServiceAccount ${identity.namespace}/${identity.serviceAccount}`,
          },
        ];
      }
      default:
        return [];
    }
  }

  #hops(edges: readonly number[]): Hop[] {
    const out: Hop[] = [];
    for (const e of edges) {
      const from = this.#label(this.#eFrom[e] as number);
      const to = this.#label(this.#eTo[e] as number);
      const steps = this.#steps.get(e);
      if (steps) {
        const graph = escalationPathsOf(this.rbac);
        steps.forEach((s, i) => {
          const t = rbacStepTechniques(s.kind);
          out.push({
            from: i === 0 ? from : graph.label(s.from),
            to: i === steps.length - 1 ? to : graph.label(s.to),
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
      const kind = EDGE_KINDS[this.#eKind[e] as number] as EdgeKind;
      const spec = EDGE_SPECS[kind];
      out.push({ from, to, edge: kind, mitre: spec.mitre, ms: spec.ms, explanation: spec.explanation, evidence: this.#evidenceOf(e) });
    }
    return out;
  }

  #path(entry: Vertex, entryKind: EntryKind, sink: Vertex, edges: readonly number[]): AttackPath {
    let likelihood = ENTRY_LIKELIHOOD[entryKind];
    for (const e of edges) likelihood *= this.#eLikelihood[e] as number;
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
    for (let id = 0; id < this.#vertexCount; id++) {
      const entry = this.#vEntry[id] as number;
      if (entry === 0 || !from.has(ENTRY_KINDS[entry - 1] as EntryKind)) continue;
      let v: Vertex | undefined;
      for (const kind of kinds) {
        const route = this.#route(id, kind);
        if (!route || (query.maxHops !== undefined && route.edges.length > query.maxHops)) continue;
        v ??= this.vertex(id);
        out.push(this.#path(v, v.entry as EntryKind, route.sink, route.edges));
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
    const usage = new Int32Array(this.#edgeCount);
    const eTo = this.#eTo;
    const cands: { v: Vertex; kind: SinkKind; score: number; hops: number; sink: number; first: number; edges: number }[] = [];
    for (let id = 0; id < this.#vertexCount; id++) {
      const entry = this.#vEntry[id] as number;
      if (entry === 0 || !from.has(ENTRY_KINDS[entry - 1] as EntryKind)) continue;
      let v: Vertex | undefined;
      for (const [kind, next] of kinds) {
        if (next[id] === -1) continue;
        let likelihood = ENTRY_LIKELIHOOD[ENTRY_KINDS[entry - 1] as EntryKind];
        let hops = 0;
        let edges = 0;
        let at = id;
        let first = -1;
        while (this.#vKind[at] !== V_SINK && edges <= this.#vertexCount) {
          const e = next[at] as number;
          if (first < 0) first = eTo[e] as number;
          likelihood *= this.#eLikelihood[e] as number;
          hops += this.#steps.get(e)?.length ?? 1;
          edges++;
          at = eTo[e] as number;
        }
        if (query.maxHops !== undefined && hops > query.maxHops) continue;
        const score = Math.round(likelihood * SINK_IMPACT[kind] * 10) / 10;
        v ??= this.vertex(id);
        cands.push({ v, kind, score, hops, sink: at, first, edges });
        for (let u = id, n = 0; n < edges; n++) {
          const e = next[u] as number;
          usage[e] = (usage[e] as number) + 1;
          u = eTo[e] as number;
        }
      }
    }
    cands.sort((a, b) => b.score - a.score || a.hops - b.hops || a.v.key.localeCompare(b.v.key) || this.#key(a.sink).localeCompare(this.#key(b.sink)));
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
    const pod = this.#podOf.get(resource.index);
    const result = { internet: [] as AttackPath[], pod: [] as AttackPath[] };
    if (pod === undefined) return result;
    const add = (list: AttackPath[], vid: number, kind: EntryKind) => {
      const v = this.vertex(vid);
      for (const sinkKind of this.#next.keys()) {
        const route = this.#route(vid, sinkKind);
        if (route) list.push(this.#path(v, kind, route.sink, route.edges));
      }
      list.sort(comparePaths);
    };
    for (const e of this.#internetOf.get(resource.index) ?? []) add(result.internet, e, 'internet');
    add(result.pod, pod, 'pod');
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
      .filter(([e]) => EDGE_KINDS[this.#eKind[e] as number] !== 'run-in-container')
      .sort((a, b) => b[1].paths - a[1].paths || b[1].score - a[1].score || a[0] - b[0])
      .slice(0, limit)
      .map(([e, t]) => {
        const edge = this.edge(e);
        return { edge, from: this.vertex(edge.from), to: this.vertex(edge.to), paths: t.paths, score: Math.round(t.score * 10) / 10 };
      });
  }

  /** Vertices and edges, for benchmarks and tests. */
  size(): { vertices: number; edges: number } {
    return { vertices: this.#vertexCount, edges: this.#edgeCount };
  }
}

/**
 * A copy of a string in one piece. Evidence texts are template literals of up to a dozen
 * parts, which V8 keeps as a tree of 32-byte pieces; JSON.parse writes its strings afresh.
 */
function flat(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

/** Evidence kept by the graph, its strings in one piece each (the same keys in the same order). */
function flatEvidence(e: Evidence): Evidence {
  return { ...e, text: flat(e.text), ...(e.pointer !== undefined ? { pointer: flat(e.pointer) } : {}) };
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
