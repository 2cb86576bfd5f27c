/**
 * Continuous-scanning benchmark: the cluster monitor (dist/server/monitor) lists and watches
 * a generated cluster of --objects objects (default 20,000) on the fake API server (its own
 * child process, test/support/fake-apiserver-main.ts through tsx, plain HTTP), then --changes
 * changes (default 1,000) are injected through the server's admin API at --rate per second:
 * each creates a privileged Pod in one of the cluster's namespaces. For each change, the
 * latency is the time from just before the change is sent to the server to the moment
 * `onScan` delivers a scan holding the Pod's `pss-privileged` finding: watch delivery,
 * queueing, the incremental scan and the snapshot included.
 *
 * Targets (issue 16): p99 latency under 1 s; peak RSS of this process (the monitor's) under
 * 500 MB. Writes bench-results/watch.json. Runs against dist/ (npm run build first).
 *
 * Usage: node --expose-gc bench/watch.mjs [--objects 20000] [--changes 1000] [--rate 50] [--strict] [--out file]
 */
import http from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startFakeApiServer, writeKubeconfig } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

const { values: opts } = parseArgs({
  options: {
    objects: { type: 'string', default: '20000' },
    changes: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '50' },
    strict: { type: 'boolean', default: false },
    out: { type: 'string', default: join(root, 'bench-results', 'watch.json') },
  },
});

const MAX_P99_MS = 1000;
const MAX_RSS_MB = 500;

const log = (msg) => process.stderr.write(`${msg}\n`);

function post(base, path, body) {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolvePost, reject) => {
    const req = http.request(
      new URL(path, base),
      { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': payload.length } },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolvePost() : reject(new Error(`${path}: HTTP ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function pod(i, namespace) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `watch-bench-${i}`, namespace },
    spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1.0', securityContext: { privileged: true } }] },
  };
}

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

async function main() {
  const total = Number(opts.objects);
  const changes = Number(opts.changes);
  const rate = Number(opts.rate);
  const { monitorCluster } = await import('../dist/server/monitor/index.js');
  await import('@kubernetes/client-node');

  const { child, ready } = await startFakeApiServer(['--objects', String(total), '--http']);
  const dir = mkdtempSync(join(tmpdir(), 'palisade-bench-watch-'));
  const kubeconfig = writeKubeconfig(join(dir, 'kubeconfig'), ready);

  const sentAt = new Map();
  const latencies = [];
  let incremental = 0;
  let scannedObjects = 0;
  let peakRss = 0;
  let allSeen;
  const allDone = new Promise((r) => {
    allSeen = r;
  });
  const sample = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 50);
  const monitor = monitorCluster({
    kubeconfig,
    clusterName: 'bench',
    onScan: async (scan) => {
      const now = performance.now();
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      if (scan.kind !== 'incremental') return;
      incremental++;
      scannedObjects += scan.resources;
      for (const f of scan.findings) {
        if (f.check !== 'PAL-0003' || !f.name.startsWith('watch-bench-')) continue;
        const t0 = sentAt.get(f.name);
        if (t0 === undefined) continue;
        sentAt.delete(f.name);
        latencies.push(now - t0);
      }
      if (latencies.length === changes) allSeen();
    },
  });
  log(`listing and scanning ${total.toLocaleString('en-US')} objects from ${ready.url}`);
  let t = performance.now();
  await monitor.start();
  const startMs = performance.now() - t;
  const namespaces = [...new Set(Array.from({ length: 50 }, (_, i) => `team-${i}`))];
  log(`ready in ${Math.round(startMs)} ms; injecting ${changes} changes at ${rate}/s`);
  t = performance.now();
  for (let i = 0; i < changes; i++) {
    const due = t + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const name = `watch-bench-${i}`;
    sentAt.set(name, performance.now());
    await post(ready.url, '/fake/apply', { objects: [pod(i, namespaces[i % namespaces.length])] });
  }
  const timeout = setTimeout(() => allSeen(), 60_000);
  await allDone;
  clearTimeout(timeout);
  clearInterval(sample);
  const status = monitor.status();
  await monitor.stop();
  child.kill();

  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  const max = Math.max(...latencies);
  const rssMb = peakRss / 1024 / 1024;
  const result = {
    machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 1e9), loadavg: loadavg() },
    node: process.version,
    objects: total,
    changes,
    ratePerSecond: rate,
    delivered: latencies.length,
    startMs: Math.round(startMs),
    latencyMs: { p50: Math.round(p50), p99: Math.round(p99), max: Math.round(max) },
    incrementalScans: incremental,
    meanScopePerScan: Math.round(scannedObjects / Math.max(1, incremental)),
    peakRssMb: Math.round(rssMb),
    watchErrors: status.errors.length,
    targets: { p99Ms: MAX_P99_MS, rssMb: MAX_RSS_MB },
  };
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
  const rows = [
    ['objects watched', total.toLocaleString('en-US'), ''],
    ['start: list + first full scan', `${Math.round(startMs)} ms`, ''],
    ['changes injected / delivered', `${changes} / ${latencies.length}`, latencies.length === changes ? 'ok' : 'LOST'],
    ['latency p50', `${Math.round(p50)} ms`, ''],
    ['latency p99', `${Math.round(p99)} ms`, p99 < MAX_P99_MS ? `ok (< ${MAX_P99_MS} ms)` : `over target ${MAX_P99_MS} ms`],
    ['latency max', `${Math.round(max)} ms`, ''],
    ['incremental scans', String(incremental), `mean scope ${result.meanScopePerScan} objects`],
    ['peak RSS', `${Math.round(rssMb)} MB`, rssMb < MAX_RSS_MB ? `ok (< ${MAX_RSS_MB} MB)` : `over target ${MAX_RSS_MB} MB`],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  process.stdout.write(`\nwatch benchmark (${total.toLocaleString('en-US')} objects, ${changes} changes at ${rate}/s)\n`);
  for (const r of rows) process.stdout.write(`  ${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${r[2]}\n`);
  const failed = latencies.length !== changes || p99 >= MAX_P99_MS || rssMb >= MAX_RSS_MB;
  if (failed && opts.strict) process.exitCode = 1;
}

await main();
