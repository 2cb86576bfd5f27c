/**
 * API discovery: which resource types the server serves (`/api`, `/api/v1`, `/apis`,
 * `/apis/<group>/<version>`), in the version kubectl would use, and which of them a scan lists.
 */
import type { ResourceTypeCoverage } from '../../core/types.js';
import { ApiError, type GetOptions } from './http.js';

/** One served resource type. */
export interface ResourceType {
  /** API group, `''` for core. */
  readonly group: string;
  readonly version: string;
  /** `v1`, `apps/v1`: the apiVersion of its objects. */
  readonly groupVersion: string;
  /** Plural name, e.g. `deployments`. */
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

/** What discovery found. */
export interface DiscoveryResult {
  /** `gitVersion` from `/version`, when readable. */
  readonly kubernetesVersion?: string;
  /** Every served resource type (subresources excluded), preferred version per group first. */
  readonly types: readonly ResourceType[];
  /** Group versions whose discovery failed (`resource: '*'`). */
  readonly failures: readonly ResourceTypeCoverage[];
}

/** Minimal client interface: what discovery and listing need from {@link ApiClient}. */
export interface Getter {
  get<T = unknown>(path: string, query?: Readonly<Record<string, string | undefined>>, options?: GetOptions): Promise<T>;
}

interface APIResource {
  name?: unknown;
  kind?: unknown;
  namespaced?: unknown;
  verbs?: unknown;
}
interface APIResourceList {
  resources?: unknown;
}
interface APIGroup {
  name?: unknown;
  versions?: unknown;
  preferredVersion?: { groupVersion?: unknown; version?: unknown };
}

/**
 * Types a scan does not list: events (volatile, large, read by no check), metrics (computed
 * on the fly), component statuses (deprecated, not objects).
 */
const NOT_LISTED: ReadonlySet<string> = new Set(['events', 'events.events.k8s.io', 'componentstatuses']);
const NOT_LISTED_GROUPS: ReadonlySet<string> = new Set(['metrics.k8s.io']);

function parseResources(list: APIResourceList, group: string, version: string): ResourceType[] {
  const out: ResourceType[] = [];
  const resources = Array.isArray(list.resources) ? (list.resources as APIResource[]) : [];
  for (const r of resources) {
    if (typeof r.name !== 'string' || typeof r.kind !== 'string' || r.name.includes('/')) continue;
    out.push({
      group,
      version,
      groupVersion: group === '' ? version : `${group}/${version}`,
      resource: r.name,
      kind: r.kind,
      namespaced: r.namespaced === true,
      verbs: Array.isArray(r.verbs) ? r.verbs.filter((v): v is string => typeof v === 'string') : [],
    });
  }
  return out;
}

function failure(group: string, version: string, err: unknown): ResourceTypeCoverage {
  const reason = err instanceof ApiError ? `discovery failed: ${err.describe()}` : `discovery failed: ${String(err)}`;
  return { group, version, resource: '*', kind: '*', namespaced: false, status: 'failed', objects: 0, reason };
}

/**
 * Discovers the served resource types. Like kubectl's preferred resources: each resource in
 * the preferred version of its group, or in the first version serving it. Failures of
 * `/api` or `/apis` themselves are thrown (the server is unreachable or refuses us); a group
 * version that fails (a broken aggregated API) is reported in `failures`.
 *
 * @example
 * const { types } = await discover(client);
 * types.find((t) => t.kind === 'Deployment')?.groupVersion; // 'apps/v1'
 */
export async function discover(client: Getter): Promise<DiscoveryResult> {
  const [core, groups, version] = await Promise.all([
    client.get<{ versions?: unknown }>('/api'),
    client.get<{ groups?: unknown }>('/apis'),
    client.get<{ gitVersion?: unknown }>('/version').catch(() => undefined),
  ]);
  const coreVersions = Array.isArray(core.versions) ? core.versions.filter((v): v is string => typeof v === 'string') : ['v1'];
  // Per group: versions in server priority order (preferred first).
  const plan: { group: string; versions: string[] }[] = [{ group: '', versions: coreVersions }];
  for (const g of (Array.isArray(groups.groups) ? groups.groups : []) as APIGroup[]) {
    if (typeof g.name !== 'string' || NOT_LISTED_GROUPS.has(g.name)) continue;
    const listed = (Array.isArray(g.versions) ? g.versions : []).map((v: { version?: unknown }) => v.version).filter((v): v is string => typeof v === 'string');
    const preferred = typeof g.preferredVersion?.version === 'string' ? g.preferredVersion.version : listed[0];
    if (preferred === undefined) continue;
    plan.push({ group: g.name, versions: [preferred, ...listed.filter((v) => v !== preferred)] });
  }
  const failures: ResourceTypeCoverage[] = [];
  const lists = await Promise.all(
    plan.map(async ({ group, versions }) =>
      Promise.all(
        versions.map(async (v, i) => {
          const path = group === '' ? `/api/${v}` : `/apis/${group}/${v}`;
          try {
            return parseResources(await client.get<APIResourceList>(path), group, v);
          } catch (err) {
            // Only the preferred version counts: older versions mostly serve the same types.
            if (i === 0) failures.push(failure(group, v, err));
            return [];
          }
        }),
      ),
    ),
  );
  const types: ResourceType[] = [];
  for (const perVersion of lists) {
    const seen = new Set<string>();
    for (const list of perVersion) {
      for (const t of list) {
        if (seen.has(t.resource)) continue;
        seen.add(t.resource);
        types.push(t);
      }
    }
  }
  return {
    ...(typeof version?.gitVersion === 'string' ? { kubernetesVersion: version.gitVersion } : {}),
    types,
    failures,
  };
}

/** `deployments.apps`: the name kubectl uses. */
export function typeName(t: Pick<ResourceType, 'resource' | 'group'>): string {
  return t.group === '' ? t.resource : `${t.resource}.${t.group}`;
}

/**
 * The types a scan lists: those with the `list` verb, minus events and metrics, and minus
 * the deprecated `extensions` group's copies of types served elsewhere. Sorted by group,
 * then resource, so that inventories (and snapshots) have a stable order.
 *
 * @example
 * listableTypes(types).some((t) => t.resource === 'events'); // false
 */
export function listableTypes(types: readonly ResourceType[]): ResourceType[] {
  const kindsElsewhere = new Set(types.filter((t) => t.group !== 'extensions').map((t) => t.kind));
  return types
    .filter((t) => t.verbs.includes('list') && !NOT_LISTED.has(typeName(t)) && !(t.group === 'extensions' && kindsElsewhere.has(t.kind)))
    .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0));
}
