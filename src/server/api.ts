/**
 * The `/api/v1` routes of docs/api.md: each one parses its query or body, checks it at the
 * boundary, and answers from the store or from the views of the cluster's stored snapshot.
 * The table is data (method, pattern, role, handler), so the OpenAPI test can list it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { builtinChecks } from '../checks/index.js';
import { metaOf } from '../core/check.js';
import { isSeverity, SEVERITIES, type Severity } from '../core/types.js';
import { checksMarkdown } from '../docs/catalogue-docs.js';
import { ENTRY_KINDS, type EntryKind, SINK_KINDS, type SinkKind } from '../paths/graph.js';
import { parseSubject, type Subject, userInfoOf } from '../rbac/identity.js';
import type { RequestAttributes, WhoCanQuery } from '../rbac/model.js';
import { escalationPathsOf, type EscalationPath } from '../rbac/paths.js';
import { renderCan, renderSubject, renderWhoCan } from '../rbac/render.js';
import { parseResourceArgument } from '../rbac/resources.js';
import { renderMatrix } from '../reporters/network.js';
import { renderPaths } from '../reporters/paths.js';
import type { ExceptionInput, FindingFilter, Role, ScanInput, ScanRecord, Store } from '../store/types.js';
import { HttpError, readJson, sendJson, sendJsonText } from './http.js';
import type { Notifier } from './notify.js';
import { postureScore, zeroCounts } from './posture.js';
import { validateScanInput } from './validate.js';
import type { SnapshotViews } from './views.js';

/** Who is calling: a token of the store, or a Kubernetes identity with `--token-review`. */
export interface Principal {
  /** Token name or Kubernetes user name: the actor of audited changes. */
  readonly name: string;
  readonly role: Role;
  /** Rate-limit key. */
  readonly key: string;
}

/** The minimum role of a route: `viewer` routes also admit admins; `agent` routes agents (and admins). */
export type RouteRole = 'viewer' | 'admin' | 'agent' | 'open';

/** What a handler gets. */
export interface RouteContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly principal: Principal | undefined;
  readonly api: ApiDeps;
}

/** A route of the table. */
export interface Route {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly pattern: string;
  readonly role: RouteRole;
  readonly handler: (ctx: RouteContext) => Promise<void>;
}

/** What the routes read and write. */
export interface ApiDeps {
  readonly store: Store;
  readonly views: SnapshotViews;
  readonly notifier: Notifier | undefined;
  /** Largest body of `POST /api/v1/ingest`, in bytes. */
  readonly ingestLimit: number;
  /** Largest body of other requests, in bytes. */
  readonly bodyLimit: number;
  /** Called after an ingested scan is stored (metrics cache, notifications). */
  readonly onStored: (record: ScanRecord) => void;
  readonly now: () => Date;
}

/** Whether a role may call a route of `need`. */
export function allows(role: Role, need: RouteRole): boolean {
  if (need === 'open') return true;
  if (role === 'admin') return true;
  return role === need;
}

/* ------------------------------------------------------------------ query parsing */

function one(q: URLSearchParams, name: string): string | undefined {
  const v = q.get(name);
  return v === null || v === '' ? undefined : v;
}

function limitOf(q: URLSearchParams): number | undefined {
  const text = one(q, 'limit');
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 500) throw new HttpError('bad_request', `limit: "${text}" is not a whole number from 1 to 500`);
  return n;
}

function choice<T extends string>(q: URLSearchParams, name: string, allowed: readonly T[]): T | undefined {
  const v = one(q, name);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw new HttpError('bad_request', `${name}: "${v}" is not one of ${allowed.join(', ')}`);
  return v as T;
}

function isoOf(name: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const t = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(t)) throw new HttpError('bad_request', `${name}: "${text}" is not an ISO 8601 date`);
  return new Date(t).toISOString();
}

/** The `FindingFilter` of a findings query. */
export function findingFilterOf(q: URLSearchParams): FindingFilter {
  const severityText = one(q, 'severity');
  let severity: Severity[] | undefined;
  if (severityText !== undefined) {
    severity = [];
    for (const s of severityText.split(',').map((x) => x.trim().toLowerCase())) {
      if (!isSeverity(s)) throw new HttpError('bad_request', `severity: "${s}" is not one of ${SEVERITIES.join(', ')}`);
      severity.push(s);
    }
  }
  const filter: Record<string, unknown> = {};
  for (const k of ['cluster', 'namespace', 'check', 'kind', 'q', 'cursor'] as const) {
    const v = one(q, k);
    if (v !== undefined) filter[k] = v;
  }
  const status = choice(q, 'status', ['open', 'resolved', 'all'] as const);
  const sort = choice(q, 'sort', ['severity', 'firstSeen', 'lastSeen', 'check', 'resource'] as const);
  const order = choice(q, 'order', ['asc', 'desc'] as const);
  const limit = limitOf(q);
  return {
    ...filter,
    ...(severity ? { severity } : {}),
    ...(status ? { status } : {}),
    ...(sort ? { sort } : {}),
    ...(order ? { order } : {}),
    ...(limit !== undefined ? { limit } : {}),
  } as FindingFilter;
}

/* ------------------------------------------------------------------ summaries */

/** The latest scan of a cluster, and the latest full one (its object count is the cluster's size). */
async function latestScans(store: Store, cluster: string): Promise<{ last: ScanRecord | null; full: ScanRecord | null }> {
  const page = await store.listScans({ cluster, limit: 100 });
  const last = page.items[0] ?? null;
  const full = page.items.find((s) => s.kind === 'full') ?? null;
  return { last, full };
}

async function clusterSummaries(store: Store) {
  const clusters = await store.listClusters();
  const out = [];
  for (const c of clusters) {
    const { last, full } = await latestScans(store, c.name);
    const open = last ? { ...last.counts.open } : zeroCounts();
    const resources = full?.resources ?? last?.resources ?? 0;
    out.push({ cluster: c, last, open, resources, coverage: last?.coverage ?? { ratio: 1, incomplete: [] } });
  }
  return out;
}

/* ------------------------------------------------------------------ RBAC helpers */

function resourceQuery(q: URLSearchParams, namespaceDefault: string | undefined): WhoCanQuery & { unknown?: boolean } {
  const verb = one(q, 'verb');
  const resource = one(q, 'resource');
  if (verb === undefined || resource === undefined) throw new HttpError('bad_request', 'verb and resource are required');
  const arg = parseResourceArgument(resource);
  const name = one(q, 'name');
  if (arg.kind === 'nonResource') {
    if (one(q, 'subresource') !== undefined || name !== undefined) throw new HttpError('bad_request', 'subresource and name do not apply to non-resource URLs');
    return { kind: 'nonResource', verb, path: arg.path };
  }
  const subresource = one(q, 'subresource') ?? arg.subresource;
  const clusterScoped = arg.known !== undefined && !arg.known.namespaced;
  // Requests on cluster-scoped resources carry no namespace: RoleBindings never grant them.
  const namespace = clusterScoped ? '' : (q.get('namespace') ?? namespaceDefault);
  return {
    kind: 'resource',
    verb,
    apiGroup: arg.apiGroup,
    resource: arg.resource,
    ...(subresource !== undefined ? { subresource } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
  };
}

function describeQuery(request: WhoCanQuery): string {
  if (request.kind === 'nonResource') return `${request.verb} ${request.path}`;
  const res = `${request.resource}${request.apiGroup ? `.${request.apiGroup}` : ''}${request.subresource ? `/${request.subresource}` : ''}`;
  const where = request.namespace === undefined ? 'in any namespace' : request.namespace === '' ? 'cluster-wide' : `in namespace ${request.namespace}`;
  return `${request.verb} ${res}${request.name ? ` named ${request.name}` : ''} ${where}`;
}

function subjectOf(text: string): Subject {
  try {
    return parseSubject(text);
  } catch (err) {
    throw new HttpError('bad_request', err instanceof Error ? err.message : String(err));
  }
}

/** As `palisade rbac subject`: the path to cluster-admin, else to every Secret. */
function escalationOf(model: Parameters<typeof escalationPathsOf>[0], subject: Subject): EscalationPath[] {
  const graph = escalationPathsOf(model);
  const admin = graph.pathOf(subject, 'cluster-admin');
  if (admin) return [admin];
  const secrets = graph.pathOf(subject, 'all-secrets');
  return secrets ? [secrets] : [];
}

/* ------------------------------------------------------------------ exceptions */

function nullableString(body: Record<string, unknown>, key: string): string | null {
  const v = body[key];
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string' || v.length > 253) throw new HttpError('bad_request', `${key} must be a string of at most 253 characters or null`);
  return v;
}

/** Checks an `ExceptionInput` body. */
export function exceptionInputOf(body: Record<string, unknown>, now: Date): ExceptionInput {
  const known = new Set(['cluster', 'check', 'namespace', 'kind', 'name', 'reason', 'expires']);
  const extra = Object.keys(body).filter((k) => !known.has(k));
  if (extra.length > 0) throw new HttpError('bad_request', `unknown field ${extra.join(', ')}`);
  if (typeof body.check !== 'string' || body.check.trim() === '')
    throw new HttpError('bad_request', 'check is required (a check id or name, or * for every check)');
  if (typeof body.reason !== 'string' || body.reason.trim() === '') throw new HttpError('bad_request', 'reason is required');
  if (body.reason.length > 2000) throw new HttpError('bad_request', 'reason is longer than 2000 characters');
  const check = body.check.trim();
  if (check !== '*' && !builtinChecks.some((c) => c.id === check || c.name === check || c.aliases?.includes(check)))
    throw new HttpError('bad_request', `check "${check}" is not in the catalogue`);
  let expires: string | null = null;
  if (body.expires !== undefined && body.expires !== null && body.expires !== '') {
    if (typeof body.expires !== 'string') throw new HttpError('bad_request', 'expires must be an ISO date');
    const iso = isoOf('expires', body.expires) as string;
    if (Date.parse(iso) <= now.getTime()) throw new HttpError('bad_request', `expires ${body.expires} is not in the future`);
    expires = body.expires;
  }
  return {
    cluster: nullableString(body, 'cluster'),
    check,
    namespace: nullableString(body, 'namespace'),
    kind: nullableString(body, 'kind'),
    name: nullableString(body, 'name'),
    reason: body.reason.trim(),
    expires,
  };
}

/* ------------------------------------------------------------------ the table */

const meta = builtinChecks.map((c) => metaOf(c));

function checkDocOf(check: string, fallbackTitle: string) {
  const m = meta.find((c) => c.id === check);
  if (!m) return { title: fallbackTitle, description: '', remediation: '', docs: '' };
  const md = checksMarkdown([m]);
  return { title: m.title, description: m.docs.description, remediation: m.docs.remediation, docs: md.slice(md.indexOf('## ')).trimEnd() };
}

/**
 * Every `/api/v1` route.
 *
 * @example
 * for (const r of apiRoutes()) console.log(r.method, r.pattern, r.role);
 */
export function apiRoutes(): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/api/v1/me',
      role: 'viewer',
      handler: async ({ res, principal }) => sendJson(res, 200, { name: principal?.name, role: principal?.role }),
    },
    {
      method: 'GET',
      pattern: '/api/v1/clusters',
      role: 'viewer',
      handler: async ({ res, api }) => {
        const items = (await clusterSummaries(api.store)).map((s) => ({
          ...s.cluster,
          open: s.open,
          score: postureScore(s.open, s.resources),
          coverage: s.coverage.ratio,
        }));
        sendJson(res, 200, { items });
      },
    },
    {
      method: 'GET',
      pattern: '/api/v1/summary',
      role: 'viewer',
      handler: async ({ res, api, query }) => {
        const cluster = one(query, 'cluster');
        let all = await clusterSummaries(api.store);
        if (cluster !== undefined) {
          all = all.filter((s) => s.cluster.name === cluster);
          if (all.length === 0) throw new HttpError('not_found', `no cluster ${cluster}`);
        }
        const open = zeroCounts();
        let resources = 0;
        let weightedCoverage = 0;
        const incomplete = [];
        let lastScan: ScanRecord | null = null;
        for (const s of all) {
          for (const sev of SEVERITIES) open[sev] += s.open[sev];
          resources += s.resources;
          weightedCoverage += s.coverage.ratio;
          incomplete.push(...s.coverage.incomplete);
          if (s.last && (!lastScan || s.last.finishedAt > lastScan.finishedAt)) lastScan = s.last;
        }
        sendJson(res, 200, {
          score: postureScore(open, resources),
          open,
          coverage: { ratio: all.length > 0 ? weightedCoverage / all.length : 1, incomplete },
          lastScan,
          clusters: all.length,
        });
      },
    },
    {
      method: 'GET',
      pattern: '/api/v1/scans',
      role: 'viewer',
      handler: async ({ res, api, query }) => {
        const cluster = one(query, 'cluster');
        const cursor = one(query, 'cursor');
        const limit = limitOf(query);
        sendJson(
          res,
          200,
          await api.store.listScans({ ...(cluster ? { cluster } : {}), ...(cursor ? { cursor } : {}), ...(limit !== undefined ? { limit } : {}) }),
        );
      },
    },
    {
      method: 'GET',
      pattern: '/api/v1/scans/{id}',
      role: 'viewer',
      handler: async ({ res, api, params }) => {
        const scan = await api.store.getScan(params.id as string);
        if (!scan) throw new HttpError('not_found', `no scan ${params.id}`);
        sendJson(res, 200, scan);
      },
    },
    {
      method: 'GET',
      pattern: '/api/v1/findings',
      role: 'viewer',
      handler: async ({ res, api, query }) => sendJson(res, 200, await api.store.listFindings(findingFilterOf(query))),
    },
    {
      method: 'GET',
      pattern: '/api/v1/clusters/{cluster}/findings/{id}',
      role: 'viewer',
      handler: async ({ res, api, params }) => {
        const finding = await api.store.getFinding(params.cluster as string, params.id as string);
        if (!finding) throw new HttpError('not_found', `no finding ${params.id} in cluster ${params.cluster}`);
        sendJson(res, 200, { ...finding, checkDoc: checkDocOf(finding.check, finding.title), fixDiff: await api.views.fixDiff(finding) });
      },
    },
    {
      method: 'GET',
      pattern: '/api/v1/clusters/{cluster}/findings/{id}/history',
      role: 'viewer',
      handler: async ({ res, api, params }) => {
        const finding = await api.store.getFinding(params.cluster as string, params.id as string);
        if (!finding) throw new HttpError('not_found', `no finding ${params.id} in cluster ${params.cluster}`);
        sendJson(res, 200, { items: await api.store.findingHistory(params.cluster as string, params.id as string) });
      },
    },
    {
      method: 'GET',
      pattern: '/api/v1/trends',
      role: 'viewer',
      handler: async ({ res, api, query }) => {
        const by = choice(query, 'by', ['severity', 'check', 'namespace'] as const) ?? 'severity';
        const cluster = one(query, 'cluster');
        const since = isoOf('since', one(query, 'since'));
        sendJson(res, 200, { points: await api.store.trends({ by, ...(cluster ? { cluster } : {}), ...(since ? { since } : {}) }) });
      },
    },
    {
      method: 'GET',
      pattern: '/api/v1/checks',
      role: 'viewer',
      handler: async ({ res }) => sendJson(res, 200, { items: meta }),
    },
    {
      method: 'GET',
      pattern: '/api/v1/clusters/{cluster}/inventory',
      role: 'viewer',
      handler: async ({ res, api, params }) => sendJsonText(res, (await api.views.of(params.cluster as string)).inventorySummary()),
    },
    {
      method: 'GET',
      pattern: '/api/v1/clusters/{cluster}/compliance',
      role: 'viewer',
      handler: async ({ res, api, params, query }) =>
        sendJsonText(res, (await api.views.of(params.cluster as string)).compliance(one(query, 'framework') ?? 'cis-1.12')),
    },
    {
      method: 'GET',
      pattern: '/api/v1/clusters/{cluster}/rbac/who-can',
      role: 'viewer',
      handler: async ({ res, api, params, query }) => {
        const request = resourceQuery(query, undefined);
        const model = (await api.views.of(params.cluster as string)).rbac();
        sendJsonText(res, renderWhoCan(model.whoCan(request), describeQuery(request), 'json'));
      },
    },
    {
      method: 'GET',
      pattern: '/api/v1/clusters/{cluster}/rbac/can',
      role: 'viewer',
      handler: async ({ res, api, params, query }) => {
        const subjectText = one(query, 'subject');
        if (subjectText === undefined) throw new HttpError('bad_request', 'subject is required (user:NAME, group:NAME or sa:NAMESPACE/NAME)');
        const subject = subjectOf(subjectText);
        const groups = query.getAll('group').filter((g) => g !== '');
        const request = resourceQuery(query, 'default') as RequestAttributes;
        const user = userInfoOf(subject, groups);
        const model = (await api.views.of(params.cluster as string)).rbac();
        sendJsonText(res, renderCan(subject, user, request, model.authorize(user, request), 'json'));
      },
    },
    {
      method: 'GET',
      pattern: '/api/v1/clusters/{cluster}/rbac/subjects/{kind}/{namespace}/{name}',
      role: 'viewer',
      handler: async ({ res, api, params }) => {
        const kind = (params.kind as string).toLowerCase();
        const text =
          kind === 'serviceaccount' || kind === 'sa'
            ? `sa:${params.namespace}/${params.name}`
            : kind === 'user'
              ? `user:${params.name}`
              : kind === 'group'
                ? `group:${params.name}`
                : undefined;
        if (text === undefined) throw new HttpError('bad_request', `subject kind "${params.kind}" is not User, Group or ServiceAccount`);
        const subject = subjectOf(text);
        const model = (await api.views.of(params.cluster as string)).rbac();
        sendJsonText(res, renderSubject(model, subject, userInfoOf(subject), escalationOf(model, subject), 'json'));
      },
    },
    {
      method: 'GET',
      pattern: '/api/v1/clusters/{cluster}/network/matrix',
      role: 'viewer',
      handler: async ({ res, api, params, query }) => {
        const namespaces = query
          .getAll('namespace')
          .flatMap((n) => n.split(','))
          .filter((n) => n !== '');
        const model = (await api.views.of(params.cluster as string)).network();
        sendJsonText(res, renderMatrix(model.matrix(namespaces.length > 0 ? { namespaces } : {}), 'json'));
      },
    },
    {
      method: 'GET',
      pattern: '/api/v1/clusters/{cluster}/paths',
      role: 'viewer',
      handler: async ({ res, api, params, query }) => {
        const list = (name: string, allowed: readonly string[]): string[] | undefined => {
          const values = query
            .getAll(name)
            .flatMap((n) => n.split(','))
            .filter((n) => n !== '');
          for (const v of values) if (!allowed.includes(v)) throw new HttpError('bad_request', `${name}: "${v}" is not one of ${allowed.join(', ')}`);
          return values.length > 0 ? values : undefined;
        };
        const from = list('from', ENTRY_KINDS);
        const to = list('to', SINK_KINDS);
        const hopsText = one(query, 'max-hops');
        if (hopsText !== undefined && (!/^\d+$/.test(hopsText) || Number(hopsText) < 1))
          throw new HttpError('bad_request', `max-hops: "${hopsText}" is not a positive whole number`);
        const limit = limitOf(query) ?? 20;
        const graph = (await api.views.of(params.cluster as string)).paths();
        const found = graph.paths({
          ...(from ? { from: from as EntryKind[] } : {}),
          ...(to ? { to: to as SinkKind[] } : {}),
          ...(hopsText !== undefined ? { maxHops: Number(hopsText) } : {}),
        });
        sendJsonText(res, renderPaths(found.slice(0, limit), graph.notes, 'json', found.length));
      },
    },
    {
      method: 'GET',
      pattern: '/api/v1/exceptions',
      role: 'viewer',
      handler: async ({ res, api, query }) =>
        sendJson(res, 200, { items: await api.store.listExceptions({ includeRevoked: query.get('includeRevoked') === 'true' }) }),
    },
    {
      method: 'POST',
      pattern: '/api/v1/exceptions',
      role: 'admin',
      handler: async ({ req, res, api, principal }) => {
        const input = exceptionInputOf(await readJson(req, api.bodyLimit), api.now());
        sendJson(res, 201, await api.store.createException(input, principal?.name ?? 'unknown'));
      },
    },
    {
      method: 'DELETE',
      pattern: '/api/v1/exceptions/{id}',
      role: 'admin',
      handler: async ({ res, api, params, principal }) => {
        const revoked = await api.store.revokeException(params.id as string, principal?.name ?? 'unknown');
        if (!revoked) throw new HttpError('not_found', `no exception ${params.id}`);
        sendJson(res, 200, revoked);
      },
    },
    {
      method: 'GET',
      pattern: '/api/v1/audit',
      role: 'admin',
      handler: async ({ res, api, query }) => {
        const cursor = one(query, 'cursor');
        const limit = limitOf(query);
        sendJson(res, 200, await api.store.listAudit({ ...(cursor ? { cursor } : {}), ...(limit !== undefined ? { limit } : {}) }));
      },
    },
    {
      method: 'POST',
      pattern: '/api/v1/ingest',
      role: 'agent',
      handler: async ({ req, res, api }) => {
        const body = await readJson(req, api.ingestLimit);
        const { cluster, agentId, scanId, sequence } = body;
        if (typeof cluster !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,252}$/.test(cluster))
          throw new HttpError('bad_request', 'cluster must be a name of letters, digits and . _ : @ -');
        if (typeof agentId !== 'string' || agentId === '' || agentId.includes(':') || agentId.length > 200)
          throw new HttpError('bad_request', 'agentId must be a non-empty string without ":"');
        if (typeof scanId !== 'string' || scanId === '' || scanId.includes(':') || scanId.length > 200)
          throw new HttpError('bad_request', 'scanId must be a non-empty string without ":"');
        if (typeof sequence !== 'number' || !Number.isInteger(sequence) || sequence < 0)
          throw new HttpError('bad_request', 'sequence must be a whole number >= 0');
        const scan: ScanInput = { ...validateScanInput(body.scan, cluster), idempotencyKey: `${agentId}:${scanId}:${sequence}` };
        let snapshot: Uint8Array | undefined;
        if (body.snapshot !== undefined && body.snapshot !== null) {
          if (typeof body.snapshot !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(body.snapshot))
            throw new HttpError('bad_request', 'snapshot must be base64 (of the gzip-compressed snapshot)');
          snapshot = Buffer.from(body.snapshot, 'base64');
        }
        await api.store.ensureCluster(cluster, 'agent');
        const critical = api.notifier ? await api.notifier.newCritical(api.store, scan) : [];
        const record = await api.store.recordScan(scan);
        if (!record.duplicate) {
          if (snapshot) await api.store.putClusterState(cluster, snapshot);
          api.onStored(record);
          if (api.notifier && critical.length > 0) api.notifier.criticalFindings(cluster, record, critical);
        }
        sendJson(res, 200, record);
      },
    },
  ];
}
