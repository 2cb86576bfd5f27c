/**
 * Exposure: which workloads can be reached from outside the cluster, and how. Entry points are
 * Services of type LoadBalancer or NodePort and Services with externalIPs, Ingress rules and
 * Gateway API routes (Gateway -> *Route -> Service), and pods on the host network or with host
 * ports. Each entry is followed to the workloads and container ports it lands on and combined
 * with the NetworkPolicy verdict for traffic arriving there.
 */
import { isObject } from '../core/object.js';
import type { JsonObject, Resource } from '../core/types.js';
import type { Inventory } from '../core/inventory.js';
import { type ConnSet, connsOf, isEmpty, NO_CONNS, overlaps, type Protocol, parseProtocol, union } from './conn.js';
import type { NetworkModel, PodTarget, WorkloadNode } from './model.js';

/** How traffic from outside gets in. */
export type ExposureVia = 'LoadBalancer' | 'NodePort' | 'externalIPs' | 'Ingress' | 'Gateway' | 'hostNetwork' | 'hostPort';

/** What NetworkPolicies say about traffic arriving through an exposure. */
export type PolicyVerdict =
  /** Allowed from some source the entry point forwards (external ranges, or the controller's pods). */
  | 'allowed'
  /** No such source may reach the target port. */
  | 'denied'
  /** NetworkPolicies do not govern host-network traffic. */
  | 'not-applicable';

/** One way in to one workload. */
export interface Exposure {
  readonly workload: WorkloadNode;
  readonly via: ExposureVia;
  /** The object that opens the way in (the Service, Ingress, Gateway, or the workload itself). */
  readonly entry: Resource;
  /** Hops from outside to the pod, e.g. `Ingress shop/web host shop.example.com path /`, `Service shop/web port 80`. */
  readonly path: readonly string[];
  /** Container ports (or host ports) traffic lands on. */
  readonly ports: ConnSet;
  /** True when the entry point terminates TLS; false for plain HTTP; undefined when it cannot be told. */
  readonly tls: boolean | undefined;
  /** Hosts the entry point serves, when it names some. */
  readonly hosts: readonly string[];
  readonly policy: PolicyVerdict;
  /** External ranges NetworkPolicies let through to the ports (for Service and host exposures). */
  readonly allowedFrom: readonly string[];
}

interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly targetPort: number | string;
  readonly nodePort?: number;
}

function servicePorts(svc: Resource): ServicePort[] {
  const spec = isObject(svc.object.spec) ? svc.object.spec : {};
  if (!Array.isArray(spec.ports)) return [];
  const out: ServicePort[] = [];
  for (const p of spec.ports) {
    if (!isObject(p)) continue;
    const port = Number(p.port);
    const protocol = parseProtocol(p.protocol);
    if (!Number.isInteger(port) || !protocol) continue;
    const target = p.targetPort;
    const nodePort = Number(p.nodePort);
    out.push({
      ...(typeof p.name === 'string' ? { name: p.name } : {}),
      port,
      protocol,
      targetPort: typeof target === 'number' ? target : typeof target === 'string' && target !== '' ? (/^\d+$/.test(target) ? Number(target) : target) : port,
      ...(Number.isInteger(nodePort) && nodePort > 0 ? { nodePort } : {}),
    });
  }
  return out;
}

/**
 * The workloads a Service's selector picks, in its namespace. A Service without a selector
 * (manually managed Endpoints) selects none here.
 *
 * @example
 * serviceTargets(model, svc).map((w) => w.name); // ['web']
 */
export function serviceTargets(model: NetworkModel, svc: Resource): WorkloadNode[] {
  const spec = isObject(svc.object.spec) ? svc.object.spec : {};
  if (!isObject(spec.selector)) return [];
  const pairs = Object.entries(spec.selector).map(([k, v]) => [k, String(v)] as const);
  if (pairs.length === 0) return [];
  return model.inNamespace(svc.ref.namespace ?? 'default').filter((w) => pairs.every(([k, v]) => w.labels[k] === v));
}

/** The container ports a service port lands on in one workload (a named targetPort resolves by name and protocol). */
function landing(w: WorkloadNode, sp: ServicePort): ConnSet {
  if (typeof sp.targetPort === 'number') return connsOf(sp.protocol, sp.targetPort);
  let out: ConnSet = NO_CONNS;
  for (const cp of w.ports) if (cp.name === sp.targetPort && cp.protocol === sp.protocol) out = union(out, connsOf(cp.protocol, cp.port));
  return out;
}

/** Whether a service port looks like TLS (`https`, 443) or plain HTTP (`http`, 80, 8080). */
function tlsOfPort(sp: ServicePort): boolean | undefined {
  const name = (sp.name ?? (typeof sp.targetPort === 'string' ? sp.targetPort : '')).toLowerCase();
  if (/https|tls|ssl/.test(name) || sp.port === 443 || sp.port === 8443) return true;
  if (/^http(-|$)/.test(name) || name === 'web' || sp.port === 80 || sp.port === 8080) return false;
  return undefined;
}

/** Verdict for traffic from outside the cluster (every external range) to some ports of a workload. */
function fromOutside(model: NetworkModel, w: WorkloadNode, ports: ConnSet): { policy: PolicyVerdict; allowedFrom: string[] } {
  const allowedFrom: string[] = [];
  for (const x of model.externals) if (overlaps(model.allowed({ kind: 'external', node: x }, { kind: 'workload', node: w }), ports)) allowedFrom.push(x.text);
  return { policy: allowedFrom.length > 0 ? 'allowed' : 'denied', allowedFrom };
}

/**
 * Verdict for traffic forwarded by an ingress controller or gateway, whose pods are taken to
 * run in another namespace: allowed when any pod of another namespace (an existing one, or a
 * hypothetical unlabelled pod) may reach the ports.
 */
function fromController(model: NetworkModel, w: WorkloadNode, ports: ConnSet, home: string | undefined): PolicyVerdict {
  const dst = { kind: 'workload', node: w } as const;
  const anyPod: PodTarget = model.anyPod();
  if (overlaps(model.reach(anyPod, dst).allowed, ports)) return 'allowed';
  // Gateway implementations commonly run the gateway's pods in the Gateway's namespace.
  if (home !== undefined && home !== w.namespace && overlaps(model.reach(model.podIn(home), dst).allowed, ports)) return 'allowed';
  return model.reachableFromOtherNamespace(w, ports) ? 'allowed' : 'denied';
}

function svcName(svc: Resource): string {
  return `${svc.ref.namespace ?? 'default'}/${svc.ref.name}`;
}

function workloadHop(w: WorkloadNode, ports: ConnSet): string {
  const list: string[] = [];
  for (const p of ['TCP', 'UDP', 'SCTP'] as const) for (const [lo, hi] of ports[p]) list.push(`${lo === hi ? lo : `${lo}-${hi}`}/${p}`);
  return `${w.kind} ${w.namespace}/${w.name}${list.length > 0 ? ` port ${list.join(',')}` : ''}`;
}

/** A backend reference to a Service port: by number or by the service port's name. */
function servicePortOf(svc: Resource, port: unknown): ServicePort[] {
  const all = servicePorts(svc);
  if (port === undefined || port === null) return all;
  if (isObject(port)) {
    if (port.number !== undefined) return all.filter((p) => p.port === Number(port.number));
    if (typeof port.name === 'string') return all.filter((p) => p.name === port.name);
    return all;
  }
  return all.filter((p) => p.port === Number(port));
}

/**
 * Every exposure of the inventory, in inventory order of the entry points.
 *
 * @example
 * exposuresOf(model, inventory).map((e) => `${e.via} ${e.path.join(' -> ')}`);
 */
export function exposuresOf(model: NetworkModel, inventory: Inventory): Exposure[] {
  const out: Exposure[] = [];
  const services = (ns: string, name: string): Resource | undefined => inventory.get('Service', ns, name);
  const viaService = (
    svc: Resource,
    spList: readonly ServicePort[],
    base: { via: ExposureVia; entry: Resource; path: string[]; tls: boolean | undefined; hosts: string[]; controller: boolean; home?: string },
  ): void => {
    for (const w of serviceTargets(model, svc)) {
      let ports: ConnSet = NO_CONNS;
      let tls = base.tls;
      for (const sp of spList) {
        ports = union(ports, landing(w, sp));
        if (base.tls === undefined && !base.controller) tls = tls === false ? false : tlsOfPort(sp);
      }
      if (isEmpty(ports)) continue;
      const svcHop = `Service ${svcName(svc)} port ${spList.map((p) => `${p.port}${p.nodePort ? ` (node port ${p.nodePort})` : ''}/${p.protocol}`).join(',')}`;
      const verdict = base.controller ? { policy: fromController(model, w, ports, base.home), allowedFrom: [] } : fromOutside(model, w, ports);
      out.push({
        workload: w,
        via: base.via,
        entry: base.entry,
        path: [...base.path, svcHop, workloadHop(w, ports)],
        ports,
        tls,
        hosts: base.hosts,
        ...verdict,
      });
    }
  };

  for (const svc of inventory.ofKind('Service')) {
    const spec = isObject(svc.object.spec) ? svc.object.spec : {};
    const type = spec.type;
    const ports = servicePorts(svc);
    if (ports.length === 0) continue;
    if (type === 'LoadBalancer' || type === 'NodePort') {
      const ranges = Array.isArray(spec.loadBalancerSourceRanges) ? spec.loadBalancerSourceRanges.map(String) : [];
      const first =
        type === 'LoadBalancer' ? `internet${ranges.length > 0 ? ` (${ranges.join(', ')})` : ''} -> load balancer` : 'internet -> node port on every node';
      viaService(svc, ports, { via: type, entry: svc, path: [first], tls: undefined, hosts: [], controller: false });
    }
    if (Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0)
      viaService(svc, ports, {
        via: 'externalIPs',
        entry: svc,
        path: [`internet -> external IP ${spec.externalIPs.map(String).join(', ')}`],
        tls: undefined,
        hosts: [],
        controller: false,
      });
  }

  for (const ing of inventory.ofKind('Ingress')) {
    const spec = isObject(ing.object.spec) ? ing.object.spec : {};
    const ns = ing.ref.namespace ?? 'default';
    const tlsHosts = new Set<string>();
    let tlsAll = false;
    if (Array.isArray(spec.tls))
      for (const t of spec.tls)
        if (isObject(t)) {
          if (Array.isArray(t.hosts) && t.hosts.length > 0) for (const h of t.hosts) tlsHosts.add(String(h));
          else tlsAll = true;
        }
    const backends: { host: string; path: string; backend: JsonObject }[] = [];
    if (isObject(spec.defaultBackend)) backends.push({ host: '*', path: '(default backend)', backend: spec.defaultBackend });
    if (Array.isArray(spec.rules))
      for (const r of spec.rules) {
        if (!isObject(r) || !isObject(r.http) || !Array.isArray(r.http.paths)) continue;
        const host = typeof r.host === 'string' && r.host !== '' ? r.host : '*';
        for (const p of r.http.paths)
          if (isObject(p) && isObject(p.backend)) backends.push({ host, path: typeof p.path === 'string' ? p.path : '/', backend: p.backend });
      }
    for (const b of backends) {
      const ref = isObject(b.backend.service) ? b.backend.service : undefined;
      if (!ref || typeof ref.name !== 'string') continue;
      const svc = services(ns, ref.name);
      if (!svc) continue;
      const tls = tlsAll || tlsHosts.has(b.host) || [...tlsHosts].some((h) => h.startsWith('*.') && b.host.endsWith(h.slice(1)));
      viaService(svc, servicePortOf(svc, ref.port), {
        via: 'Ingress',
        entry: ing,
        path: ['internet -> ingress controller', `Ingress ${ns}/${ing.ref.name} host ${b.host} path ${b.path}${tls ? ' (TLS)' : ''}`],
        tls,
        hosts: b.host === '*' ? [] : [b.host],
        controller: true,
      });
    }
  }

  const routeKinds = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'];
  for (const kind of routeKinds)
    for (const route of inventory.ofKind(kind)) {
      const spec = isObject(route.object.spec) ? route.object.spec : {};
      const ns = route.ref.namespace ?? 'default';
      const parents = Array.isArray(spec.parentRefs) ? spec.parentRefs.filter(isObject) : [];
      for (const parent of parents) {
        if ((parent.kind ?? 'Gateway') !== 'Gateway' || typeof parent.name !== 'string') continue;
        const gwNs = typeof parent.namespace === 'string' ? parent.namespace : ns;
        const gw = inventory.get('Gateway', gwNs, parent.name);
        if (!gw) continue;
        const gwSpec = isObject(gw.object.spec) ? gw.object.spec : {};
        const listeners = (Array.isArray(gwSpec.listeners) ? gwSpec.listeners.filter(isObject) : []).filter(
          (l) =>
            (typeof parent.sectionName !== 'string' || l.name === parent.sectionName) && (parent.port === undefined || Number(l.port) === Number(parent.port)),
        );
        if (listeners.length === 0) continue;
        const tls = listeners.every((l) => l.protocol === 'HTTPS' || l.protocol === 'TLS');
        const plain = listeners.some((l) => l.protocol === 'HTTP' || l.protocol === 'TCP' || l.protocol === 'UDP');
        const hosts = [
          ...new Set([
            ...(Array.isArray(spec.hostnames) ? spec.hostnames.map(String) : []),
            ...listeners.filter((l) => typeof l.hostname === 'string').map((l) => String(l.hostname)),
          ]),
        ];
        const listenerText = listeners.map((l) => `${String(l.name)} ${String(l.protocol)}/${String(l.port)}`).join(', ');
        const rules = Array.isArray(spec.rules) ? spec.rules.filter(isObject) : [];
        for (const rule of rules) {
          const refs = Array.isArray(rule.backendRefs) ? rule.backendRefs.filter(isObject) : [];
          for (const ref of refs) {
            if ((ref.kind ?? 'Service') !== 'Service' || (ref.group ?? '') !== '' || typeof ref.name !== 'string') continue;
            const svc = services(typeof ref.namespace === 'string' ? ref.namespace : ns, ref.name);
            if (!svc) continue;
            viaService(svc, servicePortOf(svc, ref.port), {
              via: 'Gateway',
              entry: gw,
              path: ['internet -> gateway', `Gateway ${gwNs}/${gw.ref.name} listener ${listenerText}`, `${kind} ${ns}/${route.ref.name}`],
              tls: tls ? true : plain ? false : undefined,
              hosts,
              controller: true,
              home: gwNs,
            });
          }
        }
      }
    }

  for (const w of model.workloads) {
    if (w.hostNetwork) {
      let ports: ConnSet = NO_CONNS;
      for (const cp of w.ports) ports = union(ports, connsOf(cp.protocol, cp.port));
      out.push({
        workload: w,
        via: 'hostNetwork',
        entry: w.resource,
        path: ['network of the node', workloadHop(w, ports)],
        ports,
        tls: undefined,
        hosts: [],
        policy: 'not-applicable',
        allowedFrom: [],
      });
      continue;
    }
    const hostPorts = w.ports.filter((p) => p.hostPort !== undefined);
    if (hostPorts.length === 0) continue;
    let ports: ConnSet = NO_CONNS;
    for (const cp of hostPorts) ports = union(ports, connsOf(cp.protocol, cp.port));
    out.push({
      workload: w,
      via: 'hostPort',
      entry: w.resource,
      path: [`host port ${hostPorts.map((p) => `${p.hostPort}/${p.protocol}`).join(',')} on the node`, workloadHop(w, ports)],
      ports,
      tls: undefined,
      hosts: [],
      // Host ports are DNATed to the pod IP, so policies apply, but the source may be SNATed to the node: depends on the CNI.
      ...fromOutside(model, w, ports),
    });
  }
  return out;
}
