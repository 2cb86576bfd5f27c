/**
 * TEST UTILITY: runs `palisade serve` (the built CLI) in its own process, creates tokens with
 * `palisade serve token create`, and turns a library scan into the `ScanInput` an agent pushes.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import type { Finding } from '../../src/core/types.js';
import { loadSource, scanLoaded } from '../../src/scan.js';
import { writeSnapshot } from '../../src/sources/snapshot.js';
import type { FindingInput, ScanInput } from '../../src/store/types.js';
import { CLI } from './cli.js';

const run = promisify(execFile);

/** A running server. */
export interface Served {
  readonly child: ChildProcess;
  readonly url: string;
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Starts `palisade serve ARGS` and waits for its `listening` line.
 *
 * @example
 * const s = await startServe(['--no-watch', '--listen', '127.0.0.1:0', '--store', 'sqlite:/tmp/p.db']);
 */
export async function startServe(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`palisade serve exited ${code}: ${stderr}`)));
    lines.on('line', (line) => {
      try {
        const event = JSON.parse(line) as { event?: string; url?: string };
        if (event.event === 'listening' && event.url) resolve(event.url);
      } catch {
        // not a JSON line
      }
    });
  });
  return {
    child,
    url,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Creates a token with the CLI and returns its secret.
 *
 * @example
 * const admin = await createToken('sqlite:/tmp/p.db', 'alice', 'admin');
 */
export async function createToken(store: string, name: string, role: string): Promise<string> {
  const { stdout } = await run(process.execPath, [CLI, 'serve', 'token', 'create', '--name', name, '--role', role, '--store', store]);
  return stdout.trim();
}

function fingerprint(cluster: string, f: Finding): string {
  const r = f.resource;
  return createHash('sha256')
    .update([cluster, f.check, r.apiVersion, r.kind, r.namespace ?? '', r.name, f.container ?? '', f.pointer].join('\0'))
    .digest('hex')
    .slice(0, 32);
}

/** A failing finding of a report as the store takes it. */
export function findingInput(cluster: string, f: Finding): FindingInput {
  return {
    fingerprint: fingerprint(cluster, f),
    check: f.check,
    checkName: f.name,
    title: f.title,
    severity: f.severity,
    category: f.category,
    apiVersion: f.resource.apiVersion,
    kind: f.resource.kind,
    namespace: f.resource.namespace ?? null,
    name: f.resource.name,
    container: f.container ?? null,
    pointer: f.pointer,
    message: f.message,
    evidence: null,
    frameworks: f.frameworks,
    fix: f.fix ?? null,
    fixable: f.fixable ?? null,
    rank: f.rank ?? null,
    groupId: f.groupId ?? null,
    exceptionId: null,
  };
}

/**
 * Scans manifests with the library and returns the full `ScanInput` and the snapshot (gzip,
 * base64) an agent would push for `cluster`.
 *
 * @example
 * const { scan, snapshot } = await scanOf(['demo'], 'demo', dir);
 */
export async function scanOf(
  paths: readonly string[],
  cluster: string,
  dir: string,
): Promise<{ scan: Omit<ScanInput, 'idempotencyKey'>; snapshot: string; findings: readonly Finding[] }> {
  const loaded = await loadSource({ kind: 'files', paths });
  const report = scanLoaded(loaded);
  // One finding per identity (two findings of one check on one field are one problem to track).
  const byPrint = new Map<string, Finding>();
  for (const f of report.findings) if (f.status === 'fail' && !byPrint.has(fingerprint(cluster, f))) byPrint.set(fingerprint(cluster, f), f);
  const failing = [...byPrint.values()];
  const file = join(dir, `${cluster}-${Date.now()}-${Math.random().toString(36).slice(2)}.snapshot.json.gz`);
  await writeSnapshot(file, [{ name: cluster, inventory: (loaded[0] as (typeof loaded)[number]).inventory, coverage: [] }]);
  const at = new Date().toISOString();
  return {
    scan: {
      cluster,
      kind: 'full',
      startedAt: at,
      finishedAt: at,
      findings: failing.map((f) => findingInput(cluster, f)),
      resources: (loaded[0] as (typeof loaded)[number]).inventory.size,
      checksRun: report.summary.checksRun,
      coverage: [],
    },
    snapshot: readFileSync(file).toString('base64'),
    findings: failing,
  };
}

/** An answer of the server's API: status, headers, the body and, when it is JSON, its value. */
export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: answers of many shapes, asserted field by field
  readonly json: any;
}

/**
 * One request to a running `palisade serve` (`base` is its URL), with a bearer token when given
 * and a JSON content type when there is a body.
 */
export async function apiCall(base: string, path: string, token: string | undefined, init: RequestInit = {}): Promise<ApiAnswer> {
  const res = await fetch(`${base}${path}`, {
    ...init,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(init.body ? { 'Content-Type': 'application/json' } : {}), ...(init.headers ?? {}) },
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
