/**
 * TEST UTILITY, not part of the published package: a fake Kubernetes API server that serves
 * fixture objects with the real REST shapes, for tests and benchmarks of the cluster source.
 * Tests run it in its own process (`fake-apiserver-main.ts`, through `fake-apiserver-process.ts`):
 * a server in the test's own process keeps the event loop alive and hides client bugs such as
 * an unref'd retry timer.
 *
 * What it serves, on loopback only:
 * - discovery: `/version`, `/api`, `/api/v1`, `/apis`, `/apis/<group>/<version>` (APIResourceList
 *   with verbs, namespaced and kind), built-in types plus the CRDs found among the objects;
 * - lists, cluster-wide and per namespace, with `limit`/`continue` pagination, `metadata.namespace`
 *   field selectors and gzip for large bodies; GET of single objects;
 * - authentication by bearer token or TLS client certificate (CN = user), and an authorizer
 *   callback (403 for chosen resources or namespaces); `POST` of TokenReviews (the tokens) and
 *   SubjectAccessReviews (the authorizer), for servers that delegate auth to the cluster;
 * - faults: fixed statuses, slow responses, connections dropped mid-body, expired continue
 *   tokens (410 Gone);
 * - watches (`?watch=1`): ADDED/MODIFIED/DELETED events from a resourceVersion (or the current
 *   objects as ADDED without one), BOOKMARK events with `allowWatchBookmarks`, `timeoutSeconds`,
 *   and an ERROR event with a 410 Status for a resourceVersion older than the last compaction;
 * - an admin API for tests to change the cluster while clients watch (no authentication, under
 *   `/fake/`): `POST /fake/apply {"objects": [...]}` (create or replace), `POST /fake/delete
 *   {"objects": [{apiVersion, kind, metadata: {namespace, name}}]}`, `POST /fake/compact` (older
 *   resourceVersions answer 410 Gone), `POST /fake/watches {"action": "drop" | "expire" |
 *   "refuse" | "accept"}` (drop every open watch connection; end every watch with a 410 ERROR
 *   event; drop new watch connections too until `accept`), `GET /fake/state` (resourceVersion,
 *   open watches, objects).
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { gzipSync } from 'node:zlib';
import type { JsonObject } from '../../src/core/types.js';
import { isObject } from '../../src/core/object.js';

/** A resource type the server serves. */
export interface ServedType {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs?: readonly string[];
}

/** One access decision the authorizer is asked for. */
export interface AccessRequest {
  readonly user: string;
  /** `create` and `update` are asked by SubjectAccessReviews only. */
  readonly verb: 'list' | 'get' | 'watch' | 'create' | 'update';
  readonly group: string;
  readonly resource: string;
  /** Absent for cluster-wide lists and cluster-scoped objects. */
  readonly namespace?: string;
  /** The object's name, for `get`. */
  readonly name?: string;
}

/**
 * One access rule, as data (so that it crosses a process boundary): absent fields match
 * everything; `namespace: null` matches cluster-wide requests and cluster-scoped objects only.
 * The first matching rule decides; without a match, the request is allowed.
 */
export interface AccessRule {
  readonly allow: boolean;
  readonly user?: string;
  readonly verb?: AccessRequest['verb'];
  readonly group?: string;
  /** Plural resource name, e.g. `secrets`. */
  readonly resource?: string;
  readonly namespace?: string | readonly string[] | null;
  readonly name?: string;
}

/**
 * An authorizer from access rules (first match wins, default allow).
 *
 * @example
 * authorizeByRules([{ allow: true, user: 'admin' }, { allow: false, resource: 'secrets' }]);
 */
export function authorizeByRules(rules: readonly AccessRule[]): (request: AccessRequest) => boolean {
  return (a) => {
    for (const r of rules) {
      if (r.user !== undefined && r.user !== a.user) continue;
      if (r.verb !== undefined && r.verb !== a.verb) continue;
      if (r.group !== undefined && r.group !== a.group) continue;
      if (r.resource !== undefined && r.resource !== a.resource) continue;
      if (r.name !== undefined && r.name !== a.name) continue;
      if (r.namespace === null && a.namespace !== undefined) continue;
      if (typeof r.namespace === 'string' && r.namespace !== a.namespace) continue;
      if (Array.isArray(r.namespace) && (a.namespace === undefined || !r.namespace.includes(a.namespace))) continue;
      return r.allow;
    }
    return true;
  };
}

/** Which requests a fault applies to; absent fields match everything. */
export interface FaultMatch {
  /** `pods`, `deployments.apps`, `rollouts.argoproj.io`. */
  readonly resource?: string;
  readonly namespace?: string;
  /** Page of a list: 0 for the first request, 1 for the first `continue`... */
  readonly page?: number;
  /** Exact request path (without query). */
  readonly path?: string;
  /** The authenticated user (so that concurrent clients each meet their own faults). */
  readonly user?: string;
  /** True: watch requests only; false: lists and gets only; absent: both. */
  readonly watch?: boolean;
}

/** A failure to inject. Each applies `times` times (default: always). */
export type Fault =
  | {
      readonly type: 'status';
      readonly match: FaultMatch;
      readonly status: number;
      readonly times?: number;
      readonly message?: string;
      /** `Retry-After` header value, e.g. `1` (seconds). */
      readonly retryAfter?: string;
    }
  | { readonly type: 'delay'; readonly match: FaultMatch; readonly ms: number; readonly times?: number }
  /** Sends the headers and half the body, then destroys the connection. */
  | { readonly type: 'drop'; readonly match: FaultMatch; readonly times?: number }
  /** Answers a `continue` request with 410 Gone (`Expired`), as when the token outlived etcd compaction. */
  | { readonly type: 'expire-continue'; readonly match: FaultMatch; readonly times?: number };

/** Options of {@link startFakeApiServer}. */
export interface FakeApiServerOptions {
  readonly objects: readonly JsonObject[];
  /** `gitVersion` of `/version` (default `v1.31.0`). */
  readonly version?: string;
  /** HTTPS with this key and certificate (PEM); plain HTTP without. */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer; readonly clientCa?: string | Buffer };
  /** Bearer tokens and the users they authenticate. */
  readonly tokens?: Readonly<Record<string, string>>;
  /** Decides list/get access; default: everything allowed. Discovery is always allowed. */
  readonly authorize?: (request: AccessRequest) => boolean;
  readonly faults?: readonly Fault[];
  /** Largest page served whatever `limit` asks (default 500). */
  readonly maxPageSize?: number;
  /** Bodies larger than this are gzip-compressed when the client accepts it (default 128 KiB, as kube-apiserver). */
  readonly gzipThreshold?: number;
  /** Types served besides the built-in ones and the CRDs found among the objects. */
  readonly extraTypes?: readonly ServedType[];
  /**
   * Emulated serving cost of a real API server, in microseconds per object returned: a list
   * page of N objects is answered after N x this delay (benchmarks; default 0). The delay is
   * a timer, not CPU, as a multi-core API server serves concurrent lists in parallel.
   */
  readonly costPerObjectUs?: number;
  /** Milliseconds between BOOKMARK events of watches that allow them (default 1000). */
  readonly bookmarkIntervalMs?: number;
  /** Watch events kept for resuming; older resourceVersions answer 410 Gone (default 100,000). */
  readonly watchHistory?: number;
}

/** A running fake server. */
export interface FakeApiServer {
  /** `https://127.0.0.1:PORT` (or `http://`). */
  readonly url: string;
  /** Requests served: method, path with query, user and status. */
  readonly requests: { readonly path: string; readonly user: string; readonly status: number }[];
  close(): Promise<void>;
}

const TOKEN_REVIEWS = '/apis/authentication.k8s.io/v1/tokenreviews';
const ACCESS_REVIEWS = '/apis/authorization.k8s.io/v1/subjectaccessreviews';

const L = ['get', 'list', 'watch'];
const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** The built-in types a recent kube-apiserver serves (subset relevant to scanning, plus a few that must be skipped). */
export const BUILTIN_TYPES: readonly ServedType[] = [
  { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false, verbs: RW },
  { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false, verbs: RW },
  { group: '', version: 'v1', resource: 'persistentvolumes', kind: 'PersistentVolume', namespaced: false, verbs: RW },
  { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true, verbs: RW },
  { group: '', version: 'v1', resource: 'pods/log', kind: 'Pod', namespaced: true, verbs: ['get'] },
  { group: '', version: 'v1', resource: 'pods/exec', kind: 'PodExecOptions', namespaced: true, verbs: ['create', 'get'] },
  { group: '', version: 'v1', resource: 'bindings', kind: 'Binding', namespaced: true, verbs: ['create'] },
  { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true, verbs: RW },
  { group: '', version: 'v1', resource: 'endpoints', kind: 'Endpoints', namespaced: true, verbs: RW },
  { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: RW },
  { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true, verbs: RW },
  { group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true, verbs: RW },
  { group: '', version: 'v1', resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', namespaced: true, verbs: RW },
  { group: '', version: 'v1', resource: 'replicationcontrollers', kind: 'ReplicationController', namespaced: true, verbs: RW },
  { group: '', version: 'v1', resource: 'limitranges', kind: 'LimitRange', namespaced: true, verbs: RW },
  { group: '', version: 'v1', resource: 'resourcequotas', kind: 'ResourceQuota', namespaced: true, verbs: RW },
  { group: '', version: 'v1', resource: 'podtemplates', kind: 'PodTemplate', namespaced: true, verbs: RW },
  { group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true, verbs: RW },
  { group: '', version: 'v1', resource: 'componentstatuses', kind: 'ComponentStatus', namespaced: false, verbs: L },
  { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true, verbs: RW },
  { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', namespaced: true, verbs: RW },
  { group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet', namespaced: true, verbs: RW },
  { group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet', namespaced: true, verbs: RW },
  { group: 'apps', version: 'v1', resource: 'controllerrevisions', kind: 'ControllerRevision', namespaced: true, verbs: RW },
  { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true, verbs: RW },
  { group: 'batch', version: 'v1', resource: 'cronjobs', kind: 'CronJob', namespaced: true, verbs: RW },
  { group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true, verbs: RW },
  { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', kind: 'Ingress', namespaced: true, verbs: RW },
  { group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses', kind: 'IngressClass', namespaced: false, verbs: RW },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles', kind: 'Role', namespaced: true, verbs: RW },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'rolebindings', kind: 'RoleBinding', namespaced: true, verbs: RW },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', kind: 'ClusterRole', namespaced: false, verbs: RW },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false, verbs: RW },
  { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true, verbs: RW },
  {
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    resource: 'validatingwebhookconfigurations',
    kind: 'ValidatingWebhookConfiguration',
    namespaced: false,
    verbs: RW,
  },
  {
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    resource: 'mutatingwebhookconfigurations',
    kind: 'MutatingWebhookConfiguration',
    namespaced: false,
    verbs: RW,
  },
  {
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    resource: 'validatingadmissionpolicies',
    kind: 'ValidatingAdmissionPolicy',
    namespaced: false,
    verbs: RW,
  },
  {
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    resource: 'validatingadmissionpolicybindings',
    kind: 'ValidatingAdmissionPolicyBinding',
    namespaced: false,
    verbs: RW,
  },
  { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false, verbs: RW },
  { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses', kind: 'StorageClass', namespaced: false, verbs: RW },
  { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses', kind: 'PriorityClass', namespaced: false, verbs: RW },
  { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true, verbs: RW },
  { group: 'autoscaling', version: 'v1', resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true, verbs: RW },
  { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease', namespaced: true, verbs: RW },
  { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice', namespaced: true, verbs: RW },
  { group: 'events.k8s.io', version: 'v1', resource: 'events', kind: 'Event', namespaced: true, verbs: RW },
  { group: 'node.k8s.io', version: 'v1', resource: 'runtimeclasses', kind: 'RuntimeClass', namespaced: false, verbs: RW },
  { group: 'certificates.k8s.io', version: 'v1', resource: 'certificatesigningrequests', kind: 'CertificateSigningRequest', namespaced: false, verbs: RW },
  { group: 'authorization.k8s.io', version: 'v1', resource: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', namespaced: false, verbs: ['create'] },
];

/** One change, kept for watches that resume from an older resourceVersion. */
interface WatchEvent {
  readonly rv: number;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** `deployments.apps` */
  readonly collection: string;
  readonly object: JsonObject;
}

/** An open watch response. */
interface OpenWatch {
  readonly res: http.ServerResponse;
  readonly collection: string;
  readonly type: ServedType;
  readonly namespace: string | undefined;
  bookmarks: NodeJS.Timeout | undefined;
  timeout: NodeJS.Timeout | undefined;
}

/** What request handlers return: the response is sent or scheduled. */
type Handled = 'handled';
const HANDLED: Handled = 'handled';

/** Served types of the CRDs among the objects. */
function crdTypes(objects: readonly JsonObject[]): ServedType[] {
  const out: ServedType[] = [];
  for (const o of objects) {
    if (o.kind !== 'CustomResourceDefinition' || !isObject(o.spec)) continue;
    const spec = o.spec;
    const names = isObject(spec.names) ? spec.names : {};
    if (typeof spec.group !== 'string' || typeof names.plural !== 'string' || typeof names.kind !== 'string') continue;
    for (const v of Array.isArray(spec.versions) ? spec.versions : []) {
      if (!isObject(v) || typeof v.name !== 'string' || v.served === false) continue;
      out.push({ group: spec.group, version: v.name, resource: names.plural, kind: names.kind, namespaced: spec.scope !== 'Cluster', verbs: RW });
    }
  }
  return out;
}

function metaOf(o: JsonObject): { name: string; namespace?: string } {
  const m = isObject(o.metadata) ? o.metadata : {};
  return { name: typeof m.name === 'string' ? m.name : '', ...(typeof m.namespace === 'string' ? { namespace: m.namespace } : {}) };
}

interface Collection {
  readonly type: ServedType;
  /** Sorted by namespace, then name (the order etcd keys give). */
  readonly items: JsonObject[];
}

const typeKey = (group: string, resource: string): string => (group === '' ? resource : `${resource}.${group}`);

function status(code: number, reason: string, message: string): JsonObject {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

const REASONS: Readonly<Record<number, string>> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  410: 'Expired',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

/**
 * Starts the fake API server on 127.0.0.1 (a free port).
 *
 * @example
 * const server = await startFakeApiServer({ objects, tokens: { t0k3n: 'alice' } });
 * // ... point a kubeconfig at server.url ...
 * await server.close();
 */
export async function startFakeApiServer(options: FakeApiServerOptions): Promise<FakeApiServer> {
  const version = options.version ?? 'v1.31.0';
  const maxPage = options.maxPageSize ?? 500;
  const gzipThreshold = options.gzipThreshold ?? 128 * 1024;
  const types = [...BUILTIN_TYPES, ...crdTypes(options.objects), ...(options.extraTypes ?? [])];
  // Per group: versions in order of first appearance (first = preferred).
  const groups = new Map<string, string[]>();
  for (const t of types) {
    const vs = groups.get(t.group) ?? [];
    if (!vs.includes(t.version)) vs.push(t.version);
    groups.set(t.group, vs);
  }
  // Objects are stored once per group/resource and served in every version of it.
  const collections = new Map<string, Collection>();
  const typeByKind = new Map<string, ServedType>();
  for (const t of types) {
    if (t.resource.includes('/')) continue;
    const group = t.group;
    if (!typeByKind.has(`${group}\u0000${t.kind}`)) typeByKind.set(`${group}\u0000${t.kind}`, t);
    const key = typeKey(group, t.resource);
    if (!collections.has(key)) collections.set(key, { type: t, items: [] });
  }
  for (const o of options.objects) {
    const apiVersion = String(o.apiVersion);
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const t = typeByKind.get(`${group}\u0000${String(o.kind)}`);
    if (!t) throw new Error(`fake API server: no served type for ${apiVersion} ${String(o.kind)} (add a CRD or extraTypes)`);
    collections.get(typeKey(group, t.resource))?.items.push(o);
  }
  for (const c of collections.values()) {
    c.items.sort((a, b) => {
      const ma = metaOf(a);
      const mb = metaOf(b);
      return (ma.namespace ?? '').localeCompare(mb.namespace ?? '') || ma.name.localeCompare(mb.name);
    });
  }
  const faults = (options.faults ?? []).map((f) => ({ fault: f, left: f.times ?? Number.POSITIVE_INFINITY }));
  const requests: { path: string; user: string; status: number }[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let resourceVersion = 1000;
  /** Events for resuming watches, oldest first; resourceVersions at or below `compacted` are gone. */
  const history: WatchEvent[] = [];
  let compacted = resourceVersion;
  const maxHistory = options.watchHistory ?? 100_000;
  const watches = new Set<OpenWatch>();
  let refuseWatches = false;
  const bookmarkMs = options.bookmarkIntervalMs ?? 1000;

  const authenticate = (req: http.IncomingMessage): string | undefined => {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) return options.tokens?.[auth.slice(7)];
    const socket = req.socket as TLSSocket;
    if (typeof socket.getPeerCertificate === 'function' && socket.authorized) {
      const cn = socket.getPeerCertificate().subject?.CN;
      if (typeof cn === 'string') return cn;
    }
    // Without configured credentials every request is served (as `kubectl proxy` would).
    return options.tokens || options.tls?.clientCa ? undefined : 'system:anonymous';
  };

  const discovery = (path: string): JsonObject | undefined => {
    if (path === '/version') return { major: '1', minor: version.replace(/^v1\.(\d+).*$/, '$1'), gitVersion: version, platform: 'linux/amd64' };
    if (path === '/api') return { kind: 'APIVersions', versions: groups.get('') ?? ['v1'], serverAddressByClientCIDRs: [] };
    if (path === '/apis') {
      return {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [...groups]
          .filter(([g]) => g !== '')
          .map(([name, versions]) => ({
            name,
            versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
            preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] as string },
          })),
      };
    }
    const m = /^\/(?:api\/(v[^/]+)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (!m) return undefined;
    const group = m[2] ?? '';
    const v = (m[1] ?? m[3]) as string;
    const served = types.filter((t) => t.group === group && t.version === v);
    if (served.length === 0) return undefined;
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: group === '' ? v : `${group}/${v}`,
      resources: served.map((t) => ({
        name: t.resource,
        singularName: t.resource.includes('/') ? '' : t.kind.toLowerCase(),
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: [...(t.verbs ?? RW)],
      })),
    };
  };

  const findFault = (
    type: Fault['type'],
    resource: string,
    namespace: string | undefined,
    page: number,
    path: string,
    user: string,
    watch = false,
  ): Fault | undefined => {
    for (const f of faults) {
      if (f.fault.type !== type || f.left <= 0) continue;
      const m = f.fault.match;
      if (m.watch !== undefined && m.watch !== watch) continue;
      if (m.resource !== undefined && m.resource !== resource) continue;
      if (m.namespace !== undefined && m.namespace !== namespace) continue;
      if (m.page !== undefined && m.page !== page) continue;
      if (m.path !== undefined && m.path !== path) continue;
      if (m.user !== undefined && m.user !== user) continue;
      f.left--;
      return f.fault;
    }
    return undefined;
  };

  const gvOf = (t: ServedType): string => (t.group === '' ? t.version : `${t.group}/${t.version}`);
  const writeEvent = (w: OpenWatch, type: string, object: JsonObject): void => {
    if (!w.res.destroyed) w.res.write(`${JSON.stringify({ type, object })}\n`);
  };
  const closeWatch = (w: OpenWatch): void => {
    watches.delete(w);
    clearInterval(w.bookmarks);
    clearTimeout(w.timeout);
  };
  const matches = (w: OpenWatch, e: WatchEvent): boolean =>
    e.collection === w.collection && (w.namespace === undefined || metaOf(e.object).namespace === w.namespace);
  const deliver = (w: OpenWatch, e: WatchEvent): void => writeEvent(w, e.type, { apiVersion: gvOf(w.type), kind: w.type.kind, ...e.object });

  const startWatch = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    coll: Collection,
    t: ServedType,
    namespace: string | undefined,
    params: URLSearchParams,
    drop: boolean,
  ): void => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    if (refuseWatches || drop) {
      // A dropped connection: headers, then nothing.
      res.flushHeaders();
      setImmediate(() => req.socket.destroy());
      return;
    }
    const collection = typeKey(t.group, t.resource);
    const w: OpenWatch = { res, collection, type: t, namespace, bookmarks: undefined, timeout: undefined };
    const from = params.get('resourceVersion');
    if (from !== null && from !== '' && from !== '0') {
      const rv = Number(from);
      if (!Number.isFinite(rv) || rv < compacted) {
        writeEvent(w, 'ERROR', status(410, 'Expired', `too old resource version: ${from} (${compacted})`));
        res.end();
        return;
      }
      for (const e of history) if (e.rv > rv && matches(w, e)) deliver(w, e);
    } else {
      for (const o of coll.items)
        if (namespace === undefined || metaOf(o).namespace === namespace) writeEvent(w, 'ADDED', { apiVersion: gvOf(t), kind: t.kind, ...o });
    }
    watches.add(w);
    if (params.get('allowWatchBookmarks') === 'true') {
      w.bookmarks = setInterval(
        () => writeEvent(w, 'BOOKMARK', { apiVersion: gvOf(t), kind: t.kind, metadata: { resourceVersion: String(resourceVersion) } }),
        bookmarkMs,
      );
    }
    const timeout = Number(params.get('timeoutSeconds') ?? '0');
    if (timeout > 0) {
      w.timeout = setTimeout(() => {
        closeWatch(w);
        res.end();
      }, timeout * 1000);
    }
    res.on('close', () => closeWatch(w));
  };

  /** Records a change and sends it to the open watches of its collection. */
  const publish = (type: WatchEvent['type'], collection: string, object: JsonObject): void => {
    const e: WatchEvent = { rv: resourceVersion, type, collection, object };
    history.push(e);
    if (history.length > maxHistory) compacted = (history.shift() as WatchEvent).rv;
    for (const w of watches) if (matches(w, e)) deliver(w, e);
  };

  const collectionOf = (o: JsonObject): Collection | undefined => {
    const apiVersion = String(o.apiVersion);
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const t = typeByKind.get(`${group}\u0000${String(o.kind)}`);
    return t ? collections.get(typeKey(group, t.resource)) : undefined;
  };
  const indexIn = (coll: Collection, o: JsonObject): number => {
    const m = metaOf(o);
    return coll.items.findIndex((x) => {
      const mx = metaOf(x);
      return mx.name === m.name && (mx.namespace ?? '') === (m.namespace ?? '');
    });
  };

  const admin = (req: http.IncomingMessage, res: http.ServerResponse, path: string): Handled => {
    const reply = (code: number, body: JsonObject): void => {
      const buf = Buffer.from(JSON.stringify(body));
      res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': buf.length });
      res.end(buf);
    };
    if (req.method === 'GET' && path === '/fake/state') {
      let objects = 0;
      for (const c of collections.values()) objects += c.items.length;
      reply(200, { resourceVersion: String(resourceVersion), compacted: String(compacted), watches: watches.size, objects });
      return HANDLED;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: JsonObject = {};
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        body = text === '' ? {} : (JSON.parse(text) as JsonObject);
      } catch {
        return reply(400, { error: 'body is not JSON' });
      }
      const objects = Array.isArray(body.objects) ? body.objects.filter(isObject) : [];
      if (path === '/fake/apply') {
        const versions: string[] = [];
        for (const o of objects) {
          const coll = collectionOf(o);
          if (!coll) return reply(400, { error: `no served type for ${String(o.apiVersion)} ${String(o.kind)}` });
          resourceVersion++;
          const stored: JsonObject = { ...o, metadata: { ...(isObject(o.metadata) ? o.metadata : {}), resourceVersion: String(resourceVersion) } };
          const i = indexIn(coll, stored);
          if (i >= 0) coll.items[i] = stored;
          else coll.items.push(stored);
          versions.push(String(resourceVersion));
          publish(i >= 0 ? 'MODIFIED' : 'ADDED', typeKey(coll.type.group, coll.type.resource), stored);
        }
        return reply(200, { resourceVersions: versions });
      }
      if (path === '/fake/delete') {
        let deleted = 0;
        for (const o of objects) {
          const coll = collectionOf(o);
          if (!coll) continue;
          const i = indexIn(coll, o);
          if (i < 0) continue;
          const [gone] = coll.items.splice(i, 1);
          resourceVersion++;
          deleted++;
          const last = gone as JsonObject;
          publish('DELETED', typeKey(coll.type.group, coll.type.resource), {
            ...last,
            metadata: { ...(isObject(last.metadata) ? last.metadata : {}), resourceVersion: String(resourceVersion) },
          });
        }
        return reply(200, { deleted, resourceVersion: String(resourceVersion) });
      }
      if (path === '/fake/compact') {
        compacted = resourceVersion;
        history.length = 0;
        return reply(200, { compacted: String(compacted) });
      }
      if (path === '/fake/watches') {
        const action = body.action;
        const open = [...watches];
        if (action === 'drop' || action === 'refuse') {
          if (action === 'refuse') refuseWatches = true;
          for (const w of open) {
            closeWatch(w);
            w.res.socket?.destroy();
          }
        } else if (action === 'expire') {
          for (const w of open) {
            writeEvent(w, 'ERROR', status(410, 'Expired', 'too old resource version'));
            closeWatch(w);
            w.res.end();
          }
        } else if (action === 'accept') refuseWatches = false;
        else return reply(400, { error: 'action must be drop, expire, refuse or accept' });
        return reply(200, { watches: open.length });
      }
      return reply(404, { error: `no admin route ${path}` });
    });
    return HANDLED;
  };

  /**
   * TokenReview (a token of `tokens` authenticates as its user) and SubjectAccessReview (the
   * authorizer decides; allowed without one), for servers that delegate auth to the cluster.
   */
  const review = (req: http.IncomingMessage, path: string, send: (code: number, body: JsonObject) => Handled): Handled => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: JsonObject;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as JsonObject;
      } catch {
        send(400, status(400, 'BadRequest', 'body is not JSON'));
        return;
      }
      const spec = isObject(body.spec) ? body.spec : {};
      if (path === TOKEN_REVIEWS) {
        const who = typeof spec.token === 'string' ? options.tokens?.[spec.token] : undefined;
        send(201, {
          ...body,
          status: who !== undefined ? { authenticated: true, user: { username: who, groups: ['system:authenticated'] } } : { authenticated: false },
        });
        return;
      }
      const attrs = isObject(spec.resourceAttributes) ? spec.resourceAttributes : {};
      const allowed =
        options.authorize?.({
          user: String(spec.user ?? ''),
          verb: String(attrs.verb ?? '') as AccessRequest['verb'],
          group: String(attrs.group ?? ''),
          resource: String(attrs.resource ?? ''),
          ...(typeof attrs.namespace === 'string' ? { namespace: attrs.namespace } : {}),
        }) ?? true;
      send(201, { ...body, status: { allowed } });
    });
    return HANDLED;
  };

  // Every path ends in `return send(...)`: the marker type keeps that explicit and lint-clean.
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): Handled => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    const user = authenticate(req);
    const send = (code: number, body: JsonObject, drop = false, extra: http.OutgoingHttpHeaders = {}): Handled => {
      requests.push({ path: `${path}${url.search}`, user: user ?? '', status: code });
      let buf = Buffer.from(JSON.stringify(body));
      const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/json', ...extra };
      if (buf.length > gzipThreshold && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
        buf = gzipSync(buf, { level: 1 });
        headers['Content-Encoding'] = 'gzip';
      }
      if (drop) {
        res.writeHead(code, headers);
        res.write(buf.subarray(0, Math.max(1, buf.length >> 1)));
        // Let the partial body reach the client before the connection dies.
        setImmediate(() => req.socket.destroy());
        return HANDLED;
      }
      headers['Content-Length'] = buf.length;
      res.writeHead(code, headers);
      res.end(buf);
      return HANDLED;
    };
    const sendFault = (sf: Extract<Fault, { type: 'status' }>): Handled =>
      send(
        sf.status,
        status(sf.status, REASONS[sf.status] ?? 'Error', sf.message ?? `injected ${sf.status}`),
        false,
        sf.retryAfter !== undefined ? { 'Retry-After': sf.retryAfter } : {},
      );
    if (path.startsWith('/fake/')) return admin(req, res, path);
    if (req.method === 'POST' && (path === TOKEN_REVIEWS || path === ACCESS_REVIEWS)) {
      if (user === undefined) return send(401, status(401, 'Unauthorized', 'Unauthorized'));
      return review(req, path, send);
    }
    if (req.method !== 'GET') return send(405, status(405, 'MethodNotAllowed', `${req.method} is not supported by the fake API server`));
    if (user === undefined) return send(401, status(401, 'Unauthorized', 'Unauthorized'));
    const d = discovery(path);
    if (d) {
      // Discovery faults (a broken aggregated API) match by path only.
      const sf = findFault('status', '', undefined, 0, path, user);
      if (sf && sf.type === 'status') return sendFault(sf);
      return send(200, d);
    }

    const m = /^\/(?:api\/(v[^/]+)|apis\/([^/]+)\/([^/]+))\/(.+)$/.exec(path);
    if (!m) return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    const group = m[2] ?? '';
    const v = (m[1] ?? m[3]) as string;
    const segs = (m[4] as string).split('/').map(decodeURIComponent);
    let namespace: string | undefined;
    let resource: string;
    let name: string | undefined;
    if (segs[0] === 'namespaces' && segs.length >= 3) {
      namespace = segs[1];
      resource = segs[2] as string;
      name = segs[3];
      if (segs.length > 4) return send(404, status(404, 'NotFound', 'subresources are not served'));
    } else {
      resource = segs[0] as string;
      name = segs[1];
      // The kubelet's running configuration through the node proxy: the Node object's
      // `fake.palisade.dev/kubeletconfig` annotation (JSON) stands for the kubelet's answer.
      if (group === '' && resource === 'nodes' && segs.length === 4 && segs[2] === 'proxy' && segs[3] === 'configz') {
        if (options.authorize?.({ user, verb: 'get', group: '', resource: 'nodes/proxy', name: name as string }) === false)
          return send(
            403,
            status(403, 'Forbidden', `nodes "${name}" is forbidden: User "${user}" cannot get resource "nodes/proxy" in API group "" at the cluster scope`),
          );
        const node = collections.get(typeKey('', 'nodes'))?.items.find((o) => (o.metadata as { name?: string } | undefined)?.name === name);
        const config = (node?.metadata as { annotations?: Record<string, string> } | undefined)?.annotations?.['fake.palisade.dev/kubeletconfig'];
        if (config === undefined) return send(404, status(404, 'NotFound', `nodes "${name}" has no kubelet answering`));
        return send(200, { kubeletconfig: JSON.parse(config) });
      }
      if (segs.length > 2) return send(404, status(404, 'NotFound', 'subresources are not served'));
    }
    const t = types.find((x) => x.group === group && x.version === v && x.resource === resource);
    const coll = collections.get(typeKey(group, resource));
    if (!t || !coll || (namespace !== undefined && !t.namespaced))
      return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    const watching = name === undefined && (url.searchParams.get('watch') === '1' || url.searchParams.get('watch') === 'true');
    const verb = watching ? 'watch' : name === undefined ? 'list' : 'get';
    const rname = typeKey(group, resource);
    const allowed =
      options.authorize?.({ user, verb, group, resource, ...(namespace !== undefined ? { namespace } : {}), ...(name !== undefined ? { name } : {}) }) ?? true;
    if (!allowed) {
      const scope = namespace !== undefined ? `in the namespace "${namespace}"` : 'at the cluster scope';
      return send(
        403,
        status(403, 'Forbidden', `${rname} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${group}" ${scope}`),
      );
    }
    if (watching) {
      const sf = findFault('status', rname, namespace, 0, path, user, true);
      if (sf && sf.type === 'status') return sendFault(sf);
      requests.push({ path: `${path}${url.search}`, user, status: 200 });
      startWatch(req, res, coll, t, namespace, url.searchParams, findFault('drop', rname, namespace, 0, path, user, true) !== undefined);
      return HANDLED;
    }
    const cont = url.searchParams.get('continue') ?? '';
    let offset = 0;
    let page = 0;
    if (cont !== '') {
      try {
        const tok = JSON.parse(Buffer.from(cont, 'base64url').toString('utf8')) as { o: number; p: number };
        offset = tok.o;
        page = tok.p;
      } catch {
        return send(400, status(400, 'BadRequest', 'invalid continue token'));
      }
    }
    const respond = (): Handled => {
      const sf = findFault('status', rname, namespace, page, path, user);
      if (sf && sf.type === 'status') return sendFault(sf);
      if (cont !== '' && findFault('expire-continue', rname, namespace, page, path, user)) {
        return send(
          410,
          status(
            410,
            'Expired',
            'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
          ),
        );
      }
      const drop = findFault('drop', rname, namespace, page, path, user) !== undefined;
      const strip = (o: JsonObject): JsonObject => {
        // kube-apiserver leaves apiVersion/kind out of built-in list items; custom resources keep them.
        if (BUILTIN_TYPES.includes(t)) {
          const { apiVersion: _a, kind: _k, ...rest } = o;
          return rest;
        }
        return o;
      };
      if (name !== undefined) {
        const found = coll.items.find((o) => {
          const md = metaOf(o);
          return md.name === name && (md.namespace ?? undefined) === namespace;
        });
        if (!found) return send(404, status(404, 'NotFound', `${rname} "${name}" not found`));
        return send(200, { apiVersion: group === '' ? v : `${group}/${v}`, kind: t.kind, ...strip(found) }, drop);
      }
      let items = coll.items;
      if (namespace !== undefined) items = items.filter((o) => metaOf(o).namespace === namespace);
      for (const sel of (url.searchParams.get('fieldSelector') ?? '').split(',').filter(Boolean)) {
        const fm = /^metadata\.namespace(!=|==?)(.*)$/.exec(sel);
        if (!fm) return send(400, status(400, 'BadRequest', `field label not supported: ${sel}`));
        const want = fm[2] as string;
        items = items.filter((o) => ((metaOf(o).namespace ?? '') === want) === (fm[1] !== '!='));
      }
      const limitRaw = Number(url.searchParams.get('limit') ?? '0');
      const limit = limitRaw > 0 ? Math.min(limitRaw, maxPage) : items.length;
      const slice = items.slice(offset, offset + limit);
      const more = offset + limit < items.length;
      const metadata: JsonObject = { resourceVersion: String(resourceVersion) };
      if (more) {
        metadata.continue = Buffer.from(JSON.stringify({ o: offset + limit, p: page + 1 })).toString('base64url');
        metadata.remainingItemCount = items.length - offset - limit;
      }
      const body = { kind: `${t.kind}List`, apiVersion: group === '' ? v : `${group}/${v}`, metadata, items: slice.map(strip) };
      const cost = Math.round(((options.costPerObjectUs ?? 0) * slice.length) / 1000);
      if (cost <= 0) return send(200, body, drop);
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed && !req.socket.destroyed) send(200, body, drop);
      }, cost);
      timers.add(timer);
      return HANDLED;
    };
    const delay = findFault('delay', rname, namespace, page, path, user);
    if (delay && delay.type === 'delay') {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed && !req.socket.destroyed) respond();
      }, delay.ms);
      timers.add(timer);
      return HANDLED;
    }
    return respond();
  };

  const server = options.tls
    ? https.createServer(
        {
          key: options.tls.key,
          cert: options.tls.cert,
          ...(options.tls.clientCa ? { ca: options.tls.clientCa, requestCert: true, rejectUnauthorized: false } : {}),
        },
        handler,
      )
    : http.createServer(handler);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    close: async () => {
      for (const w of [...watches]) {
        closeWatch(w);
        w.res.socket?.destroy();
      }
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
