/**
 * Compiles NetworkPolicies (networking.k8s.io/v1) and the cluster-scoped AdminNetworkPolicy /
 * BaselineAdminNetworkPolicy tiers (policy.networking.k8s.io/v1alpha1) into one rule shape.
 * Semantics: https://kubernetes.io/docs/concepts/services-networking/network-policies/ and
 * https://network-policy-api.sigs.k8s.io/api-overview/.
 */
import { isObject } from '../core/object.js';
import type { JsonObject, JsonValue, Resource } from '../core/types.js';
import { parseProtocol, type Protocol } from './conn.js';
import { type IpRange, parseCidr, rangeContains } from './ip.js';
import { type LabelSelector, parseLabelSelector } from './selectors.js';

/** The three policy tiers, evaluated in this order. */
export type Tier = 'AdminNetworkPolicy' | 'NetworkPolicy' | 'BaselineAdminNetworkPolicy';
/** A traffic direction, seen from the pod a policy selects. */
export type Direction = 'ingress' | 'egress';
/** What an admin-tier rule does with the traffic it matches; NetworkPolicy rules always allow. */
export type Action = 'Allow' | 'Deny' | 'Pass';

/**
 * A peer that selects pods: `namespaceSelector` undefined means the policy's own namespace,
 * `podSelector` undefined means every pod of the selected namespaces.
 */
export interface PodPeer {
  readonly kind: 'pods';
  readonly namespaceSelector?: LabelSelector;
  readonly podSelector?: LabelSelector;
  readonly policyNamespace?: string;
}

/** A peer that selects addresses outside the cluster: a CIDR minus its exceptions. */
export interface IpPeer {
  readonly kind: 'ip';
  readonly cidr: IpRange;
  readonly except: readonly IpRange[];
}

/** One peer of a rule; `id` is unique in the model (the equivalence classes are built from it). */
export type Peer = (PodPeer | IpPeer) & { readonly id: number };

/** A port entry: a number or range, a name resolved on the destination pod, or a whole protocol. */
export type PortSpec =
  | { readonly kind: 'number'; readonly protocol: Protocol; readonly port: number; readonly endPort: number }
  | { readonly kind: 'named'; readonly protocol: Protocol | undefined; readonly name: string }
  | { readonly kind: 'protocol'; readonly protocol: Protocol };

/** One rule of a policy in one direction. */
export interface Rule {
  /** `ingress[0]`, or the rule's `name` for admin tiers. */
  readonly label: string;
  readonly action: Action;
  /** `all`: the rule has no `from` / `to` (every source or destination, external ones included). */
  readonly peers: 'all' | readonly Peer[];
  /** `all`: the rule has no `ports`. */
  readonly ports: 'all' | readonly PortSpec[];
  /** True when a port is named: the ports then depend on the destination pod. */
  readonly named: boolean;
}

/** A compiled policy of any tier. */
export interface Policy {
  readonly tier: Tier;
  readonly resource: Resource;
  /** `ns/name` for NetworkPolicies, `name` for the cluster-scoped tiers. */
  readonly label: string;
  /** The namespace of a NetworkPolicy. */
  readonly namespace?: string;
  /** Admin tier precedence: lower first. NetworkPolicies have none. */
  readonly priority: number;
  /** Which pods the policy applies to. */
  readonly subject: PodPeer;
  /** Present when the policy acts on ingress (a NetworkPolicy: isolates ingress). */
  readonly ingress?: readonly Rule[];
  readonly egress?: readonly Rule[];
  /** Parts of the policy the model cannot evaluate (node peers, FQDNs); reported, never ignored silently. */
  readonly unmodelled: readonly string[];
}

/** Allocates peer ids. */
export interface PeerIds {
  next: number;
}

const peerOf = (ids: PeerIds, peer: PodPeer | IpPeer): Peer => ({ ...peer, id: ids.next++ });

function ipPeer(value: JsonValue | undefined, where: string): IpPeer {
  if (!isObject(value) || typeof value.cidr !== 'string') throw new Error(`${where}.ipBlock has no cidr`);
  const cidr = parseCidr(value.cidr);
  if (!cidr) throw new Error(`${where}.ipBlock.cidr "${value.cidr}" is not a CIDR`);
  const except: IpRange[] = [];
  if (Array.isArray(value.except))
    for (const e of value.except) {
      const r = typeof e === 'string' ? parseCidr(e) : undefined;
      if (!r || !rangeContains(cidr, r)) throw new Error(`${where}.ipBlock.except "${String(e)}" is not a CIDR inside ${value.cidr}`);
      except.push(r);
    }
  return { kind: 'ip', cidr, except };
}

function npPorts(value: JsonValue | undefined, where: string): 'all' | PortSpec[] {
  if (!Array.isArray(value) || value.length === 0) return 'all';
  return value.map((p, i) => {
    const at = `${where}.ports[${i}]`;
    if (!isObject(p)) throw new Error(`${at} is not an object`);
    const protocol = parseProtocol(p.protocol);
    if (!protocol) throw new Error(`${at}.protocol "${String(p.protocol)}" is not TCP, UDP or SCTP`);
    if (p.port === undefined || p.port === null) return { kind: 'protocol', protocol };
    if (typeof p.port === 'string' && !/^\d+$/.test(p.port)) return { kind: 'named', protocol, name: p.port };
    const port = Number(p.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${at}.port ${String(p.port)} is not a port`);
    let endPort = port;
    if (p.endPort !== undefined && p.endPort !== null) {
      endPort = Number(p.endPort);
      if (!Number.isInteger(endPort) || endPort < port || endPort > 65535) throw new Error(`${at}.endPort ${String(p.endPort)} is below port or not a port`);
    }
    return { kind: 'number', protocol, port, endPort };
  });
}

const hasNamed = (ports: 'all' | readonly PortSpec[]): boolean => ports !== 'all' && ports.some((p) => p.kind === 'named');

/**
 * The policy types the API server stores when `policyTypes` is unset: Ingress always, Egress
 * when `spec.egress` has at least one rule.
 *
 * @example
 * effectivePolicyTypes({ egress: [] }); // ['Ingress']
 */
export function effectivePolicyTypes(spec: JsonObject): ('Ingress' | 'Egress')[] {
  if (Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0)
    return spec.policyTypes.filter((t): t is 'Ingress' | 'Egress' => t === 'Ingress' || t === 'Egress');
  return Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

/**
 * Compiles one NetworkPolicy; throws a message naming the field when it is malformed.
 *
 * @example
 * compileNetworkPolicy(resource, { next: 0 }).ingress?.length; // 1
 */
export function compileNetworkPolicy(resource: Resource, ids: PeerIds): Policy {
  const ns = resource.ref.namespace ?? 'default';
  const spec = isObject(resource.object.spec) ? resource.object.spec : {};
  const types = effectivePolicyTypes(spec);
  const rules = (dir: Direction): Rule[] => {
    const list = spec[dir];
    if (list !== undefined && list !== null && !Array.isArray(list)) throw new Error(`spec.${dir} is not a list`);
    return (list ?? []).map((r, i) => {
      const where = `spec.${dir}[${i}]`;
      if (!isObject(r)) throw new Error(`${where} is not an object`);
      const peersRaw = r[dir === 'ingress' ? 'from' : 'to'];
      let peers: 'all' | Peer[] = 'all';
      if (Array.isArray(peersRaw) && peersRaw.length > 0) {
        peers = peersRaw.map((p, j) => {
          const at = `${where}.${dir === 'ingress' ? 'from' : 'to'}[${j}]`;
          if (!isObject(p)) throw new Error(`${at} is not an object`);
          if (p.ipBlock !== undefined) {
            if (p.podSelector !== undefined || p.namespaceSelector !== undefined) throw new Error(`${at} mixes ipBlock with selectors`);
            return peerOf(ids, ipPeer(p.ipBlock, at));
          }
          if (p.podSelector === undefined && p.namespaceSelector === undefined) throw new Error(`${at} has no podSelector, namespaceSelector or ipBlock`);
          return peerOf(ids, {
            kind: 'pods',
            policyNamespace: ns,
            ...(p.namespaceSelector !== undefined ? { namespaceSelector: parseLabelSelector(p.namespaceSelector) } : {}),
            ...(p.podSelector !== undefined ? { podSelector: parseLabelSelector(p.podSelector) } : {}),
          });
        });
      }
      const ports = npPorts(r.ports, where);
      return { label: `${dir}[${i}]`, action: 'Allow' as const, peers, ports, named: hasNamed(ports) };
    });
  };
  return {
    tier: 'NetworkPolicy',
    resource,
    label: `${ns}/${resource.ref.name}`,
    namespace: ns,
    priority: 0,
    subject: { kind: 'pods', policyNamespace: ns, podSelector: parseLabelSelector(spec.podSelector ?? {}) },
    ...(types.includes('Ingress') ? { ingress: rules('ingress') } : {}),
    ...(types.includes('Egress') ? { egress: rules('egress') } : {}),
    unmodelled: [],
  };
}

/** `namespaces: {...}` or `pods: {namespaceSelector, podSelector}` of the admin tiers. */
function adminPods(value: JsonObject, where: string): PodPeer | undefined {
  if (value.namespaces !== undefined) return { kind: 'pods', namespaceSelector: parseLabelSelector(value.namespaces) };
  if (isObject(value.pods))
    return {
      kind: 'pods',
      namespaceSelector: parseLabelSelector(value.pods.namespaceSelector ?? {}),
      podSelector: parseLabelSelector(value.pods.podSelector ?? {}),
    };
  if (Object.keys(value).length === 0) throw new Error(`${where} is empty`);
  return undefined;
}

function adminPorts(value: JsonValue | undefined, where: string): 'all' | PortSpec[] {
  if (!Array.isArray(value) || value.length === 0) return 'all';
  return value.map((p, i) => {
    const at = `${where}.ports[${i}]`;
    if (!isObject(p)) throw new Error(`${at} is not an object`);
    if (typeof p.namedPort === 'string') return { kind: 'named', protocol: undefined, name: p.namedPort };
    const num = isObject(p.portNumber) ? p.portNumber : undefined;
    const range = isObject(p.portRange) ? p.portRange : undefined;
    const protocol = parseProtocol((num ?? range)?.protocol);
    if (!protocol) throw new Error(`${at} has a protocol other than TCP, UDP or SCTP`);
    if (num) {
      const port = Number(num.port);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${at}.portNumber.port is not a port`);
      return { kind: 'number', protocol, port, endPort: port };
    }
    if (range) {
      const start = Number(range.start);
      const end = Number(range.end);
      if (!Number.isInteger(start) || !Number.isInteger(end) || start < 1 || end < start || end > 65535) throw new Error(`${at}.portRange is not a port range`);
      return { kind: 'number', protocol, port: start, endPort: end };
    }
    throw new Error(`${at} has no portNumber, portRange or namedPort`);
  });
}

/**
 * Compiles an AdminNetworkPolicy or the BaselineAdminNetworkPolicy; throws a message naming
 * the field when it is malformed. Node peers and FQDN peers are listed as unmodelled.
 *
 * @example
 * compileAdminPolicy(anp, { next: 0 }).priority; // 10
 */
export function compileAdminPolicy(resource: Resource, ids: PeerIds): Policy {
  const baseline = resource.ref.kind === 'BaselineAdminNetworkPolicy';
  const spec = isObject(resource.object.spec) ? resource.object.spec : {};
  const priority = baseline ? 0 : Number(spec.priority);
  if (!baseline && (!Number.isInteger(priority) || priority < 0)) throw new Error('spec.priority is not a non-negative integer');
  if (!isObject(spec.subject)) throw new Error('spec.subject is missing');
  const subject = adminPods(spec.subject, 'spec.subject');
  if (!subject) throw new Error('spec.subject selects neither namespaces nor pods');
  const unmodelled: string[] = [];
  const rules = (dir: Direction): Rule[] | undefined => {
    const list = spec[dir];
    if (list === undefined || list === null) return undefined;
    if (!Array.isArray(list)) throw new Error(`spec.${dir} is not a list`);
    return list.map((r, i) => {
      const where = `spec.${dir}[${i}]`;
      if (!isObject(r)) throw new Error(`${where} is not an object`);
      const action = r.action;
      if (action !== 'Allow' && action !== 'Deny' && (baseline || action !== 'Pass'))
        throw new Error(`${where}.action "${String(action)}" is not ${baseline ? 'Allow or Deny' : 'Allow, Deny or Pass'}`);
      const raw = r[dir === 'ingress' ? 'from' : 'to'];
      if (!Array.isArray(raw) || raw.length === 0) throw new Error(`${where} has no ${dir === 'ingress' ? 'from' : 'to'} peers`);
      const peers: Peer[] = [];
      raw.forEach((p, j) => {
        const at = `${where}.${dir === 'ingress' ? 'from' : 'to'}[${j}]`;
        if (!isObject(p)) throw new Error(`${at} is not an object`);
        if (Array.isArray(p.networks)) {
          for (const n of p.networks) {
            const cidr = typeof n === 'string' ? parseCidr(n) : undefined;
            if (!cidr) throw new Error(`${at}.networks "${String(n)}" is not a CIDR`);
            peers.push(peerOf(ids, { kind: 'ip', cidr, except: [] }));
          }
          return;
        }
        const pods = adminPods(p, at);
        if (pods) peers.push(peerOf(ids, pods));
        else unmodelled.push(`${at} (${Object.keys(p).join(', ')} peers)`);
      });
      const ports = adminPorts(r.ports, where);
      const label = typeof r.name === 'string' && r.name !== '' ? r.name : `${dir}[${i}]`;
      return { label, action, peers, ports, named: hasNamed(ports) };
    });
  };
  const ingress = rules('ingress');
  const egress = rules('egress');
  return {
    tier: baseline ? 'BaselineAdminNetworkPolicy' : 'AdminNetworkPolicy',
    resource,
    label: resource.ref.name,
    priority,
    subject,
    ...(ingress ? { ingress } : {}),
    ...(egress ? { egress } : {}),
    unmodelled,
  };
}
