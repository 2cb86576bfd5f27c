/**
 * The views of the API computed from a cluster's latest stored snapshot (inventory,
 * compliance, RBAC, network, attack paths, a finding's fix): the library's analysers, as the
 * CLI commands call them, never a second implementation. What a snapshot yields is cached per
 * snapshot (its SHA-256): models are built once and dropped when the cluster's next snapshot
 * arrives, so the views follow the store and work for agent-fed clusters on any replica.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { builtinChecks } from '../checks/index.js';
import { builtinModels } from '../checks/models.js';
import type { AnyCheck } from '../core/check.js';
import { applyFixes } from '../core/fix.js';
import type { Inventory } from '../core/inventory.js';
import { ScanModels } from '../core/models.js';
import type { JsonObject } from '../core/types.js';
import { fixPatchFor } from '../fix/patch.js';
import { unifiedDiff } from '../fix/diff.js';
import { complianceReport } from '../frameworks/compliance.js';
import { BUILTIN_FRAMEWORKS, checksFor, findFramework, frameworkNames } from '../frameworks/index.js';
import { detectPlatform } from '../frameworks/platform.js';
import type { NetworkModel } from '../network/model.js';
import { buildNetworkModel } from '../network/model.js';
import type { AttackGraph } from '../paths/graph.js';
import { buildRbacModel, type RbacModel } from '../rbac/model.js';
import { complianceReporters } from '../reporters/compliance.js';
import { type LoadedSource, scanLoaded } from '../scan.js';
import { parseSnapshot } from '../sources/snapshot.js';
import type { Store, StoredFinding } from '../store/types.js';
import { summarizeInventory } from '../summary/inventory.js';
import { HttpError } from './http.js';

/** What one stored snapshot yields, built on first use. */
class ClusterViews {
  #rbac: RbacModel | undefined;
  #network: NetworkModel | undefined;
  #paths: AttackGraph | undefined;
  #inventoryJson: string | undefined;
  readonly #compliance = new Map<string, string>();

  constructor(
    readonly digest: string,
    readonly loaded: LoadedSource,
  ) {}

  get inventory(): Inventory {
    return this.loaded.inventory;
  }

  /** `palisade inventory -f json` of the cluster. */
  inventorySummary(): string {
    this.#inventoryJson ??= `${JSON.stringify(summarizeInventory([this.loaded]), null, 2)}\n`;
    return this.#inventoryJson;
  }

  rbac(): RbacModel {
    this.#rbac ??= buildRbacModel(this.inventory);
    return this.#rbac;
  }

  network(): NetworkModel {
    this.#network ??= buildNetworkModel(this.inventory);
    return this.#network;
  }

  paths(): AttackGraph {
    if (!this.#paths) {
      const built = new ScanModels(this.inventory, builtinModels).get('paths');
      if (!built.ok) throw new HttpError('internal', `the attack graph could not be built: ${built.reason}`);
      this.#paths = built.value as AttackGraph;
    }
    return this.#paths;
  }

  /** `palisade compliance --framework NAME -f json` of the cluster. */
  compliance(name: string): string {
    const framework = findFramework(name, BUILTIN_FRAMEWORKS);
    if (!framework) throw new HttpError('bad_request', `framework "${name}" is not one of ${frameworkNames(BUILTIN_FRAMEWORKS).join(', ')}`);
    const cached = this.#compliance.get(framework.id);
    if (cached !== undefined) return cached;
    const include = builtinChecks.filter((c) => framework.controls.some((k) => checksFor(framework, k, [c]).length > 0)).map((c) => c.id);
    const platform = detectPlatform(this.inventory, this.loaded.cluster?.kubernetesVersion);
    const report = scanLoaded([this.loaded], include.length > 0 ? { include } : {});
    const text = complianceReporters.json?.render([complianceReport(framework, { ...report, ...(platform ? { platform } : {}) })], { color: false }) ?? '';
    this.#compliance.set(framework.id, text);
    return text;
  }
}

/**
 * Views per cluster, cached per snapshot digest.
 *
 * @example
 * const views = new SnapshotViews(store);
 * const v = await views.of('prod'); // 404 when nothing is stored for prod
 * v.rbac().whoCan({ kind: 'resource', verb: 'get', apiGroup: '', resource: 'secrets' });
 */
export class SnapshotViews {
  readonly #cache = new Map<string, ClusterViews>();
  readonly #loading = new Map<string, Promise<ClusterViews>>();

  constructor(readonly store: Store) {}

  /** The views of the cluster's latest snapshot; 404 when the store has none. */
  async of(cluster: string): Promise<ClusterViews> {
    const bytes = await this.store.getClusterState(cluster);
    if (!bytes) throw new HttpError('not_found', `no stored state for cluster ${cluster} (no scan recorded with a snapshot yet)`);
    const digest = createHash('sha256').update(bytes).digest('hex');
    const cached = this.#cache.get(cluster);
    if (cached && cached.digest === digest) return cached;
    const key = `${cluster}\0${digest}`;
    let loading = this.#loading.get(key);
    if (!loading) {
      loading = (async () => {
        const snapshot = await parseSnapshot(bytes, `stored state of cluster ${cluster}`);
        const c = snapshot.clusters.find((x) => x.name === cluster) ?? snapshot.clusters[0];
        if (!c) throw new HttpError('internal', `the stored state of cluster ${cluster} holds no cluster`);
        const loaded: LoadedSource = {
          inventory: c.inventory,
          sources: [`store:${cluster}`],
          diagnostics: [],
          cluster: {
            name: cluster,
            ...(c.server !== undefined ? { server: c.server } : {}),
            ...(c.kubernetesVersion !== undefined ? { kubernetesVersion: c.kubernetesVersion } : {}),
          },
          coverage: c.coverage,
        };
        const views = new ClusterViews(digest, loaded);
        this.#cache.set(cluster, views);
        return views;
      })().finally(() => this.#loading.delete(key));
      this.#loading.set(key, loading);
    }
    return loading;
  }

  /**
   * The fix of a stored finding as a unified diff of the object's YAML, from the object in the
   * cluster's latest snapshot: the fix engine's proven patch for the finding's check (review
   * fixes included: the reader decides). `null` when the finding has no fix, the object is no
   * longer in the snapshot, or the recheck disproves the fix.
   */
  async fixDiff(finding: StoredFinding): Promise<string | null> {
    if (finding.fix === null || finding.fix.length === 0 || finding.fixable === false) return null;
    let views: ClusterViews;
    try {
      views = await this.of(finding.cluster);
    } catch (err) {
      if (err instanceof HttpError && err.code === 'not_found') return null;
      throw err;
    }
    const inventory = views.inventory;
    const resource = inventory
      .ofKind(finding.kind)
      .find((r) => r.ref.name === finding.name && (r.ref.namespace ?? null) === finding.namespace && r.ref.apiVersion === finding.apiVersion);
    if (!resource) return null;
    const check = builtinChecks.find((c) => c.id === finding.check);
    if (!check) return null;
    const context: JsonObject[] = [];
    if (finding.namespace !== null) {
      const ns = inventory.ofKind('Namespace').find((r) => r.ref.name === finding.namespace);
      if (ns) context.push(ns.object);
    }
    const { patch } = fixPatchFor(resource.object, { checks: [check as AnyCheck], unsafe: true, context });
    if (patch.length === 0) return null;
    const before = stringify(resource.object);
    const after = stringify(applyFixes(resource.object, patch));
    const file = `${finding.kind.toLowerCase()}-${finding.namespace !== null ? `${finding.namespace}-` : ''}${finding.name}.yaml`;
    const diff = unifiedDiff(before, after, file);
    return diff === '' ? null : diff;
  }
}
