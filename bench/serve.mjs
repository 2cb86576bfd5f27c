/**
 * Server benchmark: `palisade serve --cluster` (the built CLI, its own process) watches a
 * generated cluster of --objects objects (default 20,000) served by the fake API server
 * (test/support/fake-apiserver-main.ts, a child process), stores the first full scan in a
 * SQLite store, then answers the dashboard's heaviest calls: findings pages, the summary,
 * metrics, and the views computed from the stored snapshot (inventory, RBAC who-can, network
 * matrix, attack paths). Reports the time to ready, each call's latency and the server's
 * resident memory (VmRSS now, VmHWM peak, from /proc). Target (issue 16): peak RSS under
 * 500 MB at 20,000 objects. Writes bench-results/serve.json. Runs against dist/.
 *
 * Usage: node bench/serve.mjs [--objects 20000] [--strict] [--out file]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startFakeApiServer, writeKubeconfig } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const CLI = join(root, 'dist', 'cli', 'main.js');
const MAX_RSS_MB = 500;

const { values: opts } = parseArgs({
  options: {
    objects: { type: 'string', default: '20000' },
    strict: { type: 'boolean', default: false },
    out: { type: 'string', default: join(root, 'bench-results', 'serve.json') },
  },
});

const log = (line) => process.stderr.write(`${line}\n`);
const mb = (kb) => Math.round(kb / 1024);

function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: mb(kb('VmRSS')), peakMb: mb(kb('VmHWM')) };
}

const dir = mkdtempSync(join(tmpdir(), 'palisade-bench-serve-'));
const children = [];
try {
  const total = Number(opts.objects);
  const { child: api, ready } = await startFakeApiServer(['--objects', String(total), '--http']);
  children.push(api);
  const kubeconfig = writeKubeconfig(join(dir, 'kubeconfig'), ready);
  const store = `sqlite:${join(dir, 'palisade.db')}`;
  const token = execFileSync(process.execPath, [CLI, 'serve', 'token', 'create', '--name', 'bench', '--role', 'viewer', '--store', store], {
    encoding: 'utf8',
  }).trim();
  const started = performance.now();
  const server = spawn(
    process.execPath,
    [CLI, 'serve', '--cluster', '--kubeconfig', kubeconfig, '--listen', '127.0.0.1:0', '--store', store, '--rate-limit', '0'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(server);
  const url = await new Promise((res, rej) => {
    server.once('exit', (c) => rej(new Error(`palisade serve exited ${c}`)));
    createInterface({ input: server.stdout }).on('line', (l) => {
      try {
        const e = JSON.parse(l);
        if (e.event === 'listening') res(e.url);
      } catch {}
    });
  });
  log(`palisade serve at ${url}, watching ${total.toLocaleString('en-US')} objects at ${ready.url}`);
  for (;;) {
    if ((await fetch(`${url}/readyz`)).status === 200) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const readyMs = Math.round(performance.now() - started);
  const afterScan = memoryOf(server.pid);
  log(`ready after ${readyMs} ms (first full scan stored); RSS ${afterScan.rssMb} MB, peak ${afterScan.peakMb} MB`);
  const calls = [
    '/api/v1/summary',
    '/api/v1/findings?limit=50',
    '/api/v1/findings?severity=critical,high&limit=50&sort=lastSeen',
    '/api/v1/trends?by=severity',
    '/metrics',
    '/api/v1/clusters/bench/inventory',
    '/api/v1/clusters/bench/rbac/who-can?verb=get&resource=secrets',
    '/api/v1/clusters/bench/network/matrix',
    '/api/v1/clusters/bench/paths',
    '/api/v1/clusters/bench/inventory',
  ];
  const timings = [];
  for (const path of calls) {
    const t = performance.now();
    const res = await fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    const body = await res.arrayBuffer();
    const ms = Math.round(performance.now() - t);
    if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}: ${Buffer.from(body).toString().slice(0, 200)}`);
    timings.push({ path, ms, bytes: body.byteLength });
    log(`${path}: ${ms} ms, ${body.byteLength.toLocaleString('en-US')} bytes`);
  }
  const end = memoryOf(server.pid);
  const result = {
    objects: total,
    readyMs,
    rssAfterFirstScanMb: afterScan.rssMb,
    rssMb: end.rssMb,
    peakRssMb: end.peakMb,
    calls: timings,
    target: { peakRssMb: MAX_RSS_MB },
    node: process.version,
  };
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\n| objects | ready (first full scan stored) | RSS after scan MB | RSS after views MB | peak RSS MB (target < ${MAX_RSS_MB}) |`);
  console.log('|--:|--:|--:|--:|--:|');
  console.log(`| ${total.toLocaleString('en-US')} | ${(readyMs / 1000).toFixed(1)} s | ${afterScan.rssMb} | ${end.rssMb} | ${end.peakMb} |`);
  console.log('\n| call | ms | bytes |\n|:--|--:|--:|');
  for (const t of timings) console.log(`| \`${t.path}\` | ${t.ms} | ${t.bytes.toLocaleString('en-US')} |`);
  if (end.peakMb > MAX_RSS_MB) {
    log(`peak RSS ${end.peakMb} MB is over the ${MAX_RSS_MB} MB target`);
    if (opts.strict) process.exitCode = 1;
  }
} finally {
  for (const c of children.reverse()) if (c.exitCode === null) c.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
