/**
 * Pulling from a registry over the HTTP API v2 (https://distribution.github.io/distribution/spec/api/):
 * anonymous, basic, or bearer tokens from the `WWW-Authenticate` challenge
 * (https://distribution.github.io/distribution/spec/auth/token/), with credentials from docker's
 * config.json and credential helpers. Every manifest, config and blob is checked against its digest.
 */
import { createHash } from 'node:crypto';
import { PalisadeError } from '../../core/errors.js';
import { type ImageRef, parseImageRef } from '../../image-ref/image-ref.js';
import { type Credentials, credentialsFor } from './credentials.js';
import { type BlobStore, type Descriptor, MANIFEST_ACCEPT, MAX_JSON_BYTES, type Platform, parseJson, type ResolvedImage, readAll, resolveFrom } from './oci.js';

/** How to reach registries. */
export interface RegistryOptions {
  /** Registries reached over plain HTTP besides loopback ones (`host:port`). */
  readonly insecureRegistries?: readonly string[];
  /** docker config.json to read credentials from (default `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`). */
  readonly dockerConfig?: string;
  /** Credentials to use instead of the docker config (e.g. from flags or the environment). */
  readonly credentials?: Credentials;
  /** Milliseconds to wait for a response's headers. Default 30 s. */
  readonly timeoutMs?: number;
}

/** The host to contact for a registry name (Docker Hub's API lives at registry-1.docker.io). */
export function registryHost(registry: string): string {
  return registry === 'docker.io' || registry === 'index.docker.io' ? 'registry-1.docker.io' : registry;
}

function isLoopback(host: string): boolean {
  const h = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\./.test(h);
}

/** Parses a `WWW-Authenticate` header: scheme plus `key="value"` parameters. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  const scheme = (m?.[1] ?? '').toLowerCase();
  const params: Record<string, string> = {};
  for (const p of (m?.[2] ?? '').matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) params[(p[1] as string).toLowerCase()] = p[2] ?? p[3] ?? '';
  return { scheme, params };
}

/** A response body as chunks (an empty body yields nothing). */
function bodyOf(res: Response): AsyncIterable<Uint8Array> {
  return res.body ? (res.body as unknown as AsyncIterable<Uint8Array>) : (async function* () {})();
}

/** One repository on one registry, with the authorisation negotiated so far. */
export class RegistryClient {
  private authorization: string | undefined;
  private credentialsLoaded = false;
  private creds: Credentials | undefined;
  readonly base: string;

  constructor(
    readonly registry: string,
    readonly repository: string,
    private readonly options: RegistryOptions = {},
  ) {
    const host = registryHost(registry);
    const plain = isLoopback(host) || (options.insecureRegistries ?? []).includes(registry) || (options.insecureRegistries ?? []).includes(host);
    this.base = `${plain ? 'http' : 'https'}://${host}`;
  }

  private async credentials(): Promise<Credentials | undefined> {
    if (!this.credentialsLoaded) {
      this.credentialsLoaded = true;
      this.creds = this.options.credentials ?? (await credentialsFor(this.registry, this.options.dockerConfig));
    }
    return this.creds;
  }

  private async fetchOnce(url: string, headers: Record<string, string>, timeout: boolean): Promise<Response> {
    const h: Record<string, string> = { 'user-agent': 'palisade', ...headers };
    if (this.authorization) h.authorization = this.authorization;
    try {
      return await fetch(url, { headers: h, redirect: 'follow', ...(timeout ? { signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000) } : {}) });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new PalisadeError('io', `registry ${this.registry}: cannot reach ${url} (${cause?.code ?? cause?.message ?? (e as Error).message})`);
    }
  }

  /** Answers a 401 challenge: basic credentials, or a bearer token from the realm. */
  private async authorize(challenge: string): Promise<void> {
    const { scheme, params } = parseChallenge(challenge);
    const creds = await this.credentials();
    if (scheme === 'basic') {
      if (!creds?.username)
        throw new PalisadeError('io', `registry ${this.registry}: requires credentials (basic auth); run docker login or set them in the docker config`);
      this.authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password ?? ''}`).toString('base64')}`;
      return;
    }
    if (scheme !== 'bearer' || !params.realm)
      throw new PalisadeError('io', `registry ${this.registry}: unsupported authentication challenge "${challenge.slice(0, 80)}"`);
    let realm: URL;
    try {
      realm = new URL(params.realm);
    } catch {
      throw new PalisadeError('io', `registry ${this.registry}: token realm "${params.realm}" is not a URL`);
    }
    // The realm is named by the registry: credentials go there only over TLS (or to loopback).
    if (creds && realm.protocol !== 'https:' && !isLoopback(realm.host))
      throw new PalisadeError('io', `registry ${this.registry}: refusing to send credentials to the token service ${realm.origin} over plain HTTP`);
    const scope = params.scope ?? `repository:${this.repository}:pull`;
    let res: Response;
    if (creds?.identityToken) {
      // OAuth2 refresh-token grant (what `docker login` stores as identitytoken).
      const body = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: creds.identityToken,
        service: params.service ?? '',
        scope,
        client_id: 'palisade',
      });
      res = await fetch(realm, { method: 'POST', body, signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000) }).catch((e: Error) => {
        throw new PalisadeError('io', `registry ${this.registry}: token service ${realm.origin} unreachable (${e.message})`);
      });
    } else {
      if (params.service) realm.searchParams.set('service', params.service);
      realm.searchParams.set('scope', scope);
      const headers: Record<string, string> = {};
      if (creds?.username) headers.authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password ?? ''}`).toString('base64')}`;
      res = await fetch(realm, { headers, signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000) }).catch((e: Error) => {
        throw new PalisadeError('io', `registry ${this.registry}: token service ${realm.origin} unreachable (${e.message})`);
      });
    }
    if (res.status === 401 || res.status === 403)
      throw new PalisadeError('io', `registry ${this.registry}: the token service refused the credentials (HTTP ${res.status})`);
    if (!res.ok) throw new PalisadeError('io', `registry ${this.registry}: token service answered HTTP ${res.status}`);
    const doc = parseJson(await readAll(bodyOf(res), 1 << 20, 'token response'), 'token response');
    const token = (doc.token ?? doc.access_token) as string | undefined;
    if (typeof token !== 'string' || token === '') throw new PalisadeError('io', `registry ${this.registry}: token response has no token`);
    this.authorization = `Bearer ${token}`;
  }

  /** GET with the authentication dance: one retry after answering a 401 challenge. */
  async get(path: string, headers: Record<string, string> = {}, timeout = true): Promise<Response> {
    const url = `${this.base}/v2/${path}`;
    let res = await this.fetchOnce(url, headers, timeout);
    if (res.status === 401) {
      const challenge = res.headers.get('www-authenticate');
      await res.body?.cancel();
      if (!challenge) throw new PalisadeError('io', `registry ${this.registry}: HTTP 401 without a WWW-Authenticate challenge`);
      const before = this.authorization;
      await this.authorize(challenge);
      if (this.authorization === before) throw new PalisadeError('io', `registry ${this.registry}: authentication failed`);
      res = await this.fetchOnce(url, headers, timeout);
      if (res.status === 401) {
        await res.body?.cancel();
        throw new PalisadeError('io', `registry ${this.registry}: authentication failed for ${this.repository} (HTTP 401 with the credentials given)`);
      }
    }
    return res;
  }

  /** Fetches a manifest or index by tag or digest and checks its digest. */
  async manifest(reference: string): Promise<{ doc: Record<string, unknown>; digest: string; mediaType?: string }> {
    const res = await this.get(`${this.repository}/manifests/${reference}`, { accept: MANIFEST_ACCEPT });
    if (res.status === 404) {
      await res.body?.cancel();
      throw new PalisadeError('usage', `registry ${this.registry}: ${this.repository}:${reference} not found`);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new PalisadeError('io', `registry ${this.registry}: manifest ${this.repository}:${reference}: HTTP ${res.status}`);
    }
    const bytes = await readAll(bodyOf(res), MAX_JSON_BYTES, `manifest ${reference}`);
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const expected = reference.includes(':') ? reference : res.headers.get('docker-content-digest');
    if (expected?.startsWith('sha256:') && expected !== digest)
      throw new PalisadeError('io', `registry ${this.registry}: manifest ${this.repository}@${expected} has content digest ${digest}`);
    const mediaType = res.headers.get('content-type')?.split(';')[0]?.trim();
    return { doc: parseJson(bytes, `manifest ${reference}`), digest, ...(mediaType ? { mediaType } : {}) };
  }

  /** A blob store over this repository (streams are verified by the caller). */
  store(): BlobStore {
    return {
      name: `${this.registry}/${this.repository}`,
      blob: async (digest: string) => {
        // No overall timeout: a large blob may take minutes; the connection still fails fast.
        const res = await this.get(`${this.repository}/blobs/${digest}`, {}, false);
        if (!res.ok) {
          await res.body?.cancel();
          throw new PalisadeError('io', `registry ${this.registry}: blob ${digest} of ${this.repository}: HTTP ${res.status}`);
        }
        if (!res.body) throw new PalisadeError('io', `registry ${this.registry}: blob ${digest} has no body`);
        return res.body as unknown as AsyncIterable<Uint8Array>;
      },
    };
  }
}

/**
 * Resolves a registry reference (`registry/repo:tag`, `repo@sha256:...`) to an image for a platform.
 *
 * @example
 * const image = await openRegistryImage('127.0.0.1:5000/app:1.0', { os: 'linux', architecture: 'amd64' });
 */
export async function openRegistryImage(reference: string, platform: Platform, options: RegistryOptions = {}): Promise<ResolvedImage> {
  const ref: ImageRef = parseImageRef(reference);
  if (ref.digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(ref.digest)) throw new PalisadeError('usage', `${reference}: digest must be sha256:<64 hex>`);
  const client = new RegistryClient(ref.registry, ref.repository, options);
  const root = await client.manifest(ref.digest ?? ref.tag ?? 'latest');
  return resolveFrom(client.store(), reference, root, platform, async (d: Descriptor) => {
    const m = await client.manifest(d.digest);
    return { doc: m.doc, digest: m.digest };
  });
}
