/**
 * Lists the objects of one resource type, page by page (`limit`/`continue`), and records how
 * completely it was read. A cluster-wide list that is forbidden falls back to one list per
 * namespace the scan knows of (a namespace-restricted token still yields what it can read);
 * an expired continue token (410 Gone) restarts the list once, as kubectl and informers do.
 */
import { normalizeObject } from '../normalize.js';
import type { JsonObject, ResourceTypeCoverage } from '../../core/types.js';
import type { Getter, ResourceType } from './discovery.js';
import { ApiError } from './http.js';
import { pruneFieldsFor } from './prune.js';
import { isObject } from '../../core/object.js';

/** What to list, and how. */
export interface ListPlan {
  /** Only these namespaces (`--namespace`); namespaced types are listed per namespace. */
  readonly namespaces?: readonly string[];
  /** Never these namespaces (`--exclude-namespace`). */
  readonly excludeNamespaces?: readonly string[];
  /** Objects per page (default 500, kubectl's chunk size). */
  readonly pageSize?: number;
  /** False for `--no-secrets`: Secrets are not read at all. */
  readonly secrets?: boolean;
  /** Called after each page with the number of objects it held. */
  readonly onObjects?: (count: number) => void;
}

/** The objects of one type and its coverage. */
export interface TypeResult {
  readonly type: ResourceType;
  readonly objects: readonly JsonObject[];
  readonly coverage: ResourceTypeCoverage;
}

/** Runs async tasks with at most `limit` in flight, keeping results in input order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function pathOf(t: ResourceType, namespace?: string): string {
  const base = t.group === '' ? `/api/${t.version}` : `/apis/${t.group}/${t.version}`;
  return namespace !== undefined && t.namespaced ? `${base}/namespaces/${encodeURIComponent(namespace)}/${t.resource}` : `${base}/${t.resource}`;
}

function namespaceOf(o: JsonObject): string | undefined {
  const m = o.metadata;
  return isObject(m) && typeof m.namespace === 'string' ? m.namespace : undefined;
}

function nameOf(o: JsonObject): string | undefined {
  const m = o.metadata;
  return isObject(m) && typeof m.name === 'string' ? m.name : undefined;
}

/** List items carry no apiVersion/kind; objects in the inventory must. */
function toObject(item: JsonObject, t: ResourceType): JsonObject {
  return normalizeObject(item, { apiVersion: t.groupVersion, kind: t.kind });
}

/**
 * Lists every page of one collection. On 410 Gone (expired continue token) the list starts
 * again from the beginning, once; the partial result is dropped so nothing is counted twice.
 */
export async function listAll(client: Getter, t: ResourceType, path: string, query: Readonly<Record<string, string>>, plan: ListPlan): Promise<JsonObject[]> {
  const limit = String(plan.pageSize ?? 500);
  // Fields that normalisation drops are cut before parsing where the type's JSON shape is known.
  const prune = pruneFieldsFor(t);
  const options = prune ? { prune } : {};
  let restarted = false;
  let objects: JsonObject[] = [];
  let cont: string | undefined;
  for (;;) {
    let page: { items?: unknown; metadata?: { continue?: unknown } };
    try {
      page = await client.get(path, { ...query, limit, continue: cont }, options);
    } catch (err) {
      if (err instanceof ApiError && err.status === 410 && cont !== undefined) {
        if (restarted) throw new ApiError('http', 410, err.reason, `list expired (410 Gone) again after a restart: ${err.message}`);
        restarted = true;
        objects = [];
        cont = undefined;
        continue;
      }
      throw err;
    }
    const items = Array.isArray(page.items) ? page.items : [];
    for (const item of items) if (isObject(item)) objects.push(toObject(item, t));
    plan.onObjects?.(items.length);
    const next = page.metadata?.continue;
    if (typeof next !== 'string' || next === '') return objects;
    cont = next;
  }
}

function describe(err: unknown): string {
  if (err instanceof ApiError) {
    return err.describe();
  }
  return err instanceof Error ? err.message : String(err);
}

function statusOf(err: unknown): 'forbidden' | 'failed' {
  return err instanceof ApiError && (err.status === 403 || err.status === 401) ? 'forbidden' : 'failed';
}

function base(t: ResourceType): Omit<ResourceTypeCoverage, 'status' | 'objects'> {
  return { group: t.group, version: t.version, resource: t.resource, kind: t.kind, namespaced: t.namespaced };
}

/** Lists a namespaced type namespace by namespace; the coverage says which namespaces failed. */
async function perNamespace(
  client: Getter,
  t: ResourceType,
  namespaces: readonly string[],
  plan: ListPlan,
  concurrency: number,
  clusterWideErr?: unknown,
): Promise<TypeResult> {
  const results = await mapLimited(namespaces, concurrency, async (ns) => {
    try {
      return { ns, objects: await listAll(client, t, pathOf(t, ns), {}, plan) };
    } catch (err) {
      return { ns, err };
    }
  });
  const objects: JsonObject[] = [];
  const read: string[] = [];
  const denied: string[] = [];
  let firstErr: unknown;
  for (const r of results) {
    if ('objects' in r && r.objects) {
      read.push(r.ns);
      for (const o of r.objects) objects.push(o);
    } else {
      denied.push(r.ns);
      firstErr ??= r.err;
    }
  }
  if (denied.length === 0) return { type: t, objects, coverage: { ...base(t), status: 'ok', objects: objects.length } };
  if (read.length === 0) {
    // Nothing readable anywhere: the cluster-wide refusal says it best.
    const reason = clusterWideErr !== undefined ? `${describe(clusterWideErr)}; and in each of the ${denied.length} namespaces` : describe(firstErr);
    return { type: t, objects, coverage: { ...base(t), status: statusOf(firstErr), objects: 0, reason } };
  }
  const reason = [clusterWideErr !== undefined ? 'forbidden cluster-wide, listed per namespace' : '', describe(firstErr)].filter(Boolean).join('; ');
  return {
    type: t,
    objects,
    coverage: { ...base(t), status: 'partial', objects: objects.length, reason, namespacesRead: read, namespacesDenied: denied },
  };
}

/**
 * Lists one resource type. `knownNamespaces` (from `--namespace` or a readable Namespace
 * list) lets a forbidden cluster-wide list fall back to per-namespace lists.
 *
 * @example
 * const { objects, coverage } = await listType(client, podsType, { pageSize: 500 }, ['default']);
 */
export async function listType(
  client: Getter,
  t: ResourceType,
  plan: ListPlan,
  knownNamespaces: readonly string[] | undefined,
  concurrency = 8,
): Promise<TypeResult> {
  const excluded = new Set(plan.excludeNamespaces ?? []);
  const selected = plan.namespaces && plan.namespaces.length > 0 ? plan.namespaces.filter((n) => !excluded.has(n)) : undefined;
  if (t.group === '' && t.resource === 'secrets' && plan.secrets === false) {
    return { type: t, objects: [], coverage: { ...base(t), status: 'skipped', objects: 0, reason: '--no-secrets' } };
  }
  if (t.namespaced && selected) return perNamespace(client, t, selected, plan, concurrency);
  // Cluster-wide; excluded namespaces are filtered by the server (every type supports
  // metadata.namespace field selectors) and again here, in case a server ignores it.
  const query: Record<string, string> = {};
  if (t.namespaced && excluded.size > 0) query.fieldSelector = [...excluded].map((n) => `metadata.namespace!=${n}`).join(',');
  const isNamespaceType = t.group === '' && t.resource === 'namespaces';
  try {
    let objects = await listAll(client, t, pathOf(t), query, plan);
    if (t.namespaced && excluded.size > 0) objects = objects.filter((o) => !excluded.has(namespaceOf(o) ?? ''));
    if (isNamespaceType) objects = objects.filter((o) => !excluded.has(nameOf(o) ?? '') && (!selected || selected.includes(nameOf(o) ?? '')));
    return { type: t, objects, coverage: { ...base(t), status: 'ok', objects: objects.length } };
  } catch (err) {
    const forbidden = err instanceof ApiError && err.status === 403;
    if (forbidden && t.namespaced && knownNamespaces) {
      const namespaces = knownNamespaces.filter((n) => !excluded.has(n));
      return perNamespace(client, t, namespaces, plan, concurrency, err);
    }
    if (forbidden && isNamespaceType && selected) return getNamespaces(client, t, selected, concurrency);
    let reason = describe(err);
    if (forbidden && t.namespaced) reason += '; namespaces could not be listed to fall back to per-namespace lists (pass --namespace to name them)';
    return { type: t, objects: [], coverage: { ...base(t), status: statusOf(err), objects: 0, reason } };
  }
}

/** Namespaces named with `--namespace` when the Namespace list is forbidden: GET each one. */
async function getNamespaces(client: Getter, t: ResourceType, names: readonly string[], concurrency: number): Promise<TypeResult> {
  const results = await mapLimited(names, concurrency, async (name) => {
    try {
      const o = await client.get<unknown>(`${pathOf(t)}/${encodeURIComponent(name)}`);
      return isObject(o) ? { name, object: toObject(o, t) } : { name, err: new Error('not an object') };
    } catch (err) {
      return { name, err };
    }
  });
  const objects = results.flatMap((r) => ('object' in r && r.object ? [r.object] : []));
  const denied = results.filter((r) => !('object' in r)).map((r) => r.name);
  const firstErr = results.find((r) => 'err' in r)?.err;
  if (denied.length === 0) return { type: t, objects, coverage: { ...base(t), status: 'ok', objects: objects.length } };
  const reason = describe(firstErr);
  if (objects.length === 0) return { type: t, objects, coverage: { ...base(t), status: statusOf(firstErr), objects: 0, reason } };
  return {
    type: t,
    objects,
    coverage: {
      ...base(t),
      status: 'partial',
      objects: objects.length,
      reason,
      namespacesRead: objects.map((o) => nameOf(o) ?? ''),
      namespacesDenied: denied,
    },
  };
}
