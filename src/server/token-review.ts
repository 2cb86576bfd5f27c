/**
 * `--token-review`: the API also accepts the cluster's own bearer tokens (service-account
 * tokens, OIDC tokens the API server trusts). A token is checked with a TokenReview; the role
 * comes from SubjectAccessReviews on Palisade's virtual API group `palisade.dev`, so cluster
 * RBAC decides who is admin:
 *
 * - admin: `update exceptions.palisade.dev`
 * - viewer: `get findings.palisade.dev`
 * - agent: `create scans.palisade.dev`
 *
 * The server's own service account needs `create` on `tokenreviews` and
 * `subjectaccessreviews` (the `system:auth-delegator` ClusterRole grants both). Answers are
 * cached for a minute per token digest (never the token itself), so a dashboard's calls do
 * not cost two reviews each.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { PalisadeError } from '../core/errors.js';
import type { Role } from '../store/types.js';
import type { Principal } from './api.js';
import { HttpError } from './http.js';
import type { TokenAuthenticator } from './server.js';

/** Where the cluster is: as the monitor's target options. */
export interface ReviewTarget {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly inCluster?: boolean;
}

/** The checks, in order: the first allowed one gives the role. */
export const ROLE_CHECKS: readonly { readonly role: Role; readonly verb: string; readonly resource: string }[] = [
  { role: 'admin', verb: 'update', resource: 'exceptions' },
  { role: 'viewer', verb: 'get', resource: 'findings' },
  { role: 'agent', verb: 'create', resource: 'scans' },
];

type KubeConfigLike = {
  getCurrentCluster(): { server: string } | null;
  applyToHTTPSOptions(opts: https.RequestOptions): Promise<void>;
};

async function post(kc: KubeConfigLike, path: string, body: unknown, timeoutMs: number): Promise<Record<string, unknown>> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig context has no cluster');
  const base = new URL(cluster.server);
  const opts: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  const text = JSON.stringify(body);
  const mod = base.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      {
        ...(base.protocol === 'https:' ? opts : { headers: opts.headers }),
        protocol: base.protocol,
        hostname: base.hostname.replace(/^\[|\]$/g, ''),
        port: base.port || (base.protocol === 'http:' ? 80 : 443),
        path: `${base.pathname.replace(/\/$/, '')}${path}`,
        method: 'POST',
        headers: { ...(opts.headers ?? {}), 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': Buffer.byteLength(text) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) {
            reject(new Error(`POST ${path}: HTTP ${res.statusCode}`));
            return;
          }
          try {
            resolve(JSON.parse(raw) as Record<string, unknown>);
          } catch {
            reject(new Error(`POST ${path}: the answer is not JSON`));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`POST ${path}: timed out`)));
    req.on('error', reject);
    req.end(text);
  });
}

/**
 * An authenticator that asks the cluster.
 *
 * @example
 * const authenticate = await tokenReviewAuthenticator({ inCluster: true });
 * await authenticate(token); // { name: 'system:serviceaccount:ops:dash', role: 'viewer', ... } or undefined
 */
export async function tokenReviewAuthenticator(
  target: ReviewTarget,
  options: { readonly timeoutMs?: number; readonly ttlMs?: number } = {},
): Promise<TokenAuthenticator> {
  const { resolveClusterTargets, httpView } = await import('../sources/cluster/index.js');
  const [resolved] = await resolveClusterTargets({
    ...(target.kubeconfig !== undefined ? { kubeconfig: target.kubeconfig } : {}),
    ...(target.context !== undefined ? { contexts: [target.context] } : {}),
    ...(target.inCluster ? { env: { ...process.env, KUBECONFIG: '' }, kubeconfig: undefined } : {}),
  } as Parameters<typeof resolveClusterTargets>[0]);
  if (!resolved) throw new PalisadeError('kubeconfig-invalid', '--token-review: no cluster to ask');
  const kc = (new URL(resolved.server).protocol === 'http:' ? httpView(resolved.kubeConfig) : resolved.kubeConfig) as unknown as KubeConfigLike;
  const timeoutMs = options.timeoutMs ?? 5000;
  const ttl = options.ttlMs ?? 60_000;
  const cache = new Map<string, { at: number; principal: Principal | undefined; forbidden?: string }>();

  return async (token: string) => {
    const digest = createHash('sha256').update(token).digest('hex');
    const hit = cache.get(digest);
    if (hit && Date.now() - hit.at < ttl) {
      if (hit.forbidden !== undefined) throw new HttpError('forbidden', hit.forbidden);
      return hit.principal;
    }
    let review: Record<string, unknown>;
    try {
      review = await post(
        kc,
        '/apis/authentication.k8s.io/v1/tokenreviews',
        { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } },
        timeoutMs,
      );
    } catch (err) {
      throw new HttpError('unavailable', `token review failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    const status = (review.status ?? {}) as {
      authenticated?: boolean;
      user?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
    };
    let principal: Principal | undefined;
    if (status.authenticated === true && typeof status.user?.username === 'string') {
      const user = status.user;
      for (const check of ROLE_CHECKS) {
        const sar = await post(
          kc,
          '/apis/authorization.k8s.io/v1/subjectaccessreviews',
          {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SubjectAccessReview',
            spec: {
              user: user.username,
              ...(user.uid !== undefined ? { uid: user.uid } : {}),
              groups: user.groups ?? [],
              ...(user.extra !== undefined ? { extra: user.extra } : {}),
              resourceAttributes: { group: 'palisade.dev', resource: check.resource, verb: check.verb },
            },
          },
          timeoutMs,
        ).catch((err: unknown) => {
          throw new HttpError('unavailable', `subject access review failed: ${err instanceof Error ? err.message : String(err)}`);
        });
        if ((sar.status as { allowed?: boolean } | undefined)?.allowed === true) {
          principal = { name: user.username as string, role: check.role, key: `k8s:${digest.slice(0, 16)}` };
          break;
        }
      }
      if (!principal) {
        const forbidden = `${user.username} is authenticated but has no palisade.dev role in the cluster (get findings, update exceptions or create scans)`;
        cache.set(digest, { at: Date.now(), principal: undefined, forbidden });
        throw new HttpError('forbidden', forbidden);
      }
    }
    if (cache.size > 10_000) cache.clear();
    cache.set(digest, { at: Date.now(), principal });
    return principal;
  };
}
