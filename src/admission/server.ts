/**
 * The webhook's HTTPS server: `POST /validate` and `POST /mutate` take AdmissionReview v1 and
 * answer with the decision of `decide`; `GET /healthz`, `/readyz` and `/metrics` serve probes
 * and Prometheus. Bodies are bounded (413 past the limit, before reading it all), slow clients
 * are cut at the request timeout, and a namespace lookup that hangs falls back to the default
 * mode instead of holding the API server's call. Logs say who asked what and the outcome; they
 * never contain the object (Secrets and env values stay out of logs).
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AdmissionDecision, type AdmissionEngine, type AdmissionPath, decide } from './evaluate.js';
import { AdmissionMetrics } from './metrics.js';
import type { Labels, NamespaceLabelSource } from './namespaces.js';
import { type AdmissionRequest, InvalidReviewError, parseAdmissionReview, reviewResponse } from './review.js';

/** Options of {@link createAdmissionServer}. */
export interface AdmissionServerOptions {
  readonly engine: AdmissionEngine;
  readonly namespaces: NamespaceLabelSource;
  readonly tls: { readonly key: string; readonly cert: string };
  /** Largest request body, in bytes (default 8 MiB: an object and its old version). */
  readonly maxBodyBytes?: number;
  /** Deadline of one request, headers and body included, in milliseconds (default 10 s). */
  readonly requestTimeoutMs?: number;
  /** Longest wait for a namespace's labels before the default mode is used (default 2 s). */
  readonly namespaceTimeoutMs?: number;
  /** One line per decision (JSON); absent: no request log. */
  readonly log?: (line: string) => void;
  /** Where server problems go (a bad body, an internal error). */
  readonly warn?: (line: string) => void;
  /** The clock, for the decision's date and the latency. */
  readonly now?: () => number;
}

/** The server and what it exposes. */
export interface AdmissionServer {
  readonly server: https.Server;
  readonly metrics: AdmissionMetrics;
}

const JSON_TYPE = 'application/json';

function send(res: ServerResponse, status: number, body: string, type = JSON_TYPE): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(body);
}

function problem(res: ServerResponse, status: number, message: string): void {
  send(res, status, JSON.stringify({ error: message }));
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.pause();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('request aborted')));
  });
}

function withTimeout<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => {
        clearTimeout(timer);
        resolve(fallback);
      },
    );
  });
}

function logLine(path: AdmissionPath, req: AdmissionRequest, d: AdmissionDecision, ms: number): string {
  return JSON.stringify({
    time: new Date().toISOString(),
    path,
    uid: req.uid,
    operation: req.operation,
    kind: req.kind.kind,
    ...(req.subResource !== undefined ? { subResource: req.subResource } : {}),
    ...(req.namespace !== undefined ? { namespace: req.namespace } : {}),
    ...(req.name !== undefined ? { name: req.name } : {}),
    user: req.userInfo.username,
    ...(req.dryRun ? { dryRun: true } : {}),
    outcome: d.outcome,
    ...(d.mode !== undefined ? { mode: d.mode } : {}),
    ...(d.failOn !== undefined ? { failOn: d.failOn } : {}),
    ...(d.reason !== undefined ? { reason: d.reason } : {}),
    ...(d.failing.length > 0 ? { failing: [...new Set(d.failing.map((f) => f.check))] } : {}),
    ...(d.blocking.length > 0 ? { blocking: [...new Set(d.blocking.map((f) => f.check))] } : {}),
    ...(d.patch !== undefined ? { patchOperations: d.patch.length } : {}),
    ms: Math.round(ms * 1000) / 1000,
  });
}

/**
 * Creates the webhook server (not yet listening).
 *
 * @example
 * const { server } = createAdmissionServer({ engine, namespaces: NO_NAMESPACES, tls });
 * server.listen(8443, '127.0.0.1');
 */
export function createAdmissionServer(options: AdmissionServerOptions): AdmissionServer {
  const metrics = new AdmissionMetrics();
  const maxBody = options.maxBodyBytes ?? 8 * 1024 * 1024;
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const nsTimeout = options.namespaceTimeoutMs ?? Math.min(2000, Math.floor(timeoutMs / 2));
  const now = options.now ?? (() => performance.now());
  const warn = options.warn ?? (() => {});

  async function review(path: AdmissionPath, req: IncomingMessage, res: ServerResponse): Promise<void> {
    let status = 200;
    try {
      const type = String(req.headers['content-type'] ?? '');
      if (!type.toLowerCase().startsWith(JSON_TYPE)) {
        status = 415;
        return problem(res, 415, `content-type must be ${JSON_TYPE}`);
      }
      let body: Buffer;
      try {
        body = await readBody(req, maxBody);
      } catch (err) {
        if (err instanceof BodyTooLarge) {
          status = 413;
          warn(`request body larger than ${maxBody} bytes refused`);
          res.setHeader('Connection', 'close');
          return problem(res, 413, `request body larger than ${maxBody} bytes`);
        }
        status = 400;
        return problem(res, 400, 'request body could not be read');
      }
      const started = now();
      let parsed: unknown;
      let request: AdmissionRequest;
      try {
        parsed = JSON.parse(body.toString('utf8'));
        request = parseAdmissionReview(parsed);
      } catch (err) {
        status = 400;
        const message = err instanceof InvalidReviewError ? err.message : 'the body is not valid JSON';
        warn(`bad AdmissionReview: ${message}`);
        return problem(res, 400, message);
      }
      const labels =
        request.namespace !== undefined ? await withTimeout<Labels | undefined>(options.namespaces.labels(request.namespace), nsTimeout, undefined) : undefined;
      const decision = decide(options.engine, path, request, labels);
      const seconds = (now() - started) / 1000;
      metrics.latency.observe({ path }, seconds);
      metrics.verdicts.inc({ path, outcome: decision.outcome, mode: decision.mode ?? 'none', dry_run: String(request.dryRun) });
      for (const f of decision.failing) metrics.findings.inc({ severity: f.severity });
      options.log?.(logLine(path, request, decision, seconds * 1000));
      send(res, 200, JSON.stringify(reviewResponse(decision.response)));
    } catch (err) {
      // A 500 lets the API server apply the registration's failurePolicy.
      status = 500;
      warn(`internal error: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) problem(res, 500, 'internal error');
    } finally {
      metrics.requests.inc({ path, code: String(status) });
    }
  }

  const server = https.createServer(
    {
      key: options.tls.key,
      cert: options.tls.cert,
      minVersion: 'TLSv1.2',
      // How often node looks for requests past their deadline (default 30 s, longer than the deadline itself).
      connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.floor(timeoutMs / 4))),
    },
    (req, res) => {
      const url = (req.url ?? '/').split('?')[0];
      if (url === '/validate' || url === '/mutate') {
        if (req.method !== 'POST') {
          res.setHeader('Allow', 'POST');
          return problem(res, 405, 'use POST');
        }
        void review(url === '/validate' ? 'validate' : 'mutate', req, res);
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET');
        return problem(res, 405, 'use GET');
      }
      if (url === '/healthz') return send(res, 200, 'ok\n', 'text/plain');
      if (url === '/readyz')
        return options.namespaces.ready ? send(res, 200, 'ok\n', 'text/plain') : send(res, 503, 'namespaces not listed yet\n', 'text/plain');
      if (url === '/metrics') return send(res, 200, metrics.render(), 'text/plain; version=0.0.4');
      return problem(res, 404, 'not found: the paths are /validate, /mutate, /healthz, /readyz and /metrics');
    },
  );
  server.requestTimeout = timeoutMs;
  server.headersTimeout = Math.min(timeoutMs, 60_000);
  // The API server keeps connections to webhooks alive; idle ones are closed after this.
  server.keepAliveTimeout = 30_000;
  server.on('tlsClientError', () => {
    // Probes and scanners that drop the handshake are not worth a log line each.
  });
  return { server, metrics };
}
