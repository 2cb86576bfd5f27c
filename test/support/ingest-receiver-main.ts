/**
 * TEST UTILITY: a small receiver of `POST /api/v1/ingest` (the contract of docs/api.md) in
 * its own process, for testing `palisade agent` without the full server: bearer-token auth,
 * the 32 MiB body limit, validation, and idempotency by `agentId:scanId:sequence`. What it
 * stores is appended (fsynced) to `DIR/received.jsonl` and read back at start, so a receiver
 * killed and started again on the same directory still recognises duplicates, as a store does.
 *
 *   node --import tsx test/support/ingest-receiver-main.ts --data DIR --token TOKEN [--port N] [--drop-answers N]
 *
 * `--drop-answers N`: for the first N scans it stores, the connection is destroyed instead of
 * answering (the agent cannot know it was stored, and must send it again). Prints one JSON
 * line when ready (`{"url","port"}`) and one per request (`{"stored"|"duplicate", key, ...}`).
 */
import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: flags } = parseArgs({
  options: {
    data: { type: 'string' },
    token: { type: 'string' },
    port: { type: 'string', default: '0' },
    'drop-answers': { type: 'string', default: '0' },
  },
});
if (flags.data === undefined || flags.token === undefined) {
  process.stderr.write('ingest-receiver: --data and --token are required\n');
  process.exit(2);
}
const dataDir = flags.data;
const token = flags.token;
mkdirSync(dataDir, { recursive: true });
const file = join(dataDir, 'received.jsonl');
const seen = new Map<string, number>();
if (existsSync(file)) {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const r = JSON.parse(line) as { key: string; id: number };
    seen.set(r.key, r.id);
  }
}
let dropLeft = Number(flags['drop-answers']);
const MAX = 32 * 1024 * 1024;

const out = (o: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(o)}\n`);
};
const error = (res: http.ServerResponse, status: number, code: string, message: string): void => {
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
};

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/api/v1/ingest') return error(res, 404, 'not_found', `${req.method} ${req.url}`);
  if (req.headers.authorization !== `Bearer ${token}`) return error(res, 401, 'unauthorized', 'a valid agent token is required');
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > MAX) tooLarge = true;
    else chunks.push(c);
  });
  req.on('end', () => {
    if (tooLarge) return error(res, 413, 'too_large', 'the body is larger than 32 MiB');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      return error(res, 400, 'bad_request', 'the body is not JSON');
    }
    const scan = body.scan as Record<string, unknown> | undefined;
    if (
      typeof body.cluster !== 'string' ||
      typeof body.agentId !== 'string' ||
      typeof body.scanId !== 'string' ||
      !Number.isInteger(body.sequence) ||
      typeof scan !== 'object' ||
      scan === null ||
      (scan.kind !== 'full' && scan.kind !== 'incremental') ||
      !Array.isArray(scan.findings) ||
      scan.cluster !== body.cluster
    )
      return error(res, 400, 'bad_request', 'expected { cluster, agentId, scanId, sequence, scan: ScanInput, snapshot? }');
    if (body.snapshot !== undefined && typeof body.snapshot !== 'string') return error(res, 400, 'bad_request', 'snapshot must be base64');
    const key = `${body.agentId}:${body.scanId}:${body.sequence}`;
    const record = (id: number, duplicate: boolean): string =>
      JSON.stringify({
        id: String(id),
        cluster: body.cluster,
        kind: scan.kind,
        startedAt: scan.startedAt,
        finishedAt: scan.finishedAt,
        resources: scan.resources,
        checksRun: scan.checksRun,
        ...(duplicate ? { duplicate: true } : {}),
      });
    const known = seen.get(key);
    if (known !== undefined) {
      out({ duplicate: key, sequence: body.sequence });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(record(known, true));
    }
    const id = seen.size + 1;
    const line = `${JSON.stringify({ key, id, sequence: body.sequence, kind: scan.kind, findings: scan.findings.length, scope: scan.scope ?? null, snapshot: body.snapshot !== undefined, names: (scan.findings as { name: string; check: string }[]).map((f) => `${f.check}:${f.name}`) })}\n`;
    const fd = openSync(file, 'a');
    try {
      appendFileSync(fd, line);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    seen.set(key, id);
    out({ stored: key, sequence: body.sequence, kind: scan.kind });
    if (dropLeft > 0) {
      dropLeft--;
      // Stored, but the answer never arrives.
      req.socket.destroy();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(record(id, false));
  });
});
server.listen(Number(flags.port), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  out({ url: `http://127.0.0.1:${port}`, port });
});
const stop = (): void => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
