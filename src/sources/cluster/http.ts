/**
 * A small Kubernetes API client: GET of JSON over node's http(s) with a keep-alive agent,
 * bounded concurrency, per-request deadlines, gzip, retries of transient failures, and
 * credentials from client-node's KubeConfig (see docs/decisions/0008-cluster-client.md for
 * why not client-node's own API classes).
 */
import { isAscii } from 'node:buffer';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { KubeConfig } from '@kubernetes/client-node';
import { VERSION } from '../../version.js';
import { type PruneFields, pruneListBody } from './prune.js';

const gunzipAsync = promisify(gunzip);

/** Options of {@link ApiClient}. */
export interface ApiClientOptions {
  /** Deadline of one request, in milliseconds (default 60 s). */
  readonly timeoutMs?: number;
  /** Requests in flight at once (default 8). */
  readonly concurrency?: number;
  /** Retries of transient failures: dropped connections, 429, 502-504 (default 2). */
  readonly retries?: number;
  /** First retry delay in milliseconds; later ones grow fourfold (default 250). */
  readonly retryDelayMs?: number;
}

/** Options of one {@link ApiClient.get}. */
export interface GetOptions {
  /**
   * Fields to cut out of the response body before it is parsed (see {@link pruneListBody}):
   * for list pages whose objects are normalised afterwards anyway.
   */
  readonly prune?: PruneFields;
}

/** Why a request failed. */
export type ApiErrorKind = 'http' | 'timeout' | 'network' | 'invalid-response';

/** A failed request: an HTTP status (with the API's `Status` message), a timeout or a network error. */
export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  /** HTTP status; 0 when no response arrived. */
  readonly status: number;
  /** The `reason` of the API's Status object (`Forbidden`, `Expired`...), or the network error code. */
  readonly reason: string;
  /** Seconds to wait, from `Retry-After`. */
  readonly retryAfter?: number;
  /** Attempts made before giving up (1 when the failure was not retried). */
  readonly attempts: number;

  constructor(kind: ApiErrorKind, status: number, reason: string, message: string, retryAfter?: number, attempts = 1) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = status;
    this.reason = reason;
    if (retryAfter !== undefined) this.retryAfter = retryAfter;
    this.attempts = attempts;
  }

  /** A short description for coverage and diagnostics: `forbidden (403): ...`, `timed out after 60s`. */
  describe(): string {
    if (this.kind === 'http') {
      const label =
        this.status === 403
          ? 'forbidden'
          : this.status === 401
            ? 'unauthorized'
            : this.status === 404
              ? 'not found'
              : this.status === 410
                ? 'gone'
                : this.status === 429
                  ? 'too many requests'
                  : this.status === 503
                    ? 'service unavailable'
                    : 'HTTP error';
      return `${label} (${this.status})${this.message ? `: ${this.message}` : ''}${this.#tries()}`;
    }
    return `${this.message}${this.#tries()}`;
  }

  #tries(): string {
    return this.attempts > 1 ? ` (after ${this.attempts} attempts)` : '';
  }
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
/** Credentials are applied again after this long, as client-go re-reads token files. */
const AUTH_TTL_MS = 60_000;

interface Auth {
  readonly headers: Record<string, string>;
  readonly agent: http.Agent;
  /**
   * Connections for long-lived streams (watches): apart from `agent`, whose `maxSockets`
   * bounds list requests, so that fifty open watches never starve the lists.
   */
  readonly streamAgent: http.Agent;
  readonly at: number;
}

/** An open stream of newline-delimited JSON (a watch), see {@link ApiClient.stream}. */
export interface ApiStream {
  /** Resolves when the server ends the stream; rejects with an {@link ApiError} when it fails or drops. */
  readonly done: Promise<void>;
  /** Closes the stream; `done` then resolves. */
  abort(): void;
}

/**
 * The retry back-off. The timer must keep the process alive: between two attempts nothing else
 * may be pending (no socket, no request), and an unref'd timer let node exit with code 13
 * (unsettled top-level await) and no output in the middle of a retry.
 */
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Longest wait honoured from `Retry-After`; a server asking for more is given up on (a scan is not a daemon). */
const MAX_RETRY_AFTER_MS = 30_000;

/**
 * Network error codes worth another attempt: the connection failed or dropped, or a name
 * lookup failed temporarily. Not retried: an unknown host (ENOTFOUND), TLS verification
 * failures and other errors that the same request would meet again.
 */
const TRANSIENT_NETWORK: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ConnectionDropped',
  'CorruptBody',
]);

/**
 * GETs JSON from one API server with the credentials of a kubeconfig context.
 *
 * @example
 * const client = new ApiClient(kubeConfig, { concurrency: 8 });
 * const version = await client.get('/version');
 * client.close();
 */
export class ApiClient {
  readonly #kc: KubeConfig;
  readonly #base: URL;
  readonly #timeoutMs: number;
  readonly #concurrency: number;
  readonly #retries: number;
  readonly #retryDelayMs: number;
  #auth: Promise<Auth> | undefined;
  /** When the current credentials were built; undefined while they are being built. */
  #authAt: number | undefined;
  #active = 0;
  readonly #queue: (() => void)[] = [];
  readonly #agents: http.Agent[] = [];
  /** Requests sent, retries included. */
  requests = 0;

  constructor(kubeConfig: KubeConfig, options: ApiClientOptions = {}) {
    this.#kc = kubeConfig;
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig context has no cluster');
    this.#base = new URL(cluster.server);
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#concurrency = Math.max(1, options.concurrency ?? 8);
    this.#retries = Math.max(0, options.retries ?? 2);
    this.#retryDelayMs = options.retryDelayMs ?? 250;
  }

  /** The API server URL. */
  get server(): string {
    return this.#base.href.replace(/\/$/, '');
  }

  /**
   * GETs `path` (below the server URL, which may carry a prefix such as a Rancher proxy path)
   * and parses the JSON body. Transient failures are retried; a 401 refreshes credentials once.
   */
  async get<T = unknown>(path: string, query: Readonly<Record<string, string | undefined>> = {}, options: GetOptions = {}): Promise<T> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, v);
    const qs = params.toString();
    const fullPath = `${this.#base.pathname.replace(/\/$/, '')}${path}${qs ? `?${qs}` : ''}`;
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      try {
        return (await this.#limited(() => this.#once(fullPath, options.prune))) as T;
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        if (err.status === 401 && !refreshed) {
          // Expired exec or token-file credentials: fetch them again, once.
          refreshed = true;
          this.#refresh();
          continue;
        }
        if (!isTransient(err) || attempt >= this.#retries) throw withAttempts(err, attempt + 1);
        const backoff = this.#retryDelayMs * 4 ** attempt;
        // 429 and 503 may say when to come back; a later time than we wait at most is an answer too.
        const asked = err.retryAfter !== undefined ? err.retryAfter * 1000 : undefined;
        if (asked !== undefined && asked > MAX_RETRY_AFTER_MS) throw withAttempts(err, attempt + 1);
        await sleep(asked ?? backoff);
      }
    }
  }

  /**
   * Opens a stream (a watch: `?watch=1`) and calls `onLine` with each line of the body as it
   * arrives. Not retried: the caller resumes from the last resourceVersion it saw. An HTTP
   * error status rejects `done` with the API's Status; a connection that drops rejects it with
   * `ConnectionDropped`; the server ending the stream (its timeout) resolves it.
   *
   * @example
   * const s = await client.stream('/api/v1/pods', { watch: '1', resourceVersion: '42' }, (line) => handle(JSON.parse(line)));
   * await s.done;
   */
  async stream(path: string, query: Readonly<Record<string, string | undefined>>, onLine: (line: string) => void): Promise<ApiStream> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, v);
    const qs = params.toString();
    const fullPath = `${this.#base.pathname.replace(/\/$/, '')}${path}${qs ? `?${qs}` : ''}`;
    const auth = await this.#credentials();
    this.requests++;
    const mod = this.#base.protocol === 'http:' ? http : https;
    let aborted = false;
    let req: http.ClientRequest | undefined;
    const done = new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (err?: ApiError): void => {
        if (settled) return;
        settled = true;
        if (err && !aborted) reject(err);
        else resolve();
      };
      req = mod.request(
        {
          protocol: this.#base.protocol,
          hostname: this.#base.hostname.replace(/^\[|\]$/g, ''),
          port: this.#base.port || (this.#base.protocol === 'http:' ? 80 : 443),
          path: fullPath,
          method: 'GET',
          agent: auth.streamAgent,
          headers: { Accept: 'application/json', 'User-Agent': `palisade/${VERSION}`, ...auth.headers },
        },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => finish(httpError(status, Buffer.concat(chunks).toString('utf8'), res.headers['retry-after'])));
            res.on('error', () => finish(dropped(fullPath)));
            return;
          }
          res.setEncoding('utf8');
          let buf = '';
          res.on('data', (chunk: string) => {
            buf += chunk;
            let nl = buf.indexOf('\n');
            while (nl >= 0) {
              const line = buf.slice(0, nl);
              buf = buf.slice(nl + 1);
              if (line.trim() !== '' && !aborted) onLine(line);
              nl = buf.indexOf('\n');
            }
          });
          res.on('error', () => finish(dropped(fullPath)));
          res.on('aborted', () => finish(dropped(fullPath)));
          res.on('close', () => finish(res.complete ? undefined : dropped(fullPath)));
          res.on('end', () => {
            if (buf.trim() !== '' && !aborted) onLine(buf);
            finish(res.complete ? undefined : dropped(fullPath));
          });
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => finish(networkError(err, fullPath)));
      req.end();
    });
    return {
      done,
      abort: () => {
        aborted = true;
        req?.destroy();
      },
    };
  }

  /** Closes idle connections. */
  close(): void {
    for (const a of this.#agents) a.destroy();
  }

  async #limited<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#active >= this.#concurrency) await new Promise<void>((r) => this.#queue.push(r));
    this.#active++;
    try {
      return await fn();
    } finally {
      this.#active--;
      this.#queue.shift()?.();
    }
  }

  #credentials(): Promise<Auth> {
    if (this.#auth && (this.#authAt === undefined || Date.now() - this.#authAt < AUTH_TTL_MS)) return this.#auth;
    return this.#refresh();
  }

  #refresh(): Promise<Auth> {
    const p = this.#build();
    this.#auth = p;
    this.#authAt = undefined;
    p.then(
      (a) => {
        if (this.#auth === p) this.#authAt = a.at;
      },
      // A failed credential plugin must not poison later attempts.
      () => {
        if (this.#auth === p) this.#auth = undefined;
      },
    );
    return p;
  }

  async #build(): Promise<Auth> {
    const opts: https.RequestOptions = {};
    const isHttp = this.#base.protocol === 'http:';
    // client-node refuses plain-HTTP servers (kubectl proxy) unless TLS verification is off;
    // there is no TLS to verify on them, so apply the credentials as if it were.
    const kc = isHttp ? httpView(this.#kc) : this.#kc;
    await kc.applyToHTTPSOptions(opts);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.headers ?? {})) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
    if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    const proxied = this.#kc.getCurrentCluster()?.proxyUrl !== undefined;
    const material = {
      ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
      ...(opts.cert !== undefined ? { cert: opts.cert } : {}),
      ...(opts.key !== undefined ? { key: opts.key } : {}),
    };
    // One TLS context for every connection: given `ca`/`cert`/`key`, each connection would
    // parse them into a context of its own (about 1 ms of CPU per connection). Material that
    // does not load is passed as before, so the connection reports it as it always did.
    let secureContext: tls.SecureContext | undefined;
    if (!isHttp) {
      try {
        secureContext = tls.createSecureContext(material);
      } catch {
        secureContext = undefined;
      }
    }
    const make = (keepAlive: boolean, maxSockets: number): http.Agent =>
      isHttp
        ? new http.Agent({ keepAlive, maxSockets })
        : new https.Agent({
            keepAlive,
            maxSockets,
            ...(secureContext !== undefined ? { secureContext } : material),
            ...(opts.rejectUnauthorized !== undefined ? { rejectUnauthorized: opts.rejectUnauthorized } : {}),
            ...(opts.servername !== undefined ? { servername: opts.servername } : {}),
          });
    let agent: http.Agent;
    let streamAgent: http.Agent;
    if (proxied && opts.agent) {
      // Proxy agents come from client-node (HTTP/HTTPS/SOCKS proxies): correctness over keep-alive tuning.
      agent = opts.agent as http.Agent;
      streamAgent = agent;
    } else {
      agent = make(true, this.#concurrency);
      streamAgent = make(false, Number.POSITIVE_INFINITY);
      this.#agents.push(streamAgent);
    }
    this.#agents.push(agent);
    return { headers, agent, streamAgent, at: Date.now() };
  }

  async #once(path: string, prune: PruneFields | undefined): Promise<unknown> {
    const auth = await this.#credentials();
    this.requests++;
    const mod = this.#base.protocol === 'http:' ? http : https;
    const { body, status, headers } = await new Promise<{ body: Buffer; status: number; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
      let settled = false;
      const fail = (e: ApiError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(e);
        req.destroy();
      };
      const req = mod.request(
        {
          protocol: this.#base.protocol,
          hostname: this.#base.hostname.replace(/^\[|\]$/g, ''),
          port: this.#base.port || (this.#base.protocol === 'http:' ? 80 : 443),
          path,
          method: 'GET',
          agent: auth.agent,
          headers: { Accept: 'application/json', 'Accept-Encoding': 'gzip', 'User-Agent': `palisade/${VERSION}`, ...auth.headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', () => fail(dropped(path)));
          res.on('aborted', () => fail(dropped(path)));
          res.on('close', () => {
            if (!res.complete) fail(dropped(path));
          });
          res.on('end', () => {
            if (settled) return;
            if (!res.complete) return fail(dropped(path));
            settled = true;
            clearTimeout(timer);
            resolve({ body: Buffer.concat(chunks), status: res.statusCode ?? 0, headers: res.headers });
          });
        },
      );
      const timer = setTimeout(
        () => fail(new ApiError('timeout', 0, 'Timeout', `timed out after ${formatMs(this.#timeoutMs)} on GET ${path.split('?')[0]}`)),
        this.#timeoutMs,
      );
      req.on('error', (err: NodeJS.ErrnoException) => fail(networkError(err, path)));
      req.end();
    });
    let raw: Buffer;
    try {
      raw = headers['content-encoding'] === 'gzip' ? await gunzipAsync(body, { chunkSize: inflateChunk(body) }) : body;
    } catch {
      throw new ApiError('network', 0, 'CorruptBody', `response body is not valid gzip (connection dropped?) on GET ${path.split('?')[0]}`);
    }
    if (status >= 200 && status < 300) {
      // `raw` is this request's own buffer (inflated, or concatenated from the chunks): pruning may compact it in place.
      const text = decode(prune ? pruneListBody(raw, prune) : raw);
      try {
        return JSON.parse(text);
      } catch {
        throw new ApiError('invalid-response', status, 'InvalidJSON', `GET ${path}: response is not JSON`);
      }
    }
    throw httpError(status, decode(raw), headers['retry-after']);
  }
}

/** Largest output chunk of an inflate; larger bodies are inflated in several chunks and joined. */
const MAX_INFLATE_CHUNK = 32 * 1024 * 1024;

/**
 * Output chunk size for inflating `gzipped`. zlib's default (16 KiB) makes an asynchronous
 * inflate of a list page (JSON shrinks 10 to 30 times) cross the thread pool once per 16 KiB:
 * three to four times the CPU of inflating it in one go. The gzip trailer gives the inflated
 * size (modulo 2^32, RFC 1952 ISIZE): one chunk of that size (plus one byte, so that zlib does
 * not start another) is the whole body, with no join; the size is only a hint from the
 * server, hence the bounds.
 */
function inflateChunk(gzipped: Buffer): number {
  const size = gzipped.length >= 18 ? gzipped.readUInt32LE(gzipped.length - 4) + 1 : 0;
  const guess = size > 1 ? size : gzipped.length * 16;
  return Math.min(MAX_INFLATE_CHUNK, Math.max(64 * 1024, guess));
}

/**
 * UTF-8 text of a body. API servers send JSON that is almost always plain ASCII, which
 * decodes as Latin-1 without UTF-8's per-byte checks (`isAscii` is vectorised).
 */
function decode(b: Buffer): string {
  return b.toString(isAscii(b) ? 'latin1' : 'utf8');
}

/**
 * A copy of a kubeconfig whose current cluster skips TLS verification: client-node refuses to
 * apply credentials for a plain-HTTP server (kubectl proxy, the test server) unless it is off,
 * and there is no TLS to verify there. For `http:` servers only.
 *
 * @example
 * const kc = new URL(server).protocol === 'http:' ? httpView(kubeConfig) : kubeConfig;
 */
export function httpView(kc: KubeConfig): KubeConfig {
  const cluster = kc.getCurrentCluster();
  const Ctor = kc.constructor as new () => KubeConfig;
  const view = new Ctor();
  view.loadFromOptions({
    clusters: kc.getClusters().map((c) => (c === cluster ? { ...c, skipTLSVerify: true } : c)),
    users: kc.getUsers(),
    contexts: kc.getContexts(),
    currentContext: kc.getCurrentContext(),
  });
  return view;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function dropped(path: string): ApiError {
  return new ApiError('network', 0, 'ConnectionDropped', `connection dropped during GET ${path.split('?')[0]}`);
}

/** TLS verification failures as node reports them (`err.code`). */
const TLS_CODES =
  /^(?:UNABLE_TO_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_|ERR_TLS_CERT_ALTNAME_INVALID|ERR_SSL_|ERR_TLS_|HOSTNAME_MISMATCH|INVALID_CA|INVALID_PURPOSE)/;

/** Node's wording of a few network errors, said plainly. */
const NETWORK_WORDS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EAI_AGAIN: 'name lookup failed temporarily',
};

function networkError(err: NodeJS.ErrnoException & { hostname?: string }, path: string): ApiError {
  const code = err.code ?? 'ERROR';
  const where = `GET ${path.split('?')[0]}`;
  let what: string;
  if (code === 'ENOTFOUND') what = `unknown host ${err.hostname ?? ''}`.trim();
  else if (TLS_CODES.test(code))
    what = `TLS error: ${err.message} (check certificate-authority, tls-server-name or insecure-skip-tls-verify in the kubeconfig)`;
  else what = NETWORK_WORDS[code] ?? err.message;
  // The code is the stable part users search for; node's message for it is often empty.
  return new ApiError('network', 0, code, `${what} (${code}) on ${where}`);
}

function isTransient(err: ApiError): boolean {
  return err.kind === 'network' ? TRANSIENT_NETWORK.has(err.reason) : err.kind === 'timeout' ? false : RETRYABLE_STATUS.has(err.status);
}

function withAttempts(err: ApiError, attempts: number): ApiError {
  if (attempts <= 1) return err;
  return new ApiError(err.kind, err.status, err.reason, err.message, err.retryAfter, attempts);
}

function httpError(status: number, text: string, retryAfterHeader: string | undefined): ApiError {
  let reason = '';
  let message = '';
  try {
    const s = JSON.parse(text) as { reason?: unknown; message?: unknown };
    if (typeof s.reason === 'string') reason = s.reason;
    if (typeof s.message === 'string') message = s.message;
  } catch {
    message = text.slice(0, 200).trim();
  }
  const retryAfter = parseRetryAfter(retryAfterHeader);
  return new ApiError('http', status, reason || String(status), message.length > 300 ? `${message.slice(0, 300)}…` : message, retryAfter);
}

/** `Retry-After` in seconds: delta-seconds or an HTTP date (RFC 9110 10.2.3); undefined when absent or invalid. */
export function parseRetryAfter(header: string | undefined, now: number = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const v = header.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}
