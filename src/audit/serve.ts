/**
 * The receiver of the API server's webhook audit backend: HTTPS only, loopback by default,
 * authenticated by a bearer token or a client certificate, with a bounded request body. Each
 * POST carries an `audit.k8s.io/v1` EventList; the events are handed to the engine and the
 * request is answered once they are processed (the API server batches and retries).
 */
import { timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { AuditEvent } from '../audit-rules/event.js';
import { normalizeRecord } from './formats.js';

export interface ServeOptions {
  readonly host: string;
  readonly port: number;
  readonly cert: Buffer;
  readonly key: Buffer;
  /** Bearer token the API server sends (`users[].user.token` of the webhook kubeconfig). */
  readonly token?: string;
  /** CA bundle (PEM) of accepted client certificates. */
  readonly clientCa?: Buffer;
  readonly maxBodyBytes: number;
  readonly onEvents: (events: readonly AuditEvent[]) => void;
  /** A refused or bad request (one line, no secret). */
  readonly onProblem: (message: string) => void;
}

export interface ServeStats {
  batches: number;
  events: number;
  rejected: number;
}

function reply(res: ServerResponse, code: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function tokenMatches(header: string | undefined, token: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const a = Buffer.from(header.slice(7).trim());
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Starts the receiver; resolves once it listens.
 *
 * @example
 * const { server, address } = await serveAudit({ host: '127.0.0.1', port: 9765, cert, key, token, maxBodyBytes: 12 << 20, onEvents, onProblem });
 */
export async function serveAudit(opts: ServeOptions): Promise<{ server: Server; address: AddressInfo; stats: ServeStats }> {
  const stats: ServeStats = { batches: 0, events: 0, rejected: 0 };
  const server = createServer(
    {
      cert: opts.cert,
      key: opts.key,
      ...(opts.clientCa ? { ca: opts.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
      minVersion: 'TLSv1.2',
    },
    (req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'GET' && (path === '/healthz' || path === '/readyz')) return reply(res, 200, { status: 'ok' });
      const refuse = (code: number, message: string): void => {
        stats.rejected++;
        opts.onProblem(`${req.socket.remoteAddress ?? '?'} ${req.method} ${path}: ${code} ${message}`);
        reply(res, code, { error: message });
        req.resume();
      };
      if (opts.token !== undefined && !tokenMatches(req.headers.authorization, opts.token)) return refuse(401, 'missing or wrong bearer token');
      if (req.method !== 'POST') return refuse(405, 'only POST of an audit.k8s.io/v1 EventList');
      const declared = Number(req.headers['content-length'] ?? '0');
      // An oversized body is answered at once and the rest of it discarded unread (not held),
      // so that the client reads the 413 instead of a reset; requestTimeout bounds a sender that never stops.
      if (declared > opts.maxBodyBytes) {
        res.setHeader('connection', 'close');
        return refuse(413, `body larger than ${opts.maxBodyBytes} bytes`);
      }
      const parts: Buffer[] = [];
      let size = 0;
      let done = false;
      req.on('data', (c: Buffer) => {
        if (done) return;
        size += c.length;
        if (size > opts.maxBodyBytes) {
          done = true;
          parts.length = 0;
          res.setHeader('connection', 'close');
          refuse(413, `body larger than ${opts.maxBodyBytes} bytes`);
          return;
        }
        parts.push(c);
      });
      req.on('error', () => {
        done = true;
      });
      req.on('end', () => {
        if (done) return;
        done = true;
        let v: unknown;
        try {
          v = JSON.parse(Buffer.concat(parts, size).toString('utf8'));
        } catch {
          return refuse(400, 'body is not valid JSON');
        }
        const n = normalizeRecord(v);
        if ('problem' in n) return refuse(400, n.problem);
        stats.batches++;
        stats.events += n.events.length;
        try {
          opts.onEvents(n.events);
        } catch (err) {
          return refuse(500, `processing failed: ${err instanceof Error ? err.message : String(err)}`);
        }
        reply(res, 200, { accepted: n.events.length });
      });
    },
  );
  server.headersTimeout = 30_000;
  server.requestTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, address: server.address() as AddressInfo, stats };
}
