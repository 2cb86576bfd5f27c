/**
 * The network model: workloads (one node per pod template, whatever its replica count),
 * namespaces with their labels, the compiled policy tiers, and the external address ranges
 * the policies distinguish. It answers reachability between any two endpoints with the
 * policies that decide it, and the full matrix by grouping workloads into equivalence classes:
 * workloads that every selector of every policy treats alike (and whose named ports resolve
 * alike) share one row and one column, so the matrix costs classes², not workloads².
 *
 * Semantics: https://kubernetes.io/docs/concepts/services-networking/network-policies/ ;
 * admin tiers: https://network-policy-api.sigs.k8s.io/api-overview/ (AdminNetworkPolicy by
 * priority, then NetworkPolicy, then BaselineAdminNetworkPolicy; Pass skips to NetworkPolicy).
 * Policies see pod IPs and container ports; `ipBlock` is taken to match only addresses outside
 * the cluster (whether it matches pod IPs, before or after SNAT, depends on the CNI).
 */
import type { Inventory } from '../core/inventory.js';
import { isObject } from '../core/object.js';
import type { Resource } from '../core/types.js';
import { containersOf, type PodSpecTarget, podSpecsOf } from '../core/workloads.js';
import {
  ALL_CONNS,
  type ConnSet,
  connsOf,
  intersect,
  isEmpty,
  NO_CONNS,
  overlaps,
  type Protocol,
  parseProtocol,
  protocolConns,
  subtract,
  union,
} from './conn.js';
import { type Exposure, exposuresOf } from './exposure.js';
import { type Family, formatRange, type IpRange, rangeContains, rangesOverlap, splitSpace } from './ip.js';
import {
  compileAdminPolicy,
  compileNetworkPolicy,
  type Direction,
  type PeerIds,
  type Peer,
  type Policy,
  type PodPeer,
  type Rule,
  type Tier,
} from './policies.js';
import { type LabelSelector, labelsMatch } from './selectors.js';

/** The label every namespace carries with its own name (Kubernetes 1.22+). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Policy kinds of CNIs whose semantics (deny rules, L7, FQDN) this model does not evaluate. */
export const UNMODELLED_POLICY_KINDS: readonly string[] = [
  'CiliumNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
  'GlobalNetworkPolicy',
  'ClusterNetworkPolicy',
];

/** Kinds the model reads besides workloads. */
export const NETWORK_KINDS: readonly string[] = [
  'Namespace',
  'NetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'Service',
  'Ingress',
  'Gateway',
  'HTTPRoute',
  'GRPCRoute',
  'TLSRoute',
  'TCPRoute',
  'UDPRoute',
  ...UNMODELLED_POLICY_KINDS,
];

/** A declared container port. */
export interface ContainerPort {
  readonly container: string;
  readonly name?: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly hostPort?: number;
}

/** One workload: a pod template (or a Pod no controller in the inventory owns). */
export interface WorkloadNode {
  /** Index in {@link NetworkModel.workloads}. */
  readonly id: number;
  readonly namespace: string;
  readonly name: string;
  readonly kind: string;
  readonly resource: Resource;
  readonly pod: PodSpecTarget;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly ContainerPort[];
  readonly hostNetwork: boolean;
  /** Index of the equivalence class. */
  readonly classId: number;
}

/** A range of addresses outside the cluster that every policy treats alike. */
export interface ExternalNode {
  /** Index in {@link NetworkModel.externals}. */
  readonly id: number;
  readonly range: IpRange;
  /** `A.B.C.D-E.F.G.H`. */
  readonly text: string;
}

/** Either side of a connection. */
export type Endpoint = { readonly kind: 'workload'; readonly node: WorkloadNode } | { readonly kind: 'external'; readonly node: ExternalNode };

/**
 * A pod as a policy sees it: its namespace (and that namespace's labels), its labels and its
 * ports. Workloads are pod targets; so is a hypothetical pod (a representative peer).
 */
export interface PodTarget {
  readonly kind: 'pod';
  readonly namespace: string;
  readonly namespaceLabels: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly ContainerPort[];
  /** A pod on the node's network: policies do not govern its traffic. */
  readonly hostNetwork?: boolean;
}

/** A peer a rule can match: a pod, or an address range outside the cluster. */
export type PeerTarget = PodTarget | { readonly kind: 'ip'; readonly range: IpRange };

/** One step of a verdict: which policy rule allowed, denied or passed which connections. */
export interface Decision {
  readonly tier: Tier | 'default';
  /** The policy (`ns/name` or the admin policy's name); absent for the default. */
  readonly policy?: string;
  readonly resource?: Resource;
  /** The rule (`ingress[0]`, or an admin rule's name); absent for isolation and defaults. */
  readonly rule?: string;
  /** `isolate`: the policy selects the pod for this direction, so what no rule allows is denied. */
  readonly effect: 'allow' | 'deny' | 'pass' | 'isolate';
  readonly conns: ConnSet;
}

/** The verdict of one direction (the source's egress, or the destination's ingress). */
export interface DirectionVerdict {
  readonly allowed: ConnSet;
  /** True when a NetworkPolicy selects the pod for this direction. */
  readonly isolated: boolean;
  readonly decisions: readonly Decision[];
  /** Why no policy applies, when that is not the default (a host-network pod). */
  readonly note?: string;
}

/** Reachability from one endpoint to another with the policies that decide it. */
export interface Reachability {
  /** Connections both the egress and the ingress side allow. */
  readonly allowed: ConnSet;
  /** Absent when the source is outside the cluster (nothing governs its egress). */
  readonly egress?: DirectionVerdict;
  /** Absent when the destination is outside the cluster. */
  readonly ingress?: DirectionVerdict;
}

/** One allowed connection of the matrix. */
export interface Connection {
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly conns: ConnSet;
}

/** The matrix over equivalence classes, expanded to workloads on demand. */
export interface Matrix {
  /** Workloads in the matrix (all, or those of the chosen namespaces). */
  readonly workloads: readonly WorkloadNode[];
  readonly externals: readonly ExternalNode[];
  /** Allowed connections between workloads and external ranges; self-connections excluded. */
  connections(): Iterable<Connection>;
  /** Number of allowed (source, destination) pairs, counted without expanding them. */
  readonly pairCount: number;
  /** Number of equivalence classes the matrix was computed on. */
  readonly classCount: number;
}

/** Something the model read but could not evaluate, or a policy it could not compile. */
export interface ModelWarning {
  readonly resource: Resource;
  readonly message: string;
}

/** Options of {@link NetworkModel.matrix}. */
export interface MatrixOptions {
  /** Only workloads of these namespaces (external nodes are always included). */
  readonly namespaces?: readonly string[];
}

/** Whether a direction's default (no policy at all) or a table of per-endpoint verdicts applies. */
interface DirectionTable {
  /** Connections allowed to every endpoint not in `per`. */
  readonly fallback: ConnSet;
  readonly per: Map<number, ConnSet>;
  /** Every endpoint's verdict, when the ordered tiers computed them all (wins over `per`). */
  readonly all?: readonly ConnSet[];
}

/** A table's verdict for one endpoint (a class, or `classes + external id`). */
function tableAt(t: DirectionTable, e: number): ConnSet {
  return t.all ? (t.all[e] as ConnSet) : (t.per.get(e) ?? t.fallback);
}

const kindOrder = (a: Policy, b: Policy): number => a.priority - b.priority || a.label.localeCompare(b.label);

function stringLabels(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObject(v))
    for (const [k, val] of Object.entries(v)) if (typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
  return out;
}

function portsOf(pod: PodSpecTarget): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const c of containersOf(pod)) {
    if (c.list === 'initContainers' && c.container.restartPolicy !== 'Always') continue;
    if (!Array.isArray(c.container.ports)) continue;
    for (const p of c.container.ports) {
      if (!isObject(p)) continue;
      const port = Number(p.containerPort);
      const protocol = parseProtocol(p.protocol);
      if (!Number.isInteger(port) || port < 1 || port > 65535 || !protocol) continue;
      const hostPort = Number(p.hostPort);
      out.push({
        container: c.name,
        ...(typeof p.name === 'string' && p.name !== '' ? { name: p.name } : {}),
        port,
        protocol,
        ...(Number.isInteger(hostPort) && hostPort > 0 ? { hostPort } : {}),
      });
    }
  }
  return out;
}

/**
 * The network model of one inventory. Pure; build it with {@link buildNetworkModel}.
 *
 * @example
 * const model = buildNetworkModel(inventory);
 * const web = model.workload('shop', 'web')!;
 * const db = model.workload('shop', 'db')!;
 * formatConns(model.reach({ kind: 'workload', node: web }, { kind: 'workload', node: db }).allowed); // 'TCP 5432'
 */
export class NetworkModel {
  readonly workloads: readonly WorkloadNode[];
  readonly externals: readonly ExternalNode[];
  /** Every policy of the three tiers that compiled. */
  readonly policies: readonly Policy[];
  readonly warnings: readonly ModelWarning[];
  /** Namespaces (declared or used) with their labels, `kubernetes.io/metadata.name` included. */
  readonly namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** Namespaces holding a policy kind the model does not evaluate (CNI-specific). */
  readonly unmodelledNamespaces: ReadonlySet<string>;
  /** True when a cluster-wide CNI policy kind is present: every verdict may differ. */
  readonly clusterWideUnmodelled: boolean;

  readonly #byNamespace = new Map<string, WorkloadNode[]>();
  readonly #byResource = new Map<number, WorkloadNode>();
  readonly #np = new Map<string, Policy[]>();
  readonly #admin: Policy[];
  readonly #baseline: Policy | undefined;
  /** Representative workload of each class, and its members. */
  readonly #classes: { rep: WorkloadNode; members: WorkloadNode[] }[] = [];
  /** Peer id -> classes it matches (pod peers) or external ids (ip peers). */
  readonly #peerClasses = new Map<number, number[]>();

  readonly #inventory: Inventory;
  #exposures: Exposure[] | undefined;
  #exposuresByWorkload: Map<WorkloadNode, Exposure[]> | undefined;
  /** Pod selectors already resolved to workloads, by what decides the match (see {@link selectorKey}). */
  readonly #matching = new Map<string, { id: number; workloads: WorkloadNode[] }>();
  /** Pod peer id -> the id of the first peer with the same selectors (their matches are the same). */
  readonly #canonicalPeer = new Map<number, number>();
  readonly #policiesByClass: ({ ingress: Policy[]; egress: Policy[] } | undefined)[] = [];
  /** Direction tables computed so far, per class: index `2 * class` (ingress) and `2 * class + 1` (egress). */
  readonly #tables: (DirectionTable | undefined)[] = [];

  constructor(inventory: Inventory) {
    this.#inventory = inventory;
    const warnings: ModelWarning[] = [];
    const nsLabels = new Map<string, Record<string, string>>();
    for (const ns of inventory.ofKind('Namespace')) {
      const meta = isObject(ns.object.metadata) ? ns.object.metadata : {};
      nsLabels.set(ns.ref.name, { ...stringLabels(meta.labels), [NAMESPACE_NAME_LABEL]: ns.ref.name });
    }
    const nsOf = (name: string): Record<string, string> => {
      let l = nsLabels.get(name);
      if (!l) {
        l = { [NAMESPACE_NAME_LABEL]: name };
        nsLabels.set(name, l);
      }
      return l;
    };

    const workloads: WorkloadNode[] = [];
    for (const resource of inventory.all) {
      if (resource.ref.kind === 'PodTemplate') continue;
      const pods = podSpecsOf(resource);
      if (pods.length === 0 || inventory.workloadOwnerOf(resource)) continue;
      const pod = pods[0] as PodSpecTarget;
      const namespace = resource.ref.namespace ?? 'default';
      nsOf(namespace);
      const node = {
        id: workloads.length,
        namespace,
        name: resource.ref.name,
        kind: resource.ref.kind,
        resource,
        pod,
        labels: stringLabels(pod.metadata.labels),
        ports: portsOf(pod),
        hostNetwork: pod.spec.hostNetwork === true,
        classId: -1,
      };
      workloads.push(node);
      this.#byResource.set(resource.index, node);
      let list = this.#byNamespace.get(namespace);
      if (!list) {
        list = [];
        this.#byNamespace.set(namespace, list);
      }
      list.push(node);
    }

    const ids: PeerIds = { next: 0 };
    const policies: Policy[] = [];
    const compile = (r: Resource, f: (r: Resource, ids: PeerIds) => Policy): void => {
      try {
        const p = f(r, ids);
        policies.push(p);
        for (const u of p.unmodelled) warnings.push({ resource: r, message: `${r.ref.kind} ${p.label}: ${u} are not modelled` });
      } catch (err) {
        warnings.push({
          resource: r,
          message: `${r.ref.kind} ${r.ref.namespace ? `${r.ref.namespace}/` : ''}${r.ref.name} is ignored: ${err instanceof Error ? err.message : String(err)}`,
        });
      }
    };
    for (const r of inventory.ofKind('NetworkPolicy')) if (r.ref.apiVersion === 'networking.k8s.io/v1') compile(r, compileNetworkPolicy);
    for (const r of inventory.ofKind('AdminNetworkPolicy')) compile(r, compileAdminPolicy);
    const baselines = inventory.ofKind('BaselineAdminNetworkPolicy');
    for (const r of baselines) {
      // The API admits one BaselineAdminNetworkPolicy, named "default".
      if (r.ref.name !== 'default')
        warnings.push({ resource: r, message: `BaselineAdminNetworkPolicy ${r.ref.name} is ignored: only the one named "default" takes effect` });
      else compile(r, compileAdminPolicy);
    }
    for (const p of policies) nsOf(p.namespace ?? 'default');
    this.policies = policies;
    for (const p of policies) {
      if (p.tier !== 'NetworkPolicy') continue;
      const ns = p.namespace as string;
      let list = this.#np.get(ns);
      if (!list) {
        list = [];
        this.#np.set(ns, list);
      }
      list.push(p);
    }
    this.#admin = policies.filter((p) => p.tier === 'AdminNetworkPolicy').sort(kindOrder);
    this.#baseline = policies.find((p) => p.tier === 'BaselineAdminNetworkPolicy');

    const unmodelled = new Set<string>();
    let clusterWide = false;
    for (const kind of UNMODELLED_POLICY_KINDS)
      for (const r of inventory.ofKind(kind)) {
        if (r.ref.namespace) unmodelled.add(r.ref.namespace);
        else clusterWide = true;
        warnings.push({
          resource: r,
          message: `${kind} ${r.ref.namespace ? `${r.ref.namespace}/` : ''}${r.ref.name} is not modelled: verdicts for the pods it selects may differ`,
        });
      }
    this.unmodelledNamespaces = unmodelled;
    this.clusterWideUnmodelled = clusterWide;
    this.namespaceLabels = nsLabels;
    this.warnings = warnings;

    // External nodes: the address space split at every CIDR boundary any policy names.
    const cidrs: IpRange[] = [];
    for (const p of policies)
      for (const rules of [p.ingress, p.egress])
        for (const r of rules ?? []) if (r.peers !== 'all') for (const peer of r.peers) if (peer.kind === 'ip') cidrs.push(peer.cidr, ...peer.except);
    const families: Family[] = [4, 6];
    this.externals = splitSpace(cidrs, families).map((range, id) => ({ id, range, text: formatRange(range) }));

    // Equivalence classes: the set of selectors (policy subjects, pod peers) a workload
    // matches, with the resolution of every port name the policies use.
    const matched: number[][] = workloads.map(() => []);
    const subjectKey = (p: number): number => -1 - p;
    // Peers with the same selectors match the same workloads: only the first of them goes into
    // the class keys (a selector repeated by the policies of many namespaces, such as
    // `namespaceSelector: {}` with a pod selector, would otherwise lengthen every key it matches).
    policies.forEach((p, i) => {
      for (const w of this.#podsMatching(p.subject)) matched[w.id]?.push(subjectKey(i));
      for (const rules of [p.ingress, p.egress])
        for (const r of rules ?? [])
          if (r.peers !== 'all')
            for (const peer of r.peers)
              if (peer.kind === 'pods') {
                const key = selectorKey(peer);
                const known = this.#matching.get(key);
                if (known !== undefined && known.id >= 0) {
                  this.#canonicalPeer.set(peer.id, known.id);
                  continue;
                }
                const workloads = this.#podsMatching(peer);
                (this.#matching.get(key) as { id: number }).id = peer.id;
                for (const w of workloads) matched[w.id]?.push(peer.id);
              }
    });
    const portNames = new Set<string>();
    for (const p of policies)
      for (const rules of [p.ingress, p.egress])
        for (const r of rules ?? []) if (r.ports !== 'all') for (const s of r.ports) if (s.kind === 'named') portNames.add(s.name);
    const classByKey = new Map<string, number>();
    for (const w of workloads) {
      const named = w.ports.filter((p) => p.name !== undefined && portNames.has(p.name)).map((p) => `${p.name}/${p.protocol}=${p.port}`);
      const key = `${(matched[w.id] as number[]).join(',')}|${named.sort().join(',')}|${w.hostNetwork ? 'h' : ''}`;
      let c = classByKey.get(key);
      if (c === undefined) {
        c = this.#classes.length;
        classByKey.set(key, c);
        this.#classes.push({ rep: w, members: [] });
        for (const id of matched[w.id] as number[]) {
          if (id < 0) continue;
          let list = this.#peerClasses.get(id);
          if (!list) {
            list = [];
            this.#peerClasses.set(id, list);
          }
          list.push(c);
        }
      }
      (w as { classId: number }).classId = c;
      this.#classes[c]?.members.push(w);
    }
    for (const p of policies)
      for (const rules of [p.ingress, p.egress])
        for (const r of rules ?? [])
          if (r.peers !== 'all')
            for (const peer of r.peers)
              if (peer.kind === 'ip')
                this.#peerClasses.set(
                  peer.id,
                  this.externals.filter((e) => ipPeerMatches(peer, e.range)).map((e) => e.id),
                );
    this.workloads = workloads;
  }

  /**
   * Every way in from outside the cluster (Services, Ingresses, Gateway routes, host network
   * and host ports), with the path and the NetworkPolicy verdict; computed once.
   */
  exposures(): readonly Exposure[] {
    this.#exposures ??= exposuresOf(this, this.#inventory);
    return this.#exposures;
  }

  /** The exposures of one workload, in the order of {@link exposures}. */
  exposuresOf(w: WorkloadNode): readonly Exposure[] {
    if (!this.#exposuresByWorkload) {
      const by = new Map<WorkloadNode, Exposure[]>();
      for (const e of this.exposures()) {
        const list = by.get(e.workload);
        if (list) list.push(e);
        else by.set(e.workload, [e]);
      }
      this.#exposuresByWorkload = by;
    }
    return this.#exposuresByWorkload.get(w) ?? [];
  }

  /** One workload of each equivalence class (every workload of a class gets the same verdicts). */
  representatives(): readonly WorkloadNode[] {
    return this.#classes.map((c) => c.rep);
  }

  /** The workloads of a namespace. */
  inNamespace(namespace: string): readonly WorkloadNode[] {
    return this.#byNamespace.get(namespace) ?? [];
  }

  /** The workload of a resource (a Deployment, a Pod no controller owns), if it is one. */
  workloadOf(resource: Resource): WorkloadNode | undefined {
    return this.#byResource.get(resource.index);
  }

  /**
   * Finds a workload by namespace and name, optionally kind (case-insensitive): undefined when
   * none, and every candidate when the name is ambiguous.
   */
  findWorkloads(namespace: string, name: string, kind?: string): WorkloadNode[] {
    return this.inNamespace(namespace).filter((w) => w.name === name && (kind === undefined || w.kind.toLowerCase() === kind.toLowerCase()));
  }

  /** The external node that holds an address or range, when one node holds it whole. */
  externalFor(range: IpRange): ExternalNode | undefined {
    return this.externals.find((e) => rangeContains(e.range, range));
  }

  /** The policies that select a workload, per direction, in evaluation order. */
  policiesFor(w: WorkloadNode | PodTarget): { ingress: Policy[]; egress: Policy[] } {
    if (!('namespaceLabels' in w)) {
      // The policies that select a workload are part of its class's key: one answer per class.
      let known = this.#policiesByClass[w.classId];
      if (!known) {
        known = this.#policiesOf(this.targetOf(w));
        this.#policiesByClass[w.classId] = known;
      }
      return { ingress: [...known.ingress], egress: [...known.egress] };
    }
    return this.#policiesOf(w);
  }

  /**
   * Whether a NetworkPolicy selects the workload for a direction (what {@link reach} reports as
   * `isolated`), answered from its class.
   */
  isolated(w: WorkloadNode, dir: Direction): boolean {
    return !w.hostNetwork && this.policiesFor(w)[dir].some((p) => p.tier === 'NetworkPolicy');
  }

  #policiesOf(t: PodTarget): { ingress: Policy[]; egress: Policy[] } {
    const all = [...this.#admin, ...(this.#np.get(t.namespace) ?? []), ...(this.#baseline ? [this.#baseline] : [])].filter((p) => podMatches(p.subject, t));
    return { ingress: all.filter((p) => p.ingress), egress: all.filter((p) => p.egress) };
  }

  /** A workload as a policy sees it. */
  targetOf(w: WorkloadNode): PodTarget {
    return {
      kind: 'pod',
      namespace: w.namespace,
      namespaceLabels: this.#nsLabels(w.namespace),
      labels: w.labels,
      ports: w.ports,
      ...(w.hostNetwork ? { hostNetwork: true } : {}),
    };
  }

  /**
   * A hypothetical pod with no labels in a namespace that has only its name label: what "any
   * pod of the cluster" can reach is what this pod can reach.
   */
  anyPod(): PodTarget {
    const namespace = '(any namespace)';
    return { kind: 'pod', namespace, namespaceLabels: { [NAMESPACE_NAME_LABEL]: namespace }, labels: {}, ports: [] };
  }

  /** A hypothetical pod with no labels in a namespace (with that namespace's labels). */
  podIn(namespace: string): PodTarget {
    return { kind: 'pod', namespace, namespaceLabels: this.#nsLabels(namespace), labels: {}, ports: [] };
  }

  /**
   * The verdict of one direction for `subject` (the pod whose policies apply) and `peer`, with
   * the decisions of every tier. `ingress`: traffic from peer to subject; `egress`: from subject to peer.
   */
  direction(subject: PodTarget, peer: PeerTarget, dir: Direction): DirectionVerdict {
    const dest = dir === 'ingress' ? subject : peer;
    // Host-network pods use the node's address: NetworkPolicies that select them have no effect.
    if (subject.hostNetwork)
      return {
        allowed: ALL_CONNS,
        isolated: false,
        decisions: [{ tier: 'default', effect: 'allow', conns: ALL_CONNS }],
        note: 'host network: not governed by NetworkPolicy',
      };
    const decisions: Decision[] = [];
    let remaining: ConnSet = ALL_CONNS;
    let passed: ConnSet = NO_CONNS;
    let allowed: ConnSet = NO_CONNS;
    for (const p of this.#admin) {
      const rules = p[dir];
      if (!rules || !podMatches(p.subject, subject)) continue;
      for (const r of rules) {
        if (isEmpty(remaining)) break;
        if (!ruleMatches(r, peer)) continue;
        const take = intersect(portsFor(r, dest), remaining);
        if (isEmpty(take)) continue;
        remaining = subtract(remaining, take);
        if (r.action === 'Allow') allowed = union(allowed, take);
        else if (r.action === 'Pass') passed = union(passed, take);
        decisions.push({
          tier: p.tier,
          policy: p.label,
          resource: p.resource,
          rule: r.label,
          effect: r.action === 'Allow' ? 'allow' : r.action === 'Deny' ? 'deny' : 'pass',
          conns: take,
        });
      }
    }
    // What an admin policy passed, and what none decided, goes to the NetworkPolicy tier.
    remaining = union(remaining, passed);
    const isolating = (this.#np.get(subject.namespace) ?? []).filter((p) => p[dir] && podMatches(p.subject, subject));
    if (isolating.length > 0) {
      let np: ConnSet = NO_CONNS;
      for (const p of isolating) {
        decisions.push({ tier: 'NetworkPolicy', policy: p.label, resource: p.resource, effect: 'isolate', conns: remaining });
        for (const r of p[dir] ?? []) {
          if (!ruleMatches(r, peer)) continue;
          const conns = intersect(portsFor(r, dest), remaining);
          if (isEmpty(conns)) continue;
          np = union(np, conns);
          decisions.push({ tier: 'NetworkPolicy', policy: p.label, resource: p.resource, rule: r.label, effect: 'allow', conns });
        }
      }
      return { allowed: union(allowed, np), isolated: true, decisions };
    }
    const baseline = this.#baseline;
    if (baseline?.[dir] && podMatches(baseline.subject, subject)) {
      for (const r of baseline[dir] ?? []) {
        if (isEmpty(remaining)) break;
        if (!ruleMatches(r, peer)) continue;
        const take = intersect(portsFor(r, dest), remaining);
        if (isEmpty(take)) continue;
        remaining = subtract(remaining, take);
        if (r.action === 'Allow') allowed = union(allowed, take);
        decisions.push({
          tier: baseline.tier,
          policy: baseline.label,
          resource: baseline.resource,
          rule: r.label,
          effect: r.action === 'Allow' ? 'allow' : 'deny',
          conns: take,
        });
      }
    }
    if (!isEmpty(remaining)) decisions.push({ tier: 'default', effect: 'allow', conns: remaining });
    return { allowed: union(allowed, remaining), isolated: false, decisions };
  }

  /**
   * Reachability from `src` to `dst`: what the source's egress and the destination's ingress
   * both allow, with the decisions of each side. A workload always reaches itself.
   *
   * @example
   * model.reach({ kind: 'external', node: model.externals[0]! }, { kind: 'workload', node: web }).ingress?.isolated;
   */
  reach(src: Endpoint | PodTarget, dst: Endpoint | PodTarget): Reachability {
    const s = this.#peer(src);
    const d = this.#peer(dst);
    if (s.kind === 'ip' && d.kind === 'ip') return { allowed: NO_CONNS };
    if ('kind' in src && src.kind === 'workload' && 'node' in dst && src.node === dst.node) return { allowed: ALL_CONNS };
    const egress = s.kind === 'pod' ? this.direction(s, d, 'egress') : undefined;
    const ingress = d.kind === 'pod' ? this.direction(d, s, 'ingress') : undefined;
    const allowed = intersect(egress?.allowed ?? ALL_CONNS, ingress?.allowed ?? ALL_CONNS);
    return { allowed, ...(egress ? { egress } : {}), ...(ingress ? { ingress } : {}) };
  }

  /**
   * What {@link reach} allows from `src` to `dst`, without the decisions: looked up in the
   * class tables of both ends (each computed once per model), so asking it for many pairs
   * costs a lookup per pair instead of evaluating every policy of the namespace again.
   *
   * @example
   * hasPort(model.allowed({ kind: 'external', node: x }, { kind: 'workload', node: web }), 'TCP', 443);
   */
  allowed(src: Endpoint, dst: Endpoint): ConnSet {
    if (src.kind === 'external' && dst.kind === 'external') return NO_CONNS;
    if (src.kind === 'workload' && dst.kind === 'workload' && src.node === dst.node) return ALL_CONNS;
    const C = this.#classes.length;
    const egress =
      src.kind === 'workload' ? tableAt(this.#tableOf(src.node.classId, 'egress'), dst.kind === 'workload' ? dst.node.classId : C + dst.node.id) : ALL_CONNS;
    if (isEmpty(egress)) return NO_CONNS;
    const ingress =
      dst.kind === 'workload' ? tableAt(this.#tableOf(dst.node.classId, 'ingress'), src.kind === 'workload' ? src.node.classId : C + src.node.id) : ALL_CONNS;
    return intersect(egress, ingress);
  }

  /**
   * Whether a workload of another namespace than `w`'s may open one of `ports` on `w`: its own
   * egress and `w`'s ingress both allow it. Only the classes `w`'s ingress lets in on those
   * ports are tried, one workload each.
   */
  reachableFromOtherNamespace(w: WorkloadNode, ports: ConnSet): boolean {
    const ingress = this.#tableOf(w.classId, 'ingress');
    const C = this.#classes.length;
    const tryClass = (c: number, conns: ConnSet): boolean => {
      if (!overlaps(conns, ports)) return false;
      const other = (this.#classes[c] as { members: WorkloadNode[] }).members.find((m) => m.namespace !== w.namespace);
      return other !== undefined && overlaps(this.allowed({ kind: 'workload', node: other }, { kind: 'workload', node: w }), ports);
    };
    if (ingress.all) {
      for (let c = 0; c < C; c++) if (tryClass(c, ingress.all[c] as ConnSet)) return true;
      return false;
    }
    if (overlaps(ingress.fallback, ports)) {
      for (let c = 0; c < C; c++) if (tryClass(c, ingress.per.get(c) ?? ingress.fallback)) return true;
      return false;
    }
    for (const [c, conns] of ingress.per) if (c < C && tryClass(c, conns)) return true;
    return false;
  }

  #tableOf(c: number, dir: Direction): DirectionTable {
    const key = 2 * c + (dir === 'egress' ? 1 : 0);
    let t = this.#tables[key];
    if (!t) {
      t = this.#table(c, dir);
      this.#tables[key] = t;
    }
    return t;
  }

  /**
   * The full matrix: every allowed connection between workloads (of the chosen namespaces)
   * and external ranges, computed once per pair of equivalence classes.
   *
   * @example
   * for (const c of model.matrix({ namespaces: ['shop'] }).connections()) console.log(c.src, c.dst, formatConns(c.conns));
   */
  matrix(options: MatrixOptions = {}): Matrix {
    const nsFilter = options.namespaces ? new Set(options.namespaces) : undefined;
    const workloads = nsFilter ? this.workloads.filter((w) => nsFilter.has(w.namespace)) : this.workloads;
    const classes = this.#classes.map((c) => ({ rep: c.rep, members: nsFilter ? c.members.filter((m) => nsFilter.has(m.namespace)) : c.members }));
    const live = classes.map((c, i) => (c.members.length > 0 ? i : -1)).filter((i) => i >= 0);
    const C = this.#classes.length;
    const ingress = new Map<number, DirectionTable>();
    const egress = new Map<number, DirectionTable>();
    for (const c of live) {
      ingress.set(c, this.#tableOf(c, 'ingress'));
      egress.set(c, this.#tableOf(c, 'egress'));
    }
    const at = tableAt;
    const classPairs: { s: number; d: number; conns: ConnSet }[] = [];
    const extIn: { e: number; d: number; conns: ConnSet }[] = [];
    const extOut: { s: number; e: number; conns: ConnSet }[] = [];
    let pairCount = 0;
    for (const s of live) {
      const eg = egress.get(s) as DirectionTable;
      const sm = (classes[s] as { members: WorkloadNode[] }).members.length;
      for (const d of live) {
        const conns = intersect(at(eg, d), at(ingress.get(d) as DirectionTable, s));
        if (isEmpty(conns)) continue;
        classPairs.push({ s, d, conns });
        const dm = (classes[d] as { members: WorkloadNode[] }).members.length;
        pairCount += s === d ? sm * (sm - 1) : sm * dm;
      }
      for (const x of this.externals) {
        const conns = at(eg, C + x.id);
        if (isEmpty(conns)) continue;
        extOut.push({ s, e: x.id, conns });
        pairCount += sm;
      }
    }
    for (const d of live) {
      const ig = ingress.get(d) as DirectionTable;
      const dm = (classes[d] as { members: WorkloadNode[] }).members.length;
      for (const x of this.externals) {
        const conns = at(ig, C + x.id);
        if (isEmpty(conns)) continue;
        extIn.push({ e: x.id, d, conns });
        pairCount += dm;
      }
    }
    const externals = this.externals;
    return {
      workloads,
      externals,
      pairCount,
      classCount: live.length,
      *connections() {
        const bySrcClass = new Map<number, { d: number; conns: ConnSet }[]>();
        for (const p of classPairs) {
          let l = bySrcClass.get(p.s);
          if (!l) {
            l = [];
            bySrcClass.set(p.s, l);
          }
          l.push(p);
        }
        const extOutByClass = new Map<number, { e: number; conns: ConnSet }[]>();
        for (const p of extOut) {
          let l = extOutByClass.get(p.s);
          if (!l) {
            l = [];
            extOutByClass.set(p.s, l);
          }
          l.push(p);
        }
        // Workload-major order (sources in inventory order, then destinations), external sources last.
        const memberOf = (c: number): WorkloadNode[] => (classes[c] as { members: WorkloadNode[] }).members;
        for (const src of workloads) {
          const out: Connection[] = [];
          for (const p of bySrcClass.get(src.classId) ?? [])
            for (const dst of memberOf(p.d))
              if (dst !== src) out.push({ src: { kind: 'workload', node: src }, dst: { kind: 'workload', node: dst }, conns: p.conns });
          for (const p of extOutByClass.get(src.classId) ?? [])
            out.push({ src: { kind: 'workload', node: src }, dst: { kind: 'external', node: externals[p.e] as ExternalNode }, conns: p.conns });
          out.sort((a, b) => endpointOrder(a.dst) - endpointOrder(b.dst));
          yield* out;
        }
        for (const x of externals) {
          const out: Connection[] = [];
          for (const p of extIn)
            if (p.e === x.id)
              for (const dst of memberOf(p.d)) out.push({ src: { kind: 'external', node: x }, dst: { kind: 'workload', node: dst }, conns: p.conns });
          out.sort((a, b) => endpointOrder(a.dst) - endpointOrder(b.dst));
          yield* out;
        }
      },
    };
  }

  /** One direction of one class against every endpoint (classes, then externals at C + id). */
  #table(c: number, dir: Direction): DirectionTable {
    const rep = (this.#classes[c] as { rep: WorkloadNode }).rep;
    const subject = this.targetOf(rep);
    if (subject.hostNetwork) return { fallback: ALL_CONNS, per: new Map() };
    const admin = this.#admin.filter((p) => p[dir] && podMatches(p.subject, subject));
    const isolating = (this.#np.get(subject.namespace) ?? []).filter((p) => p[dir] && podMatches(p.subject, subject));
    const baseline = isolating.length === 0 && this.#baseline?.[dir] !== undefined && podMatches(this.#baseline.subject, subject) ? this.#baseline : undefined;
    if (admin.length === 0 && !baseline) return isolating.length === 0 ? { fallback: ALL_CONNS, per: new Map() } : this.#npTable(subject, isolating, dir);
    // Ordered tiers, rule by rule over the endpoints each rule matches (as `direction` does per pair).
    const N = this.#classes.length + this.externals.length;
    const remaining: ConnSet[] = new Array<ConnSet>(N).fill(ALL_CONNS);
    const allowed: ConnSet[] = new Array<ConnSet>(N).fill(NO_CONNS);
    const passed: ConnSet[] = new Array<ConnSet>(N).fill(NO_CONNS);
    const apply = (r: Rule): void => {
      for (const e of this.#endpointsOf(r)) {
        const rest = remaining[e] as ConnSet;
        if (isEmpty(rest)) continue;
        const take = intersect(this.#portsAt(r, subject, dir, e), rest);
        if (isEmpty(take)) continue;
        remaining[e] = subtract(rest, take);
        if (r.action === 'Allow') allowed[e] = union(allowed[e] as ConnSet, take);
        else if (r.action === 'Pass') passed[e] = union(passed[e] as ConnSet, take);
      }
    };
    for (const p of admin) for (const r of p[dir] ?? []) apply(r);
    for (let e = 0; e < N; e++) remaining[e] = union(remaining[e] as ConnSet, passed[e] as ConnSet);
    if (isolating.length > 0) {
      const np = this.#npTable(subject, isolating, dir);
      for (let e = 0; e < N; e++) allowed[e] = union(allowed[e] as ConnSet, intersect(remaining[e] as ConnSet, np.per.get(e) ?? np.fallback));
      return { fallback: NO_CONNS, per: new Map(), all: allowed };
    }
    if (baseline) for (const r of baseline[dir] ?? []) apply(r);
    for (let e = 0; e < N; e++) allowed[e] = union(allowed[e] as ConnSet, remaining[e] as ConnSet);
    return { fallback: NO_CONNS, per: new Map(), all: allowed };
  }

  /** The endpoints (classes, then externals at C + id) a rule's peers match, each once. */
  #endpointsOf(r: Rule): Iterable<number> {
    const C = this.#classes.length;
    if (r.peers === 'all') return Array.from({ length: C + this.externals.length }, (_, i) => i);
    const out = new Set<number>();
    for (const peer of r.peers)
      for (const e of this.#peerClasses.get(this.#canonicalPeer.get(peer.id) ?? peer.id) ?? []) out.add(peer.kind === 'ip' ? C + e : e);
    return out;
  }

  /** A rule's ports towards endpoint `e` (named ports resolve on the destination: the subject for ingress). */
  #portsAt(r: Rule, subject: PodTarget, dir: Direction, e: number): ConnSet {
    if (dir === 'ingress' || !r.named) return portsFor(r, subject);
    const C = this.#classes.length;
    return portsFor(
      r,
      e >= C ? { kind: 'ip', range: (this.externals[e - C] as ExternalNode).range } : this.targetOf((this.#classes[e] as { rep: WorkloadNode }).rep),
    );
  }

  /** The NetworkPolicy tier of one subject: the union of the rules of the policies that isolate it. */
  #npTable(subject: PodTarget, isolating: readonly Policy[], dir: Direction): DirectionTable {
    let fallback: ConnSet = NO_CONNS;
    const per = new Map<number, ConnSet>();
    const add = (e: number, conns: ConnSet): void => {
      if (!isEmpty(conns)) per.set(e, union(per.get(e) ?? NO_CONNS, conns));
    };
    for (const p of isolating)
      for (const r of p[dir] ?? []) {
        if (r.peers === 'all' && (dir === 'ingress' || !r.named)) {
          fallback = union(fallback, portsFor(r, subject));
          continue;
        }
        const fixed = dir === 'ingress' || !r.named ? portsFor(r, subject) : undefined;
        for (const e of this.#endpointsOf(r)) add(e, fixed ?? this.#portsAt(r, subject, dir, e));
      }
    if (!isEmpty(fallback)) for (const [e, conns] of per) per.set(e, union(conns, fallback));
    return { fallback, per };
  }

  #nsLabels(ns: string): Readonly<Record<string, string>> {
    return this.namespaceLabels.get(ns) ?? { [NAMESPACE_NAME_LABEL]: ns };
  }

  #peer(e: Endpoint | PodTarget): PeerTarget {
    if (e.kind === 'pod') return e;
    if (e.kind === 'external') return { kind: 'ip', range: e.node.range };
    return this.targetOf(e.node);
  }

  /** Workloads a pod selector matches (a policy subject or a pod peer), once per distinct selector. */
  #podsMatching(sel: PodPeer): WorkloadNode[] {
    const key = selectorKey(sel);
    const known = this.#matching.get(key);
    if (known) return known.workloads;
    const workloads = this.#podsMatchingNow(sel);
    this.#matching.set(key, { id: -1, workloads });
    return workloads;
  }

  /** {@link #podsMatching} without the memo: the namespaces the selector admits, then the pods there. */
  #podsMatchingNow(sel: PodPeer): WorkloadNode[] {
    const namespaces = sel.namespaceSelector
      ? [...this.#byNamespace.keys()].filter((ns) => labelsMatch(sel.namespaceSelector as NonNullable<PodPeer['namespaceSelector']>, this.#nsLabels(ns)))
      : [sel.policyNamespace ?? 'default'];
    const out: WorkloadNode[] = [];
    for (const ns of namespaces) for (const w of this.#byNamespace.get(ns) ?? []) if (!sel.podSelector || labelsMatch(sel.podSelector, w.labels)) out.push(w);
    return out;
  }
}

/**
 * What decides which workloads a pod selector matches: the namespace selector, or the policy's
 * namespace when there is none, and the pod selector.
 */
function selectorKey(sel: PodPeer): string {
  const ns = sel.namespaceSelector ? `s${selectorText(sel.namespaceSelector)}` : `n${sel.policyNamespace ?? 'default'}`;
  return `${ns}\u0000${sel.podSelector ? selectorText(sel.podSelector) : '*'}`;
}

function selectorText(s: LabelSelector): string {
  return JSON.stringify([s.matchLabels, s.expressions]);
}

function endpointOrder(e: Endpoint): number {
  return e.kind === 'workload' ? e.node.id : 1e9 + e.node.id;
}

/** Whether a pod selector (subject or peer) matches a pod. */
export function podMatches(sel: PodPeer, pod: PodTarget): boolean {
  if (sel.namespaceSelector) {
    if (!labelsMatch(sel.namespaceSelector, pod.namespaceLabels)) return false;
  } else if (pod.namespace !== (sel.policyNamespace ?? 'default')) return false;
  return !sel.podSelector || labelsMatch(sel.podSelector, pod.labels);
}

function ipPeerMatches(peer: Extract<Peer, { kind: 'ip' }>, range: IpRange): boolean {
  return rangeContains(peer.cidr, range) && !peer.except.some((x) => rangesOverlap(x, range));
}

function ruleMatches(r: Rule, peer: PeerTarget): boolean {
  if (r.peers === 'all') return true;
  for (const p of r.peers) {
    if (p.kind === 'ip' ? peer.kind === 'ip' && ipPeerMatches(p, peer.range) : peer.kind === 'pod' && podMatches(p, peer)) return true;
  }
  return false;
}

/** The connections a rule's ports allow towards `dest` (named ports resolve on the destination pod). */
export function portsFor(r: Rule, dest: PeerTarget): ConnSet {
  if (r.ports === 'all') return ALL_CONNS;
  let out: ConnSet = NO_CONNS;
  for (const s of r.ports) {
    if (s.kind === 'protocol') out = union(out, protocolConns(s.protocol));
    else if (s.kind === 'number') out = union(out, connsOf(s.protocol, s.port, s.endPort));
    else if (dest.kind === 'pod')
      for (const cp of dest.ports)
        if (cp.name === s.name && (s.protocol === undefined || cp.protocol === s.protocol)) out = union(out, connsOf(cp.protocol, cp.port));
  }
  return out;
}

/**
 * Builds the network model of an inventory. Pure.
 *
 * @example
 * const model = buildNetworkModel(inventory);
 * model.matrix().pairCount;
 */
export function buildNetworkModel(inventory: Inventory): NetworkModel {
  return new NetworkModel(inventory);
}

/** `ns/name[Kind]` or the IP range: how endpoints are printed. */
export function endpointName(e: Endpoint): string {
  return e.kind === 'workload' ? `${e.node.namespace}/${e.node.name}[${e.node.kind}]` : e.node.text;
}
