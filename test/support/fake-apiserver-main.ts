/**
 * TEST UTILITY: the fake API server as a program of its own, so that tests and the benchmark
 * run it in a separate process (a server in the client's process keeps the event loop alive
 * and hides bugs such as a retry timer that does not).
 *
 *   node --import tsx test/support/fake-apiserver-main.ts [--config FILE] [--objects fixture|N]
 *        [--pki DIR] [--http] [--token TOKEN=USER]... [--fault JSON]... [--deny RESOURCE]...
 *        [--cost-us-per-object N] [--latency-ms N] [--max-page-size N]
 *
 * `--config FILE` is a JSON {@link FakeApiConfig}; flags add to it. `--pki DIR` serves HTTPS
 * with the test PKI in DIR, made there (with openssl) when DIR has none. When ready, prints
 * one JSON line on stdout: `{"url":"https://127.0.0.1:PORT","objects":N,"caFile":"DIR/ca.crt"}`.
 * Stops on SIGTERM/SIGINT, or when the parent that forked it disconnects. With an IPC channel
 * (`fork`) it answers messages: `requests` (the request log), `cpu` (its CPU time since start
 * or the last `reset`), `reset`, `stop`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { JsonObject } from '../../src/core/types.js';
import { type AccessRule, authorizeByRules, type Fault, type FakeApiServerOptions, type ServedType, startFakeApiServer } from './fake-apiserver.js';
import { fixtureClusterObjects } from './fixture-cluster.js';
import { generateCluster } from './generate-cluster.js';
import { createTestPki } from './pki.js';

/** The configuration of the fake API server process (JSON). */
export interface FakeApiConfig {
  /** `fixture` (the small fixture cluster, the default), a count for the generator, or the objects. */
  readonly objects?: 'fixture' | number | readonly JsonObject[];
  /** HTTPS with the test PKI in this directory (made when missing); plain HTTP without. */
  readonly pki?: string;
  /** Ask for TLS client certificates signed by the PKI's CA (CN = user). */
  readonly clientCerts?: boolean;
  readonly tokens?: Readonly<Record<string, string>>;
  /** Access rules, first match wins, default allow. */
  readonly access?: readonly AccessRule[];
  readonly faults?: readonly Fault[];
  readonly version?: string;
  readonly maxPageSize?: number;
  readonly gzipThreshold?: number;
  readonly extraTypes?: readonly ServedType[];
  readonly costPerObjectUs?: number;
  /** Milliseconds between watch BOOKMARK events (default 1000). */
  readonly bookmarkIntervalMs?: number;
  /** Watch events kept for resuming (default 100,000). */
  readonly watchHistory?: number;
}

/** What the process prints on stdout when it is ready. */
export interface FakeApiReady {
  readonly url: string;
  readonly objects: number;
  /** The CA certificate file clients must trust (HTTPS only). */
  readonly caFile?: string;
}

const { values: flags } = parseArgs({
  options: {
    config: { type: 'string' },
    objects: { type: 'string' },
    pki: { type: 'string' },
    http: { type: 'boolean', default: false },
    token: { type: 'string', multiple: true, default: [] },
    fault: { type: 'string', multiple: true, default: [] },
    deny: { type: 'string', multiple: true, default: [] },
    'cost-us-per-object': { type: 'string' },
    'latency-ms': { type: 'string' },
    'max-page-size': { type: 'string' },
  },
});

function fail(message: string): never {
  process.stderr.write(`fake-apiserver: ${message}\n`);
  process.exit(2);
}

const base: FakeApiConfig = flags.config ? (JSON.parse(readFileSync(flags.config, 'utf8')) as FakeApiConfig) : {};
const tokens: Record<string, string> = { ...(base.tokens ?? {}) };
for (const t of flags.token) {
  const i = t.indexOf('=');
  if (i <= 0) fail(`--token ${t}: expected TOKEN=USER`);
  tokens[t.slice(0, i)] = t.slice(i + 1);
}
const faults: Fault[] = [...(base.faults ?? [])];
for (const f of flags.fault) {
  try {
    faults.push(JSON.parse(f) as Fault);
  } catch {
    fail(`--fault ${f}: not JSON`);
  }
}
const latency = Number(flags['latency-ms'] ?? 0);
if (latency > 0) faults.push({ type: 'delay', match: {}, ms: latency });
const access: AccessRule[] = [...(base.access ?? []), ...flags.deny.map((resource) => ({ allow: false, resource }))];

const objectsSpec = flags.objects !== undefined ? (flags.objects === 'fixture' ? 'fixture' : Number(flags.objects)) : (base.objects ?? 'fixture');
if (typeof objectsSpec === 'number' && !(objectsSpec > 0)) fail(`--objects ${flags.objects}: expected "fixture" or a positive count`);
const objects = objectsSpec === 'fixture' ? fixtureClusterObjects() : typeof objectsSpec === 'number' ? generateCluster(objectsSpec) : [...objectsSpec];

const pkiDir = flags.http ? undefined : (flags.pki ?? base.pki);
let tls: FakeApiServerOptions['tls'];
let caFile: string | undefined;
if (pkiDir !== undefined) {
  caFile = join(pkiDir, 'ca.crt');
  if (!existsSync(join(pkiDir, 'server.key'))) await createTestPki(pkiDir);
  tls = {
    key: readFileSync(join(pkiDir, 'server.key')),
    cert: readFileSync(join(pkiDir, 'server.crt')),
    ...(base.clientCerts ? { clientCa: readFileSync(caFile) } : {}),
  };
}

const costUs = flags['cost-us-per-object'] !== undefined ? Number(flags['cost-us-per-object']) : base.costPerObjectUs;
const maxPage = flags['max-page-size'] !== undefined ? Number(flags['max-page-size']) : base.maxPageSize;
const server = await startFakeApiServer({
  objects,
  ...(tls ? { tls } : {}),
  ...(Object.keys(tokens).length > 0 ? { tokens } : {}),
  ...(access.length > 0 ? { authorize: authorizeByRules(access) } : {}),
  ...(faults.length > 0 ? { faults } : {}),
  ...(base.version !== undefined ? { version: base.version } : {}),
  ...(maxPage !== undefined ? { maxPageSize: maxPage } : {}),
  ...(base.gzipThreshold !== undefined ? { gzipThreshold: base.gzipThreshold } : {}),
  ...(base.extraTypes ? { extraTypes: base.extraTypes } : {}),
  ...(costUs !== undefined ? { costPerObjectUs: costUs } : {}),
  ...(base.bookmarkIntervalMs !== undefined ? { bookmarkIntervalMs: base.bookmarkIntervalMs } : {}),
  ...(base.watchHistory !== undefined ? { watchHistory: base.watchHistory } : {}),
});

let cpu0 = process.cpuUsage();
let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
if (process.send) {
  // The parent going away (crash, Ctrl-C) ends the server too.
  process.on('disconnect', stop);
  process.on('message', (m: unknown) => {
    if (m === 'requests') process.send?.({ requests: server.requests });
    else if (m === 'cpu') {
      const c = process.cpuUsage(cpu0);
      process.send?.({ cpuMs: (c.user + c.system) / 1000 });
    } else if (m === 'reset') {
      cpu0 = process.cpuUsage();
      process.send?.({ reset: true });
    } else if (m === 'stop') void stop();
  });
}
const ready: FakeApiReady = { url: server.url, objects: objects.length, ...(caFile !== undefined ? { caFile } : {}) };
process.stdout.write(`${JSON.stringify(ready)}\n`);
