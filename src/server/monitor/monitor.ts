/**
 * The cluster monitor: one {@link TypeWatcher} per resource type a scan reads, the objects
 * held in memory, and scans through the library's engine (`scanInventory`): a full scan at
 * start and every `fullEvery`, and in between incremental scans of what changes affect.
 *
 * Incremental scope (what is rescanned, and what `ScanInput.scope` names):
 * - a change of a namespaced object rescans every object of its namespace (its workload's
 *   owners and Pods, the Services, NetworkPolicies, LimitRanges, quotas and the Namespace
 *   object, whose findings depend on which Pods exist and how they are configured);
 * - a change of a Namespace rescans that namespace;
 * - a change of RBAC (Role, ClusterRole, their bindings) or of a ServiceAccount rescans every
 *   RBAC object and ServiceAccount (the subjects' effective permissions may change anywhere)
 *   and the namespaces of the service accounts the changed bindings name, and of the
 *   bindings that reference a changed role;
 * - any other cluster-scoped object (Node, webhook, CRD...) rescans that object.
 * The engine runs on the rescanned objects plus their context (every cluster-scoped object,
 * every RBAC object and ServiceAccount): the checks read nothing else across namespaces. The
 * attack-path checks (`uses: ['paths']`) join the whole cluster: they run in full scans only,
 * and incremental scans carry their last findings over for the objects still present.
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { AnyCheck } from '../../core/check.js';
import { PalisadeError } from '../../core/errors.js';
import { Inventory } from '../../core/inventory.js';
import { isObject } from '../../core/object.js';
import type { JsonObject, ResourceTypeCoverage } from '../../core/types.js';
import { prepareChecks, scanInventory } from '../../scan.js';
import { discover, listableTypes, type ResourceType, typeName } from '../../sources/cluster/discovery.js';
import { ApiClient, ApiError } from '../../sources/cluster/http.js';
import { type ClusterTarget, IN_CLUSTER_CONTEXT, resolveClusterTargets } from '../../sources/cluster/kubeconfig.js';
import { snapshotClusterLine, snapshotHeaderLine, snapshotObjectLine } from '../../sources/snapshot.js';
import type { ExceptionRecord, FindingInput, ScanInput } from '../../store/types.js';
import { findingKey, objectKey, rewaive, toFindingInputs } from './findings.js';
import type { ClusterMonitor, MonitorError, MonitorOptions, MonitorStatus } from './types.js';
import { TypeWatcher, type WatchSink } from './watch.js';

const gzipAsync = promisify(gzip);

const HOUR = 3_600_000;
const MAX_ERRORS = 20;
const RBAC_KINDS: ReadonlySet<string> = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ServiceAccount']);
const BINDING_KINDS: ReadonlySet<string> = new Set(['RoleBinding', 'ClusterRoleBinding']);
const RBAC_GV = 'rbac.authorization.k8s.io/v1';

/** One object held. */
interface Held {
  readonly object: JsonObject;
}

/** The key of a snapshot chunk: the objects of one type in one namespace (`''` for cluster-scoped). */
const chunkKey = (type: string, namespace: string | undefined): string => `${type}\u0000${namespace ?? ''}`;

/** A change not yet rescanned: the object as the last scan saw it (undefined: it did not exist). */
interface Pending {
  readonly before: JsonObject | undefined;
}

function metaOf(o: JsonObject): { namespace: string | undefined; name: string } {
  const m = isObject(o.metadata) ? o.metadata : {};
  return { namespace: typeof m.namespace === 'string' ? m.namespace : undefined, name: typeof m.name === 'string' ? m.name : '' };
}

/** Network errors meaning no connection was made. */
const NOT_REACHED: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'ETIMEDOUT']);

function fatal(target: ClusterTarget, err: unknown): PalisadeError {
  if (err instanceof PalisadeError) return err;
  if (err instanceof ApiError) {
    if (err.status === 401 || err.status === 403)
      return new PalisadeError('cluster-auth', `context ${target.context} (${target.server}): the API server refused the credentials: ${err.describe()}`);
    const what =
      err.kind === 'http'
        ? 'the API server answered'
        : err.kind === 'network' && !NOT_REACHED.has(err.reason)
          ? 'request failed'
          : 'cannot reach the API server';
    return new PalisadeError('cluster-unreachable', `context ${target.context} (${target.server}): ${what}: ${err.describe()}`);
  }
  return new PalisadeError('cluster-unreachable', `context ${target.context} (${target.server}): ${err instanceof Error ? err.message : String(err)}`);
}

/**
 * Creates a monitor of one cluster; nothing happens until `start()`.
 *
 * @example
 * const monitor = monitorCluster({
 *   context: 'prod',
 *   onScan: async (scan, snapshot) => {
 *     await store.recordScan(scan);
 *     await store.putClusterState(scan.cluster, snapshot);
 *   },
 * });
 * await monitor.start();
 */
export function monitorCluster(options: MonitorOptions): ClusterMonitor {
  return new Monitor(options);
}

class Monitor implements ClusterMonitor {
  readonly #o: MonitorOptions;
  #cluster: string;
  #server = '';
  #kubernetesVersion: string | undefined;
  #client: ApiClient | undefined;
  #types: ResourceType[] = [];
  readonly #watchers = new Map<string, TypeWatcher>();
  /** Objects per type name, then per object key. */
  readonly #held = new Map<string, Map<string, Held>>();
  readonly #coverage = new Map<string, ResourceTypeCoverage>();
  readonly #discoveryFailures: ResourceTypeCoverage[] = [];
  readonly #pending = new Map<string, Pending>();
  #pendingSince: number | undefined;
  /** Until the first full scan, changes are not queued: that scan reads everything. */
  #collecting = false;
  #fullRequested = false;
  #fullWaiters: (() => void)[] = [];
  #pump: Promise<void> | undefined;
  #debounce: NodeJS.Timeout | undefined;
  #schedule: NodeJS.Timeout | undefined;
  #running = false;
  #stopped = false;
  #ready = false;
  #lastFull: string | null = null;
  #lastScan: string | null = null;
  #scans = 0;
  readonly #errors: MonitorError[] = [];
  #checks: AnyCheck[] = [];
  #localChecks: AnyCheck[] = [];
  /** Findings of the whole-cluster checks from the last full scan, per object key. */
  #globalFindings = new Map<string, FindingInput[]>();
  /**
   * The snapshot's objects, gzip-compressed per type and namespace: a gzip stream may be a
   * series of members, so a snapshot is the header's member followed by these, and a change
   * recompresses only its chunk. Per type name, per namespace: the member and its object count.
   */
  readonly #chunks = new Map<string, Map<string, { readonly gz: Buffer; readonly objects: number }>>();
  readonly #dirty = new Set<string>();
  /** The held objects per namespace (`''`: cluster-scoped), per key: what incremental scans read. */
  readonly #byNamespace = new Map<string, Map<string, JsonObject>>();
  /** Namespaced RBAC objects and ServiceAccounts, per key: the RBAC context of incremental scans. */
  readonly #rbac = new Map<string, JsonObject>();

  constructor(options: MonitorOptions) {
    this.#o = options;
    this.#cluster = options.clusterName ?? options.context ?? (options.inCluster ? IN_CLUSTER_CONTEXT : '');
  }

  status(): MonitorStatus {
    let objects = 0;
    for (const m of this.#held.values()) objects += m.size;
    return {
      cluster: this.#cluster,
      server: this.#server,
      ready: this.#ready,
      running: this.#running,
      lastFullScanAt: this.#lastFull,
      lastScanAt: this.#lastScan,
      scans: this.#scans,
      watchLagMs: this.#pendingSince === undefined ? 0 : Date.now() - this.#pendingSince,
      queued: this.#pending.size,
      objects,
      coverage: this.#coverageList(),
      watches: [...this.#watchers.values()].map((w) => w.state()),
      errors: [...this.#errors],
    };
  }

  async start(): Promise<void> {
    if (this.#running) return;
    const o = this.#o;
    // Checks are selected (and the selection validated) before anything is read.
    this.#checks = prepareChecks(o.scan ?? {});
    this.#localChecks = this.#checks.filter((c) => !(c.uses ?? []).includes('paths') && c.target.kind !== 'cluster');
    const target = await resolveMonitorTarget(o);
    if (this.#cluster === '') this.#cluster = target.context;
    this.#server = target.server;
    let client: ApiClient;
    try {
      client = new ApiClient(target.kubeConfig, { concurrency: 8 });
    } catch (err) {
      throw fatal(target, err);
    }
    this.#client = client;
    let discovered: Awaited<ReturnType<typeof discover>>;
    try {
      discovered = await discover(client);
    } catch (err) {
      client.close();
      throw fatal(target, err);
    }
    this.#kubernetesVersion = discovered.kubernetesVersion;
    for (const f of discovered.failures) this.#discoveryFailures.push({ ...f, cluster: this.#cluster });
    this.#types = listableTypes(discovered.types);
    this.#running = true;
    const sink = this.#sink();
    const excluded = new Set(o.excludeNamespaces ?? []);
    const only = o.namespaces && o.namespaces.length > 0 ? new Set(o.namespaces) : undefined;
    for (const t of this.#types) {
      const name = typeName(t);
      this.#held.set(name, new Map());
      if (t.group === '' && t.resource === 'secrets' && o.secrets === false) {
        this.#coverage.set(name, {
          cluster: this.#cluster,
          group: t.group,
          version: t.version,
          resource: t.resource,
          kind: t.kind,
          namespaced: t.namespaced,
          status: 'skipped',
          objects: 0,
          reason: '--no-secrets',
        });
        continue;
      }
      const w = new TypeWatcher(client, t, sink, {
        pageSize: o.pageSize ?? 500,
        timeoutSeconds: o.watchTimeoutSeconds ?? 300,
        initialBackoffMs: o.backoff?.initialMs ?? 500,
        maxBackoffMs: o.backoff?.maxMs ?? 30_000,
        excludeNamespaces: excluded,
        namespaces: only,
      });
      this.#watchers.set(name, w);
    }
    for (const w of this.#watchers.values()) w.start();
    await Promise.all([...this.#watchers.values()].map((w) => w.listed));
    if (this.#stopped) return;
    this.#collecting = true;
    await this.scanNow();
    if (this.#stopped) return;
    const every = o.fullEvery ?? 6 * HOUR;
    this.#schedule = setInterval(() => {
      this.#relistUnreadable();
      this.#fullRequested = true;
      this.#kick(0);
    }, every);
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#schedule);
    clearTimeout(this.#debounce);
    await Promise.all([...this.#watchers.values()].map((w) => w.stop()));
    await this.#pump;
    this.#client?.close();
    this.#running = false;
    for (const w of this.#fullWaiters.splice(0)) w();
  }

  scanNow(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#fullRequested = true;
      this.#fullWaiters.push(resolve);
      this.#kick(0);
    });
  }

  #error(where: string, message: string): void {
    const e: MonitorError = { at: new Date().toISOString(), where, message };
    this.#errors.push(e);
    if (this.#errors.length > MAX_ERRORS) this.#errors.shift();
    this.#o.onError?.(e);
  }

  #coverageList(): ResourceTypeCoverage[] {
    const out: ResourceTypeCoverage[] = [];
    for (const t of this.#types) {
      const c = this.#coverage.get(typeName(t));
      if (c) out.push(c);
    }
    return [...out, ...this.#discoveryFailures];
  }

  /** Types that were forbidden are listed again before each scheduled full scan (permissions change). */
  #relistUnreadable(): void {
    const client = this.#client;
    if (!client) return;
    for (const [name, w] of this.#watchers) {
      if (!w.forbidden && w.state().state !== 'stopped') continue;
      const again = new TypeWatcher(client, w.type, this.#sink(), {
        pageSize: this.#o.pageSize ?? 500,
        timeoutSeconds: this.#o.watchTimeoutSeconds ?? 300,
        initialBackoffMs: this.#o.backoff?.initialMs ?? 500,
        maxBackoffMs: this.#o.backoff?.maxMs ?? 30_000,
        excludeNamespaces: new Set(this.#o.excludeNamespaces ?? []),
        namespaces: this.#o.namespaces && this.#o.namespaces.length > 0 ? new Set(this.#o.namespaces) : undefined,
      });
      this.#watchers.set(name, again);
      again.start();
    }
  }

  #sink(): WatchSink {
    return {
      replace: (type, objects) => {
        const name = typeName(type);
        const old = this.#held.get(name) ?? new Map<string, Held>();
        const next = new Map<string, Held>();
        for (const o of objects) {
          const key = objectKey(o);
          const before = old.get(key);
          // Unchanged objects keep their entry (and snapshot line).
          if (before && sameObject(before.object, o)) next.set(key, before);
          else {
            next.set(key, { object: o });
            this.#index(key, o, before?.object);
            this.#changed(key, before?.object);
            this.#dirty.add(chunkKey(name, metaOf(o).namespace));
          }
        }
        for (const [key, h] of old) {
          if (next.has(key)) continue;
          this.#index(key, undefined, h.object);
          this.#changed(key, h.object);
          this.#dirty.add(chunkKey(name, metaOf(h.object).namespace));
        }
        this.#held.set(name, next);
      },
      upsert: (type, o) => {
        const m = this.#held.get(typeName(type));
        if (!m) return;
        const key = objectKey(o);
        const before = m.get(key);
        m.set(key, { object: o });
        this.#index(key, o, before?.object);
        this.#dirty.add(chunkKey(typeName(type), metaOf(o).namespace));
        this.#changed(key, before?.object);
      },
      remove: (type, o) => {
        const m = this.#held.get(typeName(type));
        if (!m) return;
        const key = objectKey(o);
        const before = m.get(key);
        if (!before) return;
        m.delete(key);
        this.#index(key, undefined, before.object);
        this.#dirty.add(chunkKey(typeName(type), metaOf(o).namespace));
        this.#changed(key, before.object);
      },
      coverage: (type, c) => {
        this.#coverage.set(typeName(type), { ...c, cluster: this.#cluster });
      },
      error: (where, message) => this.#error(where, message),
    };
  }

  #index(key: string, o: JsonObject | undefined, before: JsonObject | undefined): void {
    if (before) {
      this.#byNamespace.get(metaOf(before).namespace ?? '')?.delete(key);
      this.#rbac.delete(key);
    }
    if (!o) return;
    const ns = metaOf(o).namespace;
    let m = this.#byNamespace.get(ns ?? '');
    if (!m) {
      m = new Map();
      this.#byNamespace.set(ns ?? '', m);
    }
    m.set(key, o);
    if (ns !== undefined && RBAC_KINDS.has(String(o.kind))) this.#rbac.set(key, o);
  }

  #changed(key: string, before: JsonObject | undefined): void {
    if (!this.#collecting) return;
    if (!this.#pending.has(key)) {
      const max = this.#o.maxQueue ?? 50_000;
      if (this.#pending.size >= max) {
        // A flood: a full scan replaces the queue, so memory stays bounded.
        this.#pending.clear();
        this.#fullRequested = true;
        this.#error('queue', `more than ${max} objects changed before a rescan: running a full scan instead`);
      } else this.#pending.set(key, { before });
    }
    this.#pendingSince ??= Date.now();
    this.#kick(this.#o.debounceMs ?? 100);
  }

  #kick(delay: number): void {
    if (this.#stopped || this.#pump) return;
    if (this.#debounce) {
      if (delay > 0) return;
      clearTimeout(this.#debounce);
    }
    this.#debounce = setTimeout(() => {
      this.#debounce = undefined;
      this.#pump = this.#drain().finally(() => {
        this.#pump = undefined;
        // Changes that arrived during the last scan.
        if (!this.#stopped && (this.#fullRequested || this.#pending.size > 0)) this.#kick(this.#o.debounceMs ?? 100);
      });
    }, delay);
  }

  async #drain(): Promise<void> {
    while (!this.#stopped && (this.#fullRequested || this.#pending.size > 0)) {
      const full = this.#fullRequested;
      this.#fullRequested = false;
      const waiters = full ? this.#fullWaiters.splice(0) : [];
      const pending = new Map(this.#pending);
      this.#pending.clear();
      this.#pendingSince = undefined;
      try {
        await this.#scan(full ? undefined : pending);
      } catch (err) {
        this.#error('scan', err instanceof Error ? err.message : String(err));
      }
      for (const w of waiters) w();
    }
  }

  #current(key: string): JsonObject | undefined {
    // Keys start with apiVersion/kind: find the type holding it.
    for (const m of this.#held.values()) {
      const h = m.get(key);
      if (h) return h.object;
    }
    return undefined;
  }

  async #exceptions(): Promise<readonly ExceptionRecord[]> {
    if (!this.#o.exceptions) return [];
    try {
      return await this.#o.exceptions();
    } catch (err) {
      this.#error('exceptions', `could not read the exceptions, scanning without them: ${err instanceof Error ? err.message : String(err)}`);
      return [];
    }
  }

  /** A full scan (`pending` undefined) or an incremental one of what `pending` affects. */
  async #scan(pending: ReadonlyMap<string, Pending> | undefined): Promise<void> {
    const startedAt = new Date().toISOString();
    const exceptions = await this.#exceptions();
    const coverage = this.#coverageList();
    const cluster = {
      name: this.#cluster,
      server: this.#server,
      ...(this.#kubernetesVersion !== undefined ? { kubernetesVersion: this.#kubernetesVersion } : {}),
    };
    let scan: ScanInput;
    if (!pending) {
      const inventory = this.#inventory(() => true);
      const report = scanInventory(inventory, { ...this.#o.scan, preparedChecks: this.#checks, coverage, cluster });
      const findings = toFindingInputs(this.#cluster, report.findings, exceptions);
      const globalIds = new Set(this.#checks.filter((c) => !this.#localChecks.includes(c)).map((c) => c.id));
      const global = new Map<string, FindingInput[]>();
      for (const f of findings) {
        if (!globalIds.has(f.check)) continue;
        const k = findingKey(f);
        const list = global.get(k);
        if (list) list.push(f);
        else global.set(k, [f]);
      }
      this.#globalFindings = global;
      scan = {
        cluster: this.#cluster,
        kind: 'full',
        startedAt,
        finishedAt: new Date().toISOString(),
        findings,
        resources: inventory.size,
        checksRun: report.summary.checksRun,
        coverage,
      };
    } else {
      const { scope, namespaces, wholeRbac } = this.#scopeOf(pending);
      const inventory = this.#contextInventory(namespaces, wholeRbac);
      // Objects whose findings this scan decides: the changed ones and the affected namespaces' (and RBAC's) objects.
      for (const r of inventory.all) {
        const o = r.object;
        const ns = metaOf(o).namespace;
        const key = objectKey(o);
        if ((ns !== undefined && namespaces.has(ns)) || (wholeRbac && RBAC_KINDS.has(String(o.kind)))) scope.add(key);
        if (o.kind === 'Namespace' && namespaces.has(metaOf(o).name)) scope.add(key);
      }
      const report = scanInventory(inventory, { ...this.#o.scan, preparedChecks: this.#localChecks, coverage, cluster });
      // Only the scope's findings: the context objects' are not this scan's to decide.
      const inScope = report.findings.filter((f) => scope.has(`${f.resource.apiVersion}/${f.resource.kind}/${f.resource.namespace ?? ''}/${f.resource.name}`));
      const findings = toFindingInputs(this.#cluster, inScope, exceptions);
      // Whole-cluster checks: their last full-scan findings, for the objects still there.
      for (const key of scope) {
        const carried = this.#globalFindings.get(key);
        if (carried && this.#current(key)) findings.push(...rewaive(this.#cluster, carried, exceptions));
        else if (carried) this.#globalFindings.delete(key);
      }
      scan = {
        cluster: this.#cluster,
        kind: 'incremental',
        startedAt,
        finishedAt: new Date().toISOString(),
        scope: [...scope].sort(),
        findings,
        resources: scope.size,
        checksRun: report.summary.checksRun,
        coverage,
      };
    }
    const snapshot = await this.#snapshot(coverage);
    try {
      await this.#o.onScan(scan, snapshot);
    } catch (err) {
      this.#error('onScan', err instanceof Error ? err.message : String(err));
    }
    this.#scans++;
    this.#lastScan = scan.finishedAt;
    if (scan.kind === 'full') {
      this.#lastFull = scan.finishedAt;
      this.#ready = true;
    }
  }

  /** The affected objects (keys), namespaces and whether RBAC as a whole is rescanned. */
  #scopeOf(pending: ReadonlyMap<string, Pending>): { scope: Set<string>; namespaces: Set<string>; wholeRbac: boolean } {
    const scope = new Set<string>();
    const namespaces = new Set<string>();
    const changedRoles: { kind: string; name: string; namespace: string | undefined }[] = [];
    let wholeRbac = false;
    const subjectsOf = (o: JsonObject): void => {
      const ns = metaOf(o).namespace;
      if (ns !== undefined) namespaces.add(ns);
      for (const s of Array.isArray(o.subjects) ? o.subjects : []) {
        if (isObject(s) && s.kind === 'ServiceAccount') {
          const sns = typeof s.namespace === 'string' ? s.namespace : ns;
          if (sns !== undefined) namespaces.add(sns);
        }
      }
    };
    for (const [key, p] of pending) {
      scope.add(key);
      const now = this.#current(key);
      for (const o of [p.before, now]) {
        if (!o) continue;
        const kind = String(o.kind);
        const { namespace, name } = metaOf(o);
        if (RBAC_KINDS.has(kind)) {
          wholeRbac = true;
          if (BINDING_KINDS.has(kind)) subjectsOf(o);
          else if (kind === 'Role' || kind === 'ClusterRole') changedRoles.push({ kind, name, namespace });
          if (namespace !== undefined) namespaces.add(namespace);
        } else if (kind === 'Namespace') namespaces.add(name);
        else if (namespace !== undefined) namespaces.add(namespace);
      }
    }
    if (changedRoles.length > 0) {
      for (const bindingType of ['rolebindings.rbac.authorization.k8s.io', 'clusterrolebindings.rbac.authorization.k8s.io']) {
        for (const h of this.#held.get(bindingType)?.values() ?? []) {
          const ref = isObject(h.object.roleRef) ? h.object.roleRef : {};
          const bns = metaOf(h.object).namespace;
          if (changedRoles.some((r) => r.kind === ref.kind && r.name === ref.name && (r.kind === 'ClusterRole' || r.namespace === bns))) subjectsOf(h.object);
        }
      }
    }
    return { scope, namespaces, wholeRbac };
  }

  /**
   * The inventory of an incremental scan: every object of the affected namespaces, every
   * cluster-scoped object, and the namespaced RBAC that can grant the affected namespaces'
   * subjects anything (all of it when RBAC itself changed).
   */
  #contextInventory(namespaces: ReadonlySet<string>, wholeRbac: boolean): Inventory {
    const inventory = new Inventory({ cluster: this.#cluster });
    const added = new Set<string>();
    const add = (key: string, o: JsonObject): void => {
      if (added.has(key)) return;
      added.add(key);
      inventory.add({ object: o });
    };
    for (const [key, o] of this.#byNamespace.get('') ?? []) add(key, o);
    for (const ns of namespaces) for (const [key, o] of this.#byNamespace.get(ns) ?? []) add(key, o);
    if (wholeRbac) {
      for (const [key, o] of this.#rbac) add(key, o);
      return inventory;
    }
    const grantsScope = (s: unknown, bindingNs: string | undefined): boolean => {
      if (!isObject(s) || typeof s.name !== 'string') return false;
      if (s.kind === 'ServiceAccount') return namespaces.has(typeof s.namespace === 'string' ? s.namespace : (bindingNs ?? ''));
      if (s.kind === 'Group')
        return (
          s.name === 'system:serviceaccounts' ||
          s.name === 'system:authenticated' ||
          s.name === 'system:unauthenticated' ||
          (s.name.startsWith('system:serviceaccounts:') && namespaces.has(s.name.slice('system:serviceaccounts:'.length)))
        );
      if (s.kind === 'User' && s.name.startsWith('system:serviceaccount:')) return namespaces.has(s.name.split(':')[2] ?? '');
      return false;
    };
    const roles = new Set<string>();
    for (const [key, o] of this.#rbac) {
      if (o.kind !== 'RoleBinding') continue;
      const ns = metaOf(o).namespace;
      if (!(Array.isArray(o.subjects) && o.subjects.some((s) => grantsScope(s, ns)))) continue;
      add(key, o);
      const ref = isObject(o.roleRef) ? o.roleRef : {};
      if (ref.kind === 'Role' && typeof ref.name === 'string') roles.add(`${RBAC_GV}/Role/${ns ?? ''}/${ref.name}`);
    }
    for (const key of roles) {
      const o = this.#rbac.get(key);
      if (o) add(key, o);
    }
    return inventory;
  }

  /** An inventory of the held objects that `keep` accepts, in a stable order (by type, then as listed). */
  #inventory(keep: (key: string, o: JsonObject, namespace: string | undefined) => boolean): Inventory {
    const inventory = new Inventory({ cluster: this.#cluster });
    for (const t of this.#types) {
      const m = this.#held.get(typeName(t));
      if (!m) continue;
      for (const [key, h] of m) if (keep(key, h.object, metaOf(h.object).namespace)) inventory.add({ object: h.object });
    }
    return inventory;
  }

  /**
   * The cluster's snapshot (the `palisade snapshot` format, gzip), Secrets redacted: the
   * header's gzip member, then each type's chunks (recompressed only where objects changed).
   */
  async #snapshot(coverage: readonly ResourceTypeCoverage[]): Promise<Uint8Array> {
    const dirtyTypes = new Map<string, Set<string>>();
    for (const k of this.#dirty) {
      const [type, ns] = k.split('\u0000') as [string, string];
      let set = dirtyTypes.get(type);
      if (!set) {
        set = new Set();
        dirtyTypes.set(type, set);
      }
      set.add(ns);
    }
    this.#dirty.clear();
    // Compressed a few at a time: each deflate stream holds about 300 KB of state, and the
    // first snapshot has thousands of chunks.
    const work: (() => Promise<void>)[] = [];
    for (const [type, namespaces] of dirtyTypes) {
      const lines = new Map<string, string[]>();
      for (const ns of namespaces) lines.set(ns, []);
      for (const h of this.#held.get(type)?.values() ?? []) {
        const list = lines.get(metaOf(h.object).namespace ?? '');
        if (list) list.push(snapshotObjectLine(h.object));
      }
      let chunks = this.#chunks.get(type);
      if (!chunks) {
        chunks = new Map();
        this.#chunks.set(type, chunks);
      }
      const target = chunks;
      for (const [ns, list] of lines) {
        if (list.length === 0) {
          target.delete(ns);
          continue;
        }
        work.push(async () => {
          target.set(ns, { gz: await gzipAsync(`${list.join('\n')}\n`), objects: list.length });
        });
      }
    }
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(4, work.length) }, async () => {
        while (next < work.length) await (work[next++] as () => Promise<void>)();
      }),
    );
    const parts: Buffer[] = [];
    let objects = 0;
    for (const t of this.#types) {
      const chunks = this.#chunks.get(typeName(t));
      if (!chunks) continue;
      for (const ns of [...chunks.keys()].sort()) {
        const c = chunks.get(ns) as { gz: Buffer; objects: number };
        parts.push(c.gz);
        objects += c.objects;
      }
    }
    const header =
      snapshotHeaderLine(new Date().toISOString(), 1) +
      snapshotClusterLine(
        {
          name: this.#cluster,
          server: this.#server,
          ...(this.#kubernetesVersion !== undefined ? { kubernetesVersion: this.#kubernetesVersion } : {}),
          coverage,
        },
        objects,
      );
    return new Uint8Array(Buffer.concat([await gzipAsync(header), ...parts]));
  }
}

/** Whether a relisted object is the one held: same resourceVersion when both have one, else same content. */
function sameObject(a: JsonObject, b: JsonObject): boolean {
  const ra = isObject(a.metadata) ? a.metadata.resourceVersion : undefined;
  const rb = isObject(b.metadata) ? b.metadata.resourceVersion : undefined;
  if (typeof ra === 'string' && typeof rb === 'string') return ra === rb;
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The cluster a monitor watches, resolved from its options as `palisade scan --cluster` resolves
 * a context: throws a usage error (exit 2) when the kubeconfig does not name it or no cluster is
 * configured, so that `palisade serve` and `palisade agent` can refuse such a target at start.
 *
 * @example
 * await resolveMonitorTarget({ context: 'prod' }); // throws when the kubeconfig has no "prod"
 */
export async function resolveMonitorTarget(
  o: Pick<MonitorOptions, 'inCluster' | 'kubeconfig' | 'context' | 'env' | 'serviceAccountDir'>,
): Promise<ClusterTarget> {
  const env = o.inCluster
    ? // The pod's service account only: no kubeconfig file is looked for.
      {
        KUBERNETES_SERVICE_HOST: (o.env ?? process.env).KUBERNETES_SERVICE_HOST,
        KUBERNETES_SERVICE_PORT: (o.env ?? process.env).KUBERNETES_SERVICE_PORT,
      }
    : o.env;
  const targets = await resolveClusterTargets({
    ...(o.kubeconfig !== undefined && !o.inCluster ? { kubeconfig: o.kubeconfig } : {}),
    ...(o.context !== undefined && !o.inCluster ? { contexts: [o.context] } : {}),
    ...(env !== undefined ? { env } : {}),
    ...(o.serviceAccountDir !== undefined ? { serviceAccountDir: o.serviceAccountDir } : {}),
  });
  return targets[0] as ClusterTarget;
}
