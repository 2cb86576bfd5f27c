/**
 * The inventory summary behind `palisade inventory`: what is there, from the same inventory the scan reads (manifests, a
 * snapshot or live clusters): counts per kind and namespace, workloads and their images,
 * service accounts, exposed services, Kubernetes versions and coverage.
 */
import { type Inventory, UNSET_NAMESPACE } from '../core/inventory.js';
import { type Coverage, computeCoverage } from '../core/report.js';
import type { JsonValue, Resource } from '../core/types.js';
import { containersOf, podSpecsOf } from '../core/workloads.js';
import type { ResourceTypeCoverage } from '../core/types.js';
import { isObject } from '../core/object.js';

/** Objects per kind. */
export type KindCounts = Record<string, number>;

/** A top-level workload (not one owned by another workload in the inventory). */
export interface WorkloadEntry {
  readonly cluster?: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly images: readonly string[];
  /** Pods it owns (cluster sources); absent for manifests. */
  readonly pods?: number;
  readonly serviceAccount: string;
}

/** A service account and how many workloads run as it. */
export interface ServiceAccountEntry {
  readonly cluster?: string;
  readonly namespace: string;
  readonly name: string;
  /** `automountServiceAccountToken`, or null when not set (tokens are mounted by default). */
  readonly automountToken: boolean | null;
  readonly usedBy: number;
}

/** A Service reachable from outside the cluster, or an Ingress. */
export interface ExposedEntry {
  readonly cluster?: string;
  readonly kind: 'Service' | 'Ingress';
  readonly namespace?: string;
  readonly name: string;
  /** `LoadBalancer`, `NodePort`, `ClusterIP` with external IPs, or `Ingress`. */
  readonly type: string;
  readonly ports: readonly string[];
  readonly hosts: readonly string[];
  /** External IPs and load-balancer addresses when known. */
  readonly addresses: readonly string[];
}

/** The inventory of one cluster (or of all manifests). */
export interface InventoryPart {
  readonly cluster?: string;
  readonly server?: string;
  readonly kubernetesVersion?: string;
  readonly total: number;
  readonly counts: KindCounts;
  readonly namespaces: Record<string, KindCounts>;
  readonly coveragePercent?: number;
}

/** What `palisade inventory -f json` prints. */
export interface InventorySummary {
  readonly sources: readonly string[];
  /** The Kubernetes version, when exactly one cluster was read. */
  readonly kubernetesVersion?: string;
  readonly total: number;
  /** Objects per kind, all namespaces (and clusters). */
  readonly counts: KindCounts;
  /** Objects per kind per namespace; cluster-scoped objects are only in `counts`. */
  readonly namespaces: Record<string, KindCounts>;
  readonly workloads: readonly WorkloadEntry[];
  readonly serviceAccounts: readonly ServiceAccountEntry[];
  readonly exposedServices: readonly ExposedEntry[];
  /** One entry per cluster (cluster and snapshot sources). */
  readonly clusters?: readonly InventoryPart[];
  readonly coverage?: Coverage;
}

const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function countsOf(inventory: Inventory): { counts: KindCounts; namespaces: Record<string, KindCounts> } {
  const counts: KindCounts = {};
  const namespaces: Record<string, KindCounts> = {};
  for (const r of inventory.all) {
    counts[r.ref.kind] = (counts[r.ref.kind] ?? 0) + 1;
    const ns = r.ref.namespace;
    if (ns === undefined) continue;
    const per = namespaces[ns] ?? {};
    namespaces[ns] = per;
    per[r.ref.kind] = (per[r.ref.kind] ?? 0) + 1;
  }
  return { counts: sortKeys(counts), namespaces: sortKeys(Object.fromEntries(Object.entries(namespaces).map(([k, v]) => [k, sortKeys(v)]))) };
}

const withCluster = (r: Resource): { cluster?: string } => (r.ref.cluster !== undefined ? { cluster: r.ref.cluster } : {});

function workloadsOf(inventory: Inventory): WorkloadEntry[] {
  const out: WorkloadEntry[] = [];
  for (const r of inventory.all) {
    if (inventory.workloadOwnerOf(r)) continue;
    const pods = podSpecsOf(r);
    if (pods.length === 0) continue;
    const images = [...new Set(pods.flatMap((p) => containersOf(p).map((c) => str(c.container.image) ?? '')).filter((i) => i !== ''))];
    const podCount = inventory.podCountOf(r);
    const spec = pods[0]?.spec ?? {};
    out.push({
      ...withCluster(r),
      kind: r.ref.kind,
      ...(r.ref.namespace !== undefined ? { namespace: r.ref.namespace } : {}),
      name: r.ref.name,
      images,
      ...(podCount !== undefined ? { pods: podCount } : {}),
      serviceAccount: str(spec.serviceAccountName) ?? str(spec.serviceAccount) ?? 'default',
    });
  }
  return out;
}

function serviceAccountsOf(inventory: Inventory, workloads: readonly WorkloadEntry[]): ServiceAccountEntry[] {
  const used = new Map<string, number>();
  for (const w of workloads) {
    // A namespace-less manifest workload is in the namespace it will be applied to: stated
    // with --default-namespace, else unknown, never `default` (see Inventory.namespaceOf).
    const key = `${w.namespace ?? inventory.defaultNamespace ?? UNSET_NAMESPACE}/${w.serviceAccount}`;
    used.set(key, (used.get(key) ?? 0) + 1);
  }
  return inventory.ofKind('ServiceAccount').map((r) => {
    const namespace = inventory.namespaceOf(r) ?? UNSET_NAMESPACE;
    const auto = r.object.automountServiceAccountToken;
    return {
      ...withCluster(r),
      namespace,
      name: r.ref.name,
      automountToken: typeof auto === 'boolean' ? auto : null,
      usedBy: used.get(`${namespace}/${r.ref.name}`) ?? 0,
    };
  });
}

function exposedOf(inventory: Inventory): ExposedEntry[] {
  const out: ExposedEntry[] = [];
  // Load-balancer addresses live in status, which cluster sources drop at load; manifests keep it.
  for (const r of inventory.ofKind('Service')) {
    const spec = isObject(r.object.spec) ? r.object.spec : {};
    const type = str(spec.type) ?? 'ClusterIP';
    const externalIPs = Array.isArray(spec.externalIPs) ? spec.externalIPs.filter((x): x is string => typeof x === 'string') : [];
    if (type !== 'LoadBalancer' && type !== 'NodePort' && externalIPs.length === 0) continue;
    const ports = (Array.isArray(spec.ports) ? spec.ports : [])
      .filter(isObject)
      .map((p) => `${String(p.port ?? '')}${p.nodePort !== undefined ? `:${String(p.nodePort)}` : ''}/${str(p.protocol) ?? 'TCP'}`);
    const lb = isObject(r.object.status) && isObject(r.object.status.loadBalancer) ? r.object.status.loadBalancer.ingress : undefined;
    const lbAddresses = (Array.isArray(lb) ? lb : []).filter(isObject).map((i) => str(i.ip) ?? str(i.hostname) ?? '');
    out.push({
      ...withCluster(r),
      kind: 'Service',
      ...(r.ref.namespace !== undefined ? { namespace: r.ref.namespace } : {}),
      name: r.ref.name,
      type: type === 'ClusterIP' ? 'ClusterIP+externalIPs' : type,
      ports,
      hosts: [],
      addresses: [...externalIPs, ...lbAddresses.filter((a) => a !== ''), ...(str(spec.loadBalancerIP) ? [str(spec.loadBalancerIP) as string] : [])],
    });
  }
  for (const r of inventory.ofKind('Ingress')) {
    const spec = isObject(r.object.spec) ? r.object.spec : {};
    const hosts = (Array.isArray(spec.rules) ? spec.rules : []).filter(isObject).map((x) => str(x.host) ?? '*');
    const tls = Array.isArray(spec.tls) && spec.tls.length > 0;
    out.push({
      ...withCluster(r),
      kind: 'Ingress',
      ...(r.ref.namespace !== undefined ? { namespace: r.ref.namespace } : {}),
      name: r.ref.name,
      type: 'Ingress',
      ports: tls ? ['80/TCP', '443/TCP'] : ['80/TCP'],
      hosts: hosts.length > 0 ? hosts : ['*'],
      addresses: [],
    });
  }
  return out;
}

/** One loaded inventory, as `loadSource` returns it. */
export interface SummarySource {
  readonly inventory: Inventory;
  readonly sources: readonly string[];
  readonly cluster?: { readonly name: string; readonly server?: string; readonly kubernetesVersion?: string };
  readonly coverage?: readonly ResourceTypeCoverage[];
}

/**
 * Summarises loaded inventories (one per cluster, or one for manifests).
 *
 * @example
 * const summary = summarizeInventory(await loadSource({ kind: 'files', paths: ['deploy/'] }));
 * summary.counts.Deployment; // 3
 */
export function summarizeInventory(loaded: readonly SummarySource[]): InventorySummary {
  const parts: InventoryPart[] = [];
  const counts: KindCounts = {};
  const namespaces: Record<string, KindCounts> = {};
  const workloads: WorkloadEntry[] = [];
  const serviceAccounts: ServiceAccountEntry[] = [];
  const exposedServices: ExposedEntry[] = [];
  for (const l of loaded) {
    const c = countsOf(l.inventory);
    for (const [k, n] of Object.entries(c.counts)) counts[k] = (counts[k] ?? 0) + n;
    for (const [ns, per] of Object.entries(c.namespaces)) {
      const into = namespaces[ns] ?? {};
      namespaces[ns] = into;
      for (const [k, n] of Object.entries(per)) into[k] = (into[k] ?? 0) + n;
    }
    const w = workloadsOf(l.inventory);
    workloads.push(...w);
    serviceAccounts.push(...serviceAccountsOf(l.inventory, w));
    exposedServices.push(...exposedOf(l.inventory));
    if (l.cluster) {
      parts.push({
        cluster: l.cluster.name,
        ...(l.cluster.server !== undefined ? { server: l.cluster.server } : {}),
        ...(l.cluster.kubernetesVersion !== undefined ? { kubernetesVersion: l.cluster.kubernetesVersion } : {}),
        total: l.inventory.size,
        counts: c.counts,
        namespaces: c.namespaces,
        ...(l.coverage ? { coveragePercent: computeCoverage(l.coverage).percent } : {}),
      });
    }
  }
  const coverageTypes = loaded.flatMap((l) => l.coverage ?? []);
  const single = parts.length === 1 ? parts[0] : undefined;
  return {
    sources: loaded.flatMap((l) => l.sources),
    ...(single?.kubernetesVersion !== undefined ? { kubernetesVersion: single.kubernetesVersion } : {}),
    total: loaded.reduce((n, l) => n + l.inventory.size, 0),
    counts: sortKeys(counts),
    namespaces: sortKeys(Object.fromEntries(Object.entries(namespaces).map(([k, v]) => [k, sortKeys(v)]))),
    workloads,
    serviceAccounts,
    exposedServices,
    ...(parts.length > 0 ? { clusters: parts } : {}),
    ...(loaded.some((l) => l.coverage) ? { coverage: computeCoverage(coverageTypes) } : {}),
  };
}
