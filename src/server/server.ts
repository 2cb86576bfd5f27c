/**
 * The HTTP(S) server of `palisade serve`: `/api/v1` (docs/api.md), `/healthz`, `/readyz`,
 * `/metrics` and the dashboard at `/`. Every API call carries a bearer token verified by the
 * store (or, with `--token-review`, by the cluster's TokenReview and SubjectAccessReview);
 * each route has a minimum role; each caller has a token bucket; bodies are bounded; slow
 * clients are cut at the request timeout. Logs name the caller, the route and the status,
 * never a body or a token.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { Store, ScanRecord } from '../store/types.js';
import { allows, apiRoutes, type ApiDeps, type Principal, type Route } from './api.js';
import { compilePattern, type CompiledPattern, HttpError, matchPattern, RateLimiter, send, sendError } from './http.js';
import { type MonitorStatusLike, processMetrics, renderMetrics } from './metrics.js';
import type { Notifier } from './notify.js';
import { serveStatic } from './static.js';
import { SnapshotViews } from './views.js';

/** Verifies a bearer token some other way than the store (Kubernetes TokenReview). */
export type TokenAuthenticator = (token: string) => Promise<Principal | undefined>;

/** Options of {@link createApiServer}. */
export interface ApiServerOptions {
  readonly store: Store;
  /** PEM key and certificate: HTTPS; absent: plain HTTP. */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** Largest request body in bytes (default 1 MiB). */
  readonly bodyLimit?: number;
  /** Largest `/api/v1/ingest` body in bytes (default 32 MiB). */
  readonly ingestLimit?: number;
  /** Requests per minute per caller (default 600; 0 turns the limit off). */
  readonly rateLimit?: number;
  /** Deadline of one request, headers and body included (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** The dashboard's folder (dist/dashboard); absent or missing: `/` says it is not built. */
  readonly dashboardDir?: string;
  /** `/metrics` without a token. */
  readonly metricsOpen?: boolean;
  /** Tried after the store's tokens (`--token-review`). */
  readonly authenticator?: TokenAuthenticator;
  readonly notifier?: Notifier;
  /** Status of the clusters this server watches (empty with `--no-watch`). */
  readonly monitors?: () => readonly MonitorStatusLike[];
  /** Whether `/readyz` waits for the monitors' first full scans (watching). */
  readonly watching?: boolean;
  /** One line per request; absent: no access log. */
  readonly log?: (line: string) => void;
  readonly warn?: (line: string) => void;
  readonly now?: () => Date;
}

/** The server and what the serve command wires to it. */
export interface ApiServer {
  readonly server: http.Server | https.Server;
  /** The registered routes: method and pattern (the OpenAPI test reads them). */
  readonly routes: readonly { readonly method: string; readonly pattern: string; readonly role: string }[];
  /** Tell the server a scan was stored outside the API (the monitors): drops cached metrics. */
  scanStored(record: ScanRecord): void;
  /** Marks the store migrated (readiness). */
  setStoreReady(ready: boolean): void;
}

interface Compiled {
  readonly route: Route;
  readonly compiled: CompiledPattern;
}

/** Routes outside /api/v1, for the OpenAPI document and the route list. */
const PLAIN_ROUTES = [
  { method: 'GET', pattern: '/healthz', role: 'open' },
  { method: 'GET', pattern: '/readyz', role: 'open' },
  { method: 'GET', pattern: '/metrics', role: 'viewer' },
] as const;

/**
 * Every route the server registers: the `/api/v1` table and the operational routes.
 *
 * @example
 * registeredRoutes().map((r) => `${r.method} ${r.pattern}`); // ['GET /api/v1/me', ...]
 */
export function registeredRoutes(): { readonly method: string; readonly pattern: string; readonly role: string }[] {
  return [...apiRoutes().map((r) => ({ method: r.method, pattern: r.pattern, role: r.role })), ...PLAIN_ROUTES];
}

function bearerOf(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : undefined;
}

/**
 * Creates the server (not listening yet).
 *
 * @example
 * const { server } = createApiServer({ store });
 * server.listen(8443, '127.0.0.1');
 */
export function createApiServer(options: ApiServerOptions): ApiServer {
  const store = options.store;
  const now = options.now ?? (() => new Date());
  const limiter = new RateLimiter(options.rateLimit ?? 600);
  const counters = { requests: new Map<string, number>() };
  const compiled: Compiled[] = apiRoutes().map((route) => ({ route, compiled: compilePattern(route.pattern) }));
  let storeReady = false;
  let metricsCache: { text: string; at: number } | undefined;

  const deps: ApiDeps = {
    store,
    views: new SnapshotViews(store),
    notifier: options.notifier,
    bodyLimit: options.bodyLimit ?? 1 << 20,
    ingestLimit: options.ingestLimit ?? 32 << 20,
    onStored: () => {
      metricsCache = undefined;
    },
    now,
  };

  const authenticate = async (req: IncomingMessage): Promise<Principal> => {
    const token = bearerOf(req);
    if (token === undefined) throw new HttpError('unauthorized', 'missing bearer token (Authorization: Bearer <token>)', { 'WWW-Authenticate': 'Bearer' });
    const record = await store.verifyToken(token);
    if (record) return { name: record.name, role: record.role, key: `token:${record.id}` };
    const other = options.authenticator ? await options.authenticator(token) : undefined;
    if (other) return other;
    throw new HttpError('unauthorized', 'invalid or revoked token', { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
  };

  const limit = (key: string): void => {
    const r = limiter.take(key, Date.now());
    if (!r.ok) throw new HttpError('rate_limited', `too many requests; retry in ${r.retryAfter} s`, { 'Retry-After': String(r.retryAfter) });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, routeName: { value: string }): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === '/healthz') {
      routeName.value = path;
      send(res, 200, 'ok\n', 'text/plain; charset=utf-8');
      return;
    }
    if (path === '/readyz') {
      routeName.value = path;
      const monitors = options.monitors?.() ?? [];
      const waiting = options.watching ? monitors.filter((m) => !m.ready).map((m) => m.cluster) : [];
      if (!storeReady) send(res, 503, 'store not ready\n', 'text/plain; charset=utf-8');
      else if (waiting.length > 0) send(res, 503, `waiting for the first full scan of ${waiting.join(', ')}\n`, 'text/plain; charset=utf-8');
      else send(res, 200, 'ok\n', 'text/plain; charset=utf-8');
      return;
    }
    if (path === '/metrics') {
      routeName.value = path;
      if (method !== 'GET') throw new HttpError('method_not_allowed', `${method} ${path} is not allowed`, { Allow: 'GET' });
      if (!options.metricsOpen) {
        const p = await authenticate(req).catch((e) => {
          limit(`addr:${req.socket.remoteAddress ?? ''}`);
          throw e;
        });
        limit(p.key);
        if (!allows(p.role, 'viewer')) throw new HttpError('forbidden', `role ${p.role} may not read metrics`);
      }
      if (!metricsCache || Date.now() - metricsCache.at > 15_000) {
        const extra: Record<string, number> = {};
        if (options.notifier) {
          const s = options.notifier.stats;
          extra.palisade_notifications_sent_total = s.sent;
          extra.palisade_notifications_failed_total = s.failed;
        }
        metricsCache = { text: await renderMetrics(store, options.monitors?.() ?? [], counters, extra), at: Date.now() };
      }
      send(res, 200, metricsCache.text + processMetrics(), 'text/plain; version=0.0.4; charset=utf-8');
      return;
    }
    if (path.startsWith('/api/')) {
      let pathMatched = false;
      for (const c of compiled) {
        const params = matchPattern(c.compiled, path);
        if (!params) continue;
        pathMatched = true;
        if (c.route.method !== method) continue;
        routeName.value = c.route.pattern;
        let principal: Principal | undefined;
        if (c.route.role !== 'open') {
          try {
            principal = await authenticate(req);
          } catch (e) {
            // Failed logins count against the address: no unlimited token guessing.
            limit(`addr:${req.socket.remoteAddress ?? ''}`);
            throw e;
          }
          limit(principal.key);
          if (!allows(principal.role, c.route.role))
            throw new HttpError('forbidden', `role ${principal.role} may not ${method} ${c.route.pattern} (needs ${c.route.role})`);
        }
        await c.route.handler({ req, res, params, query: url.searchParams, principal, api: deps });
        return;
      }
      if (pathMatched) {
        const allow = compiled.filter((c) => matchPattern(c.compiled, path)).map((c) => c.route.method);
        throw new HttpError('method_not_allowed', `${method} ${path} is not allowed`, { Allow: allow.join(', ') });
      }
      throw new HttpError('not_found', `no route ${method} ${path}`);
    }
    if (await serveStatic(req, res, options.dashboardDir, path)) {
      routeName.value = '/';
      return;
    }
    throw new HttpError('not_found', `no route ${method} ${path}`);
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const started = Date.now();
    const routeName = { value: 'unmatched' };
    handle(req, res, routeName)
      .catch((err: unknown) => {
        if (err instanceof HttpError) {
          sendError(res, err);
          return;
        }
        // Known errors of the layers below carry a message fit to show; anything else is logged, not echoed.
        const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
        options.warn?.(`${req.method} ${req.url?.split('?')[0]}: ${err instanceof Error && err.stack ? err.stack : message}`);
        sendError(res, new HttpError('internal', 'internal error (see the server log)'));
      })
      .finally(() => {
        const key = `${req.method} ${routeName.value} ${res.statusCode}`;
        counters.requests.set(key, (counters.requests.get(key) ?? 0) + 1);
        options.log?.(
          JSON.stringify({ at: new Date().toISOString(), method: req.method, path: req.url?.split('?')[0], status: res.statusCode, ms: Date.now() - started }),
        );
      });
  };

  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener) : http.createServer(listener);
  server.requestTimeout = options.requestTimeoutMs ?? 30_000;
  server.headersTimeout = Math.min(server.requestTimeout, 20_000);
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 100;

  return {
    server,
    routes: registeredRoutes(),
    scanStored: (record) => deps.onStored(record),
    setStoreReady: (ready) => {
      storeReady = ready;
    },
  };
}
