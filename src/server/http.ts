/**
 * The HTTP plumbing of `palisade serve`: JSON answers and the error shape of docs/api.md,
 * bounded request bodies (413 before the whole body is read), a route table with path
 * parameters, and a per-caller token bucket for rate limiting. node:http only: the API has
 * about thirty routes and no middleware chain a framework would earn its keep with
 * (docs/decisions/0023-server-on-node-http.md).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The error codes of docs/api.md, with their HTTP status. */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  too_large: 413,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCodeName = keyof typeof ERROR_STATUS;

/** An error answered as `{"error": {"code", "message"}}` with its status. */
export class HttpError extends Error {
  constructor(
    readonly code: ErrorCodeName,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** Headers every answer carries: no caching of API data, no sniffing, no framing. */
const COMMON_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
} as const;

/**
 * Sends a body with its type and length.
 *
 * @example
 * send(res, 200, 'ok\n', 'text/plain; charset=utf-8');
 */
export function send(res: ServerResponse, status: number, body: string | Uint8Array, type: string, headers: Readonly<Record<string, string>> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Type': type,
    'Content-Length': typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
    ...headers,
  });
  res.end(body);
}

/**
 * Sends a JSON value.
 *
 * @example
 * sendJson(res, 200, { items: [] });
 */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, `${JSON.stringify(value)}\n`, 'application/json; charset=utf-8');
}

/**
 * Sends JSON text rendered elsewhere (the CLI's `-f json` renderers), unparsed.
 *
 * @example
 * sendJsonText(res, renderMatrix(matrix, 'json'));
 */
export function sendJsonText(res: ServerResponse, text: string): void {
  send(res, 200, text.endsWith('\n') ? text : `${text}\n`, 'application/json; charset=utf-8');
}

/**
 * Sends the error shape of docs/api.md.
 *
 * @example
 * sendError(res, new HttpError('not_found', 'no finding abc in cluster prod'));
 */
export function sendError(res: ServerResponse, err: HttpError): void {
  send(res, err.status, `${JSON.stringify({ error: { code: err.code, message: err.message } })}\n`, 'application/json; charset=utf-8', err.headers);
}

/**
 * Reads a request body of at most `limit` bytes; past it, 413 without reading the rest (the
 * declared length is checked first, so a large upload is refused before it is sent).
 *
 * @example
 * const body = await readBody(req, 1 << 20);
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = (): HttpError => new HttpError('too_large', `request body larger than ${limit} bytes`, { Connection: 'close' });
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limit) {
        done = true;
        reject(tooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!done) reject(e);
    });
  });
}

/**
 * Parses a JSON body; a body that is not JSON, or not an object, is a 400.
 *
 * @example
 * const input = await readJson(req, 1 << 20);
 */
export async function readJson(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? '';
  if (type !== '' && !/^application\/json\b/i.test(type)) throw new HttpError('bad_request', `Content-Type must be application/json, not ${type}`);
  const body = await readBody(req, limit);
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError('bad_request', 'the request body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpError('bad_request', 'the request body must be a JSON object');
  return value as Record<string, unknown>;
}

/** A route pattern: `/api/v1/clusters/{cluster}/findings/{id}`. */
export interface CompiledPattern {
  readonly pattern: string;
  readonly regex: RegExp;
  readonly names: readonly string[];
}

/**
 * Compiles a pattern with `{name}` segments (one path segment each, percent-decoded).
 *
 * @example
 * compilePattern('/api/v1/scans/{id}').regex.test('/api/v1/scans/42'); // true
 */
export function compilePattern(pattern: string): CompiledPattern {
  const names: string[] = [];
  const source = pattern
    .split('/')
    .map((seg) => {
      const m = /^\{([A-Za-z]+)\}$/.exec(seg);
      if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(m[1] as string);
      return '([^/]+)';
    })
    .join('/');
  return { pattern, regex: new RegExp(`^${source}$`), names };
}

/**
 * Matches a path against a compiled pattern; the parameters, decoded, or undefined.
 *
 * @example
 * matchPattern(compilePattern('/api/v1/scans/{id}'), '/api/v1/scans/42'); // { id: '42' }
 */
export function matchPattern(p: CompiledPattern, path: string): Record<string, string> | undefined {
  const m = p.regex.exec(path);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.names.length; i++) {
    try {
      params[p.names[i] as string] = decodeURIComponent(m[i + 1] as string);
    } catch {
      throw new HttpError('bad_request', `malformed percent-encoding in ${path}`);
    }
  }
  return params;
}

/**
 * Token buckets, one per caller (a token id, or the client address before authentication):
 * `perMinute` requests fill the bucket over a minute, and a full bucket allows a burst of as
 * many. Buckets idle for ten minutes are dropped, so memory follows the active callers.
 *
 * @example
 * const limiter = new RateLimiter(600);
 * limiter.take('token:abc', Date.now()); // { ok: true }
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  #sweptAt = 0;

  constructor(readonly perMinute: number) {}

  /** Takes one request from the caller's bucket; when empty, the seconds until one is back. */
  take(caller: string, now: number): { ok: true } | { ok: false; retryAfter: number } {
    if (this.perMinute <= 0) return { ok: true };
    const rate = this.perMinute / 60_000;
    if (now - this.#sweptAt > 60_000) {
      this.#sweptAt = now;
      for (const [k, b] of this.#buckets) if (now - b.at > 600_000) this.#buckets.delete(k);
    }
    const b = this.#buckets.get(caller) ?? { tokens: this.perMinute, at: now };
    b.tokens = Math.min(this.perMinute, b.tokens + (now - b.at) * rate);
    b.at = now;
    this.#buckets.set(caller, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfter: Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000)) };
  }
}
