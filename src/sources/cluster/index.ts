/**
 * The live-cluster source: for each selected kubeconfig context, discover the served types,
 * list them (bounded concurrency, pagination, per-namespace fallback) into an inventory, and
 * record per-type coverage. Objects are normalised at load (status, managed fields and the
 * last-applied annotation dropped; Secret values replaced by derived facts).
 */
import { Inventory } from '../../core/inventory.js';
import { PalisadeError } from '../../core/errors.js';
import type { Diagnostic, ResourceTypeCoverage } from '../../core/types.js';
import { discover, listableTypes } from './discovery.js';
import { ApiClient, type ApiClientOptions, ApiError } from './http.js';
import { type ClusterTarget, type KubeconfigOptions, resolveClusterTargets } from './kubeconfig.js';
import { fetchKubeletConfigs } from './kubelet.js';
import { type ListPlan, listType, type TypeResult } from './list.js';

export { ApiClient, ApiError, type ApiClientOptions, httpView } from './http.js';
export { discover, listableTypes, typeName, type DiscoveryResult, type ResourceType } from './discovery.js';
export { resolveClusterTargets, type ClusterTarget, type KubeconfigOptions } from './kubeconfig.js';
export { listType, type ListPlan, type TypeResult } from './list.js';

/** Options of {@link loadClusters}. */
export interface ClusterLoadOptions extends KubeconfigOptions, ApiClientOptions, Omit<ListPlan, 'onObjects'> {
  /** Progress of listing, per cluster (for a TTY progress line). */
  readonly onProgress?: (progress: ListProgress) => void;
  /**
   * Also read each node's running kubelet configuration (`nodes/<name>/proxy/configz`, one
   * request per node) as `KubeletConfiguration` objects, for the CIS 4.2 checks.
   */
  readonly kubeletConfigs?: boolean;
}

/** Listing progress of one cluster. */
export interface ListProgress {
  readonly cluster: string;
  readonly typesDone: number;
  readonly typesTotal: number;
  readonly objects: number;
}

/** One cluster, read. */
export interface LoadedCluster {
  /** The context name. */
  readonly name: string;
  readonly server: string;
  readonly kubernetesVersion?: string;
  /** Objects, tagged with the cluster name, in a stable order (by group, resource, then as listed). */
  readonly inventory: Inventory;
  /** Per resource type (and per failed discovery group version). */
  readonly coverage: readonly ResourceTypeCoverage[];
  readonly diagnostics: readonly Diagnostic[];
  /** HTTP requests made (retries included). */
  readonly requests: number;
}

/** Network errors meaning no connection was made. */
const NOT_REACHED: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'ETIMEDOUT']);

function fatal(target: ClusterTarget, err: unknown): PalisadeError {
  if (err instanceof ApiError) {
    if (err.status === 401 || err.status === 403)
      return new PalisadeError('cluster-auth', `context ${target.context} (${target.server}): the API server refused the credentials: ${err.describe()}`);
    const what =
      err.kind === 'http'
        ? 'the API server answered'
        : err.kind === 'network' && !NOT_REACHED.has(err.reason)
          ? 'request failed'
          : 'cannot reach the API server';
    return new PalisadeError('cluster-unreachable', `context ${target.context} (${target.server}): ${what}: ${err.describe()}`, {
      server: target.server,
      reason: err.reason,
    });
  }
  if (err instanceof PalisadeError) return err;
  return new PalisadeError('cluster-unreachable', `context ${target.context} (${target.server}): ${err instanceof Error ? err.message : String(err)}`);
}

/**
 * Reads one cluster. Throws only when the server cannot be reached or refuses discovery;
 * everything else (forbidden or failed lists) is recorded in the coverage.
 */
export async function loadCluster(target: ClusterTarget, options: ClusterLoadOptions = {}): Promise<LoadedCluster> {
  const concurrency = Math.max(1, options.concurrency ?? 8);
  let client: ApiClient;
  try {
    client = new ApiClient(target.kubeConfig, options);
  } catch (err) {
    throw fatal(target, err);
  }
  try {
    let discovery: Awaited<ReturnType<typeof discover>>;
    try {
      discovery = await discover(client);
    } catch (err) {
      throw fatal(target, err);
    }
    const types = listableTypes(discovery.types);
    let objects = 0;
    let done = 0;
    const progress = (): void => options.onProgress?.({ cluster: target.context, typesDone: done, typesTotal: types.length, objects });
    const plan: ListPlan = {
      ...(options.namespaces ? { namespaces: options.namespaces } : {}),
      ...(options.excludeNamespaces ? { excludeNamespaces: options.excludeNamespaces } : {}),
      ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
      ...(options.secrets !== undefined ? { secrets: options.secrets } : {}),
      onObjects: (n) => {
        objects += n;
        progress();
      },
    };
    progress();
    // Namespaces first: a forbidden cluster-wide list of a namespaced type falls back to them.
    const nsType = types.find((t) => t.group === '' && t.resource === 'namespaces');
    const results = new Map<(typeof types)[number], TypeResult>();
    let known = options.namespaces && options.namespaces.length > 0 ? [...options.namespaces] : undefined;
    if (nsType) {
      const r = await listType(client, nsType, plan, known, concurrency);
      results.set(nsType, r);
      done++;
      progress();
      if (!known && r.coverage.status === 'ok') {
        known = r.objects.map((o) => (o.metadata as { name?: string } | undefined)?.name).filter((n): n is string => typeof n === 'string');
      }
    }
    const rest = types.filter((t) => t !== nsType);
    // Types run `concurrency` at a time; the client bounds requests in flight across all of them.
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < rest.length) {
        const t = rest[next++] as (typeof rest)[number];
        results.set(t, await listType(client, t, plan, known, concurrency));
        done++;
        progress();
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, rest.length) }, worker));

    const inventory = new Inventory({ cluster: target.context });
    const coverage: ResourceTypeCoverage[] = [];
    for (const t of types) {
      const r = results.get(t);
      if (!r) continue;
      for (const object of r.objects) inventory.add({ object });
      coverage.push({ cluster: target.context, ...r.coverage });
    }
    for (const f of discovery.failures) coverage.push({ cluster: target.context, ...f });
    if (options.kubeletConfigs === true) {
      const nodes = inventory
        .ofKind('Node')
        .map((n) => n.ref.name)
        .filter((n) => n !== '');
      const kubelets = await fetchKubeletConfigs(client, nodes, target.context, concurrency);
      for (const object of kubelets.objects) inventory.add({ object });
      coverage.push(kubelets.coverage);
    }
    const diagnostics: Diagnostic[] = [];
    if (discovery.kubernetesVersion === undefined)
      diagnostics.push({ level: 'warning', code: 'cluster-version-unknown', message: `context ${target.context}: /version could not be read` });
    return {
      name: target.context,
      server: client.server,
      ...(discovery.kubernetesVersion !== undefined ? { kubernetesVersion: discovery.kubernetesVersion } : {}),
      inventory,
      coverage,
      diagnostics,
      requests: client.requests,
    };
  } finally {
    client.close();
  }
}

/**
 * Reads every selected context (`--context`, repeatable; `--all-contexts`; default the
 * current context), one after the other. With several contexts, one that cannot be reached
 * is reported (a diagnostic and 0% coverage) and the others are still read.
 *
 * @example
 * const clusters = await loadClusters({ contexts: ['prod'], excludeNamespaces: ['kube-system'] });
 * clusters[0].inventory.size;
 */
export async function loadClusters(options: ClusterLoadOptions = {}): Promise<LoadedCluster[]> {
  const targets = await resolveClusterTargets(options);
  if (targets.length === 1) return [await loadCluster(targets[0] as ClusterTarget, options)];
  const out: LoadedCluster[] = [];
  let failures = 0;
  for (const target of targets) {
    try {
      out.push(await loadCluster(target, options));
    } catch (err) {
      if (!(err instanceof PalisadeError)) throw err;
      failures++;
      out.push({
        name: target.context,
        server: target.server,
        inventory: new Inventory({ cluster: target.context }),
        coverage: [
          { cluster: target.context, group: '', version: 'v1', resource: '*', kind: '*', namespaced: false, status: 'failed', objects: 0, reason: err.message },
        ],
        diagnostics: [{ level: 'error', code: err.code, message: err.message }],
        requests: 0,
      });
    }
  }
  if (failures === targets.length)
    throw new PalisadeError('cluster-unreachable', `no cluster could be read: ${out.map((c) => c.diagnostics[0]?.message).join('; ')}`);
  return out;
}
