/**
 * `palisade agent`: runs the cluster monitor in (or next to) a cluster and pushes each scan to
 * a central `palisade serve` (`POST /api/v1/ingest`, docs/api.md) through the on-disk outbox
 * (outbox.ts). The sender goes through the queue oldest first, one request at a time; a scan
 * leaves the queue only when the server answered 200 (a duplicate included), so nothing is
 * lost, and the idempotency key makes a resend after a lost answer harmless, so nothing is
 * doubled. Failures back off exponentially with full jitter, up to a minute.
 */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { PalisadeError } from '../core/errors.js';
import { type ClusterMonitor, type MonitorOptions, monitorCluster } from '../server/monitor/index.js';
import { Outbox, type QueuedScan } from './outbox.js';

export { Outbox, type IngestEntry, type QueuedScan } from './outbox.js';

/** Options of {@link runAgent}. */
export interface AgentOptions {
  /** Base URL of `palisade serve`, e.g. `https://palisade.example.com:8443`. */
  readonly server: string;
  /** File holding the agent token (read before each request, so a rotated token is picked up). */
  readonly tokenFile: string;
  /** Directory of the outbox. */
  readonly bufferDir: string;
  /** PEM CA bundle to trust for the server (besides the system's). */
  readonly caFile?: string;
  /** The monitor: cluster target, name, schedule (its `onScan` is the agent's). */
  readonly monitor: Omit<MonitorOptions, 'onScan'>;
  /** Largest request body (default 32 MiB, the server's limit for ingest). */
  readonly maxBodyBytes?: number;
  /** Back-off of failed pushes: first delay and cap in ms (default 1,000 and 60,000). */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** One JSON-able event per line: started, queued, sent, retry, rejected, stopped. */
  readonly log?: (event: Readonly<Record<string, unknown>>) => void;
  /** Problems, one line each. */
  readonly warn?: (line: string) => void;
}

/** A running agent. */
export interface Agent {
  readonly monitor: ClusterMonitor;
  readonly outbox: Outbox;
  /** Stops the monitor and the sender; queued scans stay on disk for the next start. */
  stop(): Promise<void>;
}

/** What one push attempt came to. */
type Outcome = { readonly ok: true; readonly duplicate: boolean } | { readonly ok: false; readonly retry: boolean; readonly reason: string };

const MiB = 1024 * 1024;

function jitter(attempt: number, initialMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling * (0.5 + Math.random() / 2));
}

/**
 * Starts an agent: opens the outbox, starts the sender (which sends what a previous run left
 * queued) and the monitor; resolves once the monitor delivered its first full scan.
 *
 * @example
 * const agent = await runAgent({ server: 'https://palisade:8443', tokenFile: '/etc/palisade/token', bufferDir: '/var/lib/palisade', monitor: { inCluster: true, clusterName: 'prod' } });
 * process.once('SIGTERM', () => void agent.stop());
 */
export async function runAgent(options: AgentOptions): Promise<Agent> {
  let base: URL;
  try {
    base = new URL(options.server);
  } catch {
    throw new PalisadeError('usage', `--server ${options.server}: not a URL (e.g. https://palisade.example.com:8443)`);
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new PalisadeError('usage', `--server ${options.server}: the scheme must be https or http`);
  const warn = options.warn ?? (() => {});
  const log = options.log ?? (() => {});
  if (base.protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname))
    warn(`--server ${options.server}: plain HTTP to a non-loopback host sends the token unencrypted; use https`);
  let ca: Buffer | undefined;
  if (options.caFile !== undefined) {
    try {
      ca = await readFile(options.caFile);
    } catch (err) {
      throw new PalisadeError('io', `--ca-file ${options.caFile}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
  }
  await readToken(options.tokenFile);
  const outbox = await Outbox.open(options.bufferDir);
  const maxBody = options.maxBodyBytes ?? 32 * MiB;
  const initialMs = options.backoff?.initialMs ?? 1000;
  const maxMs = options.backoff?.maxMs ?? 60_000;
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ...(ca ? { ca } : {}) });
  const plain = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const ingest = new URL('api/v1/ingest', base.href.endsWith('/') ? base.href : `${base.href}/`);

  let stopped = false;
  let wake: (() => void) | undefined;
  let sleeping: NodeJS.Timeout | undefined;
  let inFlight: http.ClientRequest | undefined;
  /** Set when a scan was queued: the sender must look again before it sleeps. */
  let dirty = false;
  const nudge = (): void => {
    dirty = true;
    clearTimeout(sleeping);
    wake?.();
  };
  const idle = (ms?: number): Promise<void> =>
    new Promise((resolve) => {
      if (dirty && ms === undefined) return resolve();
      wake = () => {
        wake = undefined;
        resolve();
      };
      if (ms !== undefined) sleeping = setTimeout(() => wake?.(), ms);
    });

  const post = async (q: QueuedScan, snapshot: Uint8Array | undefined): Promise<Outcome> => {
    let token: string;
    try {
      token = await readToken(options.tokenFile);
    } catch (err) {
      return { ok: false, retry: true, reason: err instanceof Error ? err.message : String(err) };
    }
    let body = JSON.stringify({ ...q.entry, ...(snapshot ? { snapshot: Buffer.from(snapshot).toString('base64') } : {}) });
    if (Buffer.byteLength(body) > maxBody && snapshot) {
      warn(`scan ${q.entry.sequence}: the snapshot makes the request larger than ${Math.round(maxBody / MiB)} MiB; sent without it`);
      body = JSON.stringify(q.entry);
    }
    const payload = Buffer.from(body);
    return new Promise<Outcome>((resolve) => {
      const mod = ingest.protocol === 'https:' ? https : http;
      const req = mod.request(
        ingest,
        {
          method: 'POST',
          agent: ingest.protocol === 'https:' ? agent : plain,
          timeout: 120_000,
          headers: { 'Content-Type': 'application/json', 'Content-Length': payload.length, Authorization: `Bearer ${token}` },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', () => resolve({ ok: false, retry: true, reason: 'connection dropped while reading the answer' }));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status === 200) {
              let duplicate = false;
              try {
                duplicate = (JSON.parse(text) as { duplicate?: unknown }).duplicate === true;
              } catch {
                // A 200 is the server's word that it stored the scan, whatever the body.
              }
              return resolve({ ok: true, duplicate });
            }
            let message = text.slice(0, 200);
            try {
              const e = JSON.parse(text) as { error?: { message?: unknown } };
              if (typeof e.error?.message === 'string') message = e.error.message;
            } catch {
              // not the API's error shape: the raw text says enough
            }
            // 400 and 413 will not change on a resend; everything else (401/403 until the token
            // is fixed, 429, 5xx) may.
            resolve({ ok: false, retry: status !== 400 && status !== 413, reason: `HTTP ${status}: ${message}` });
          });
        },
      );
      inFlight = req;
      req.on('timeout', () => req.destroy(new Error('no answer within 120s')));
      req.on('error', (err: NodeJS.ErrnoException) => resolve({ ok: false, retry: true, reason: `${err.code ?? ''} ${err.message}`.trim() }));
      req.end(payload);
    }).finally(() => {
      inFlight = undefined;
    });
  };

  const sender = (async (): Promise<void> => {
    let failures = 0;
    while (!stopped) {
      dirty = false;
      const queue = await outbox.files();
      if (queue.length === 0) {
        await idle();
        continue;
      }
      const q = await outbox.read(queue[0] as string);
      if (!q) continue;
      // The snapshot is the cluster's latest state: it rides with the newest queued scan.
      const snapshot = queue.length === 1 ? await outbox.snapshot() : undefined;
      const outcome = await post(q, snapshot);
      if (stopped) break;
      if (outcome.ok) {
        await outbox.remove(q.file);
        failures = 0;
        log({
          event: 'sent',
          sequence: q.entry.sequence,
          scanId: q.entry.scanId,
          kind: q.entry.scan.kind,
          duplicate: outcome.duplicate,
          queued: queue.length - 1,
        });
        continue;
      }
      if (!outcome.retry) {
        await outbox.reject(q.file);
        warn(`scan ${q.entry.sequence} refused by ${options.server} (${outcome.reason}); moved to ${options.bufferDir}/rejected`);
        log({ event: 'rejected', sequence: q.entry.sequence, reason: outcome.reason });
        continue;
      }
      const delay = jitter(failures++, initialMs, maxMs);
      log({ event: 'retry', sequence: q.entry.sequence, reason: outcome.reason, inMs: delay, queued: queue.length });
      if (failures === 1 || failures % 10 === 0)
        warn(`cannot push to ${options.server}: ${outcome.reason}; ${queue.length} scan(s) kept in ${options.bufferDir}, retrying`);
      await idle(delay);
    }
  })();

  const monitor = monitorCluster({
    ...options.monitor,
    onScan: async (scan, snapshot) => {
      const q = await outbox.add(scan.cluster, scan, snapshot);
      log({ event: 'queued', sequence: q.entry.sequence, scanId: q.entry.scanId, kind: scan.kind, findings: scan.findings.length, scope: scan.scope?.length });
      nudge();
    },
    onError: (e) => warn(`${e.where}: ${e.message}`),
  });
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await monitor.stop();
    inFlight?.destroy();
    nudge();
    await sender;
    agent.destroy();
    plain.destroy();
  };
  try {
    await monitor.start();
  } catch (err) {
    await stop();
    throw err;
  }
  log({ event: 'started', agentId: outbox.agentId, cluster: monitor.status().cluster, server: options.server });
  return { monitor, outbox, stop };
}

async function readToken(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new PalisadeError('io', `--token-file ${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const token = text.trim();
  if (token === '' || /\s/.test(token)) throw new PalisadeError('usage', `--token-file ${file}: expected one token on one line`);
  return token;
}
