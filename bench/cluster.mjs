/**
 * Cluster-scan benchmark: Palisade lists a generated cluster of --objects objects (default
 * 20,000) from the fake API server (test/support/fake-apiserver-main.ts, run with
 * `node --import tsx`) over HTTPS with token auth, then scans it. The server runs in a child
 * process, so that this process's CPU time (process.cpuUsage) is Palisade's own.
 *
 * Listing is measured against each server model of --server-us-per-object (default 0,100):
 * 0 is the in-memory fake server, which answers faster than any JSON client can parse (the
 * run is bound by Palisade, by construction); N > 0 emulates the serving cost of a real API
 * server (N µs per object: reading etcd or the watch cache, converting, encoding, gzip), the
 * case the target "listing is bounded by the server: Palisade's CPU under 30% of wall time" is
 * about. Also reports objects/s of scanning, snapshot write/read times and peak RSS (target
 * under 600 MB); writes bench-results/cluster.json. Runs against dist/ (npm run build first).
 *
 * Each listing run is followed, on the same server, by a reference client (bareListing: plain
 * node:https, gunzip, JSON.parse, items kept) replaying the same requests, so that Palisade's
 * CPU can be read against the floor of any JavaScript client in the same conditions.
 *
 * Usage: node --expose-gc bench/cluster.mjs [--objects 20000] [--runs 3] [--page-size 500]
 *          [--concurrency 8] [--server-us-per-object 0,100] [--latency-ms 0] [--http]
 *          [--strict] [--out file]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { startFakeApiServer, writeKubeconfig } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

const { values: opts } = parseArgs({
  options: {
    objects: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '3' },
    'page-size': { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '8' },
    'latency-ms': { type: 'string', default: '0' },
    'server-us-per-object': { type: 'string', default: '0,100' },
    http: { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    out: { type: 'string', default: join(root, 'bench-results', 'cluster.json') },
  },
});

/** Targets from the issue: Palisade's CPU under 30% of the listing wall time; peak RSS under 600 MB. */
const MAX_CPU_SHARE = 0.3;
const MAX_RSS_MB = 600;

const gunzipAsync = promisify(gunzip);

await main();

/**
 * The reference client: what any JavaScript client must do to list the same pages, and no
 * more. node:http(s) with the agent settings of Palisade's client (keep-alive, `concurrency`
 * sockets, the test CA), the bearer token, gzip inflated in large chunks, one UTF-8 decode and
 * JSON.parse per page, the items kept (they are what a scanner keeps). It replays the requests
 * Palisade made: the discovery GETs, then each list paged by its continue token, Namespaces
 * first, then `concurrency` types at a time, as src/sources/cluster/index.ts does. No retries,
 * no normalisation, no inventory: its CPU share is the floor of a JavaScript client here.
 */
async function bareListing({ url, caFile, token, concurrency, requestLog }) {
  const base = new URL(url);
  const mod = base.protocol === 'http:' ? http : https;
  const agent =
    base.protocol === 'http:'
      ? new http.Agent({ keepAlive: true, maxSockets: concurrency })
      : new https.Agent({ keepAlive: true, maxSockets: concurrency, ...(caFile ? { ca: readFileSync(caFile) } : { rejectUnauthorized: false }) });
  const get = (path) =>
    new Promise((resolveGet, reject) => {
      const req = mod.request(
        {
          hostname: base.hostname,
          port: base.port,
          path,
          agent,
          headers: { Accept: 'application/json', 'Accept-Encoding': 'gzip', Authorization: `Bearer ${token}` },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('error', reject);
          res.on('end', async () => {
            try {
              const body = Buffer.concat(chunks);
              const raw =
                res.headers['content-encoding'] === 'gzip'
                  ? await gunzipAsync(body, { chunkSize: Math.min(8 * 2 ** 20, Math.max(2 ** 16, body.length * 16)) })
                  : body;
              resolveGet(JSON.parse(raw.toString('utf8')));
            } catch (err) {
              reject(err);
            }
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
  const discoveryPaths = [];
  const lists = [];
  for (const r of requestLog) {
    const u = new URL(r.path, 'http://x');
    if (!u.searchParams.has('limit')) discoveryPaths.push(r.path);
    else if (!u.searchParams.has('continue')) lists.push(u);
  }
  const items = [];
  let inFlight = 0;
  const waiting = [];
  const limited = async (fn) => {
    if (inFlight >= concurrency) await new Promise((r) => waiting.push(r));
    inFlight++;
    try {
      return await fn();
    } finally {
      inFlight--;
      waiting.shift()?.();
    }
  };
  const listAll = async (u) => {
    for (let cont; ; ) {
      if (cont) u.searchParams.set('continue', cont);
      const page = await limited(() => get(`${u.pathname}${u.search}`));
      for (const item of page.items ?? []) items.push(item);
      cont = page.metadata?.continue;
      if (!cont) return;
    }
  };
  await Promise.all(discoveryPaths.map((p) => limited(() => get(p))));
  const nsIndex = lists.findIndex((u) => u.pathname === '/api/v1/namespaces');
  if (nsIndex >= 0) await listAll(lists.splice(nsIndex, 1)[0]);
  let next = 0;
  const worker = async () => {
    while (next < lists.length) await listAll(lists[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, lists.length) }, worker));
  agent.destroy();
  return items;
}

function hasOpenssl() {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function main() {
  const log = (msg) => process.stderr.write(`${msg}\n`);
  const gc = () => globalThis.gc?.();
  if (!globalThis.gc) log('note: run with node --expose-gc for steadier figures');
  const { loadClusters } = await import('../dist/sources/cluster/index.js');
  const { scanLoaded } = await import('../dist/scan.js');
  const { writeSnapshot, readSnapshot } = await import('../dist/sources/snapshot.js');
  // client-node is loaded lazily by the first cluster read; load it before timing (a one-off startup cost).
  await import('@kubernetes/client-node');

  const total = Number(opts.objects);
  const runs = Math.max(1, Number(opts.runs));
  const models = opts['server-us-per-object'].split(',').map((x) => Number(x.trim()));
  const dir = mkdtempSync(join(tmpdir(), 'palisade-bench-cluster-'));
  const useTls = !opts.http && hasOpenssl();
  if (!useTls) log(opts.http ? 'note: plain HTTP (--http)' : 'note: openssl not found, plain HTTP');
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  /** Lists the generated cluster `runs` times from a server child with this cost model. */
  async function measureListing(usPerObject) {
    // The server child makes the test PKI in `dir` on first use (openssl), and prints its URL when ready.
    const { child, ready, stop } = await startFakeApiServer([
      '--objects',
      String(total),
      '--latency-ms',
      opts['latency-ms'],
      '--cost-us-per-object',
      String(usPerObject),
      '--token',
      'bench-token=bench',
      ...(useTls ? ['--pki', dir] : ['--http']),
    ]);
    const next = () => new Promise((r) => child.once('message', r));
    const ask = async (m) => {
      const reply = next();
      child.send(m);
      return reply;
    };
    const kubeconfig = writeKubeconfig(join(dir, `kubeconfig-${usPerObject}`), ready, 'bench-token');

    const loadOptions = { kubeconfig, pageSize: Number(opts['page-size']), concurrency: Number(opts.concurrency) };
    log(`server model ${usPerObject} µs/object: warm-up, listing ${total.toLocaleString('en-US')} objects from ${ready.url}`);
    await loadClusters(loadOptions);
    // The warm-up's requests are what the reference client replays.
    const { requests: requestLog } = await ask('requests');
    const bareOptions = { url: ready.url, caFile: ready.caFile, token: 'bench-token', concurrency: Number(opts.concurrency), requestLog };
    if ((await bareListing(bareOptions)).length !== total) throw new Error('the reference client did not list every object');
    const runsOut = [];
    let clusters;
    /** CPU and wall time of one listing, and the server's CPU meanwhile. */
    const timed = async (fn) => {
      gc();
      await ask('reset');
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const value = await fn();
      const wallMs = performance.now() - t0;
      const c = process.cpuUsage(cpu0);
      const server = await ask('cpu');
      return { value, wallMs, cpuMs: (c.user + c.system) / 1000, serverCpuMs: server.cpuMs };
    };
    for (let i = 0; i < runs; i++) {
      // The reference first, with nothing else alive, as Palisade then runs (a retained
      // inventory would add to the other's collector work).
      clusters = undefined;
      let bare = await timed(() => bareListing(bareOptions));
      const bareObjects = bare.value.length;
      bare = { ...bare, value: undefined };
      if (bareObjects !== total) throw new Error(`the reference client listed ${bareObjects} objects, expected ${total}`);
      const p = await timed(() => loadClusters(loadOptions));
      clusters = p.value;
      runsOut.push({ wallMs: p.wallMs, cpuMs: p.cpuMs, serverCpuMs: p.serverCpuMs, requests: clusters[0].requests, bare });
      log(
        `  run ${i + 1}: ${Math.round(p.wallMs)} ms wall, Palisade CPU ${Math.round(p.cpuMs)} ms, server CPU ${Math.round(p.serverCpuMs)} ms;` +
          ` reference client ${Math.round(bare.wallMs)} ms wall, CPU ${Math.round(bare.cpuMs)} ms`,
      );
    }
    child.send('stop');
    child.disconnect();
    stop();
    if (clusters[0].inventory.size !== total) throw new Error(`listed ${clusters[0].inventory.size} objects, expected ${total}`);
    if (!clusters[0].coverage.every((t) => t.status === 'ok')) throw new Error('coverage is not complete');
    const wallMs = median(runsOut.map((r) => r.wallMs));
    const share = median(runsOut.map((r) => r.cpuMs / r.wallMs));
    return {
      result: {
        serverUsPerObject: usPerObject,
        requests: runsOut[0].requests,
        wallMs: Math.round(wallMs),
        objectsPerSecond: Math.round(total / (wallMs / 1000)),
        palisadeCpuMs: Math.round(median(runsOut.map((r) => r.cpuMs))),
        palisadeCpuShare: Math.round(share * 1000) / 1000,
        serverCpuShare: Math.round(median(runsOut.map((r) => r.serverCpuMs / r.wallMs)) * 1000) / 1000,
        pass: share < MAX_CPU_SHARE,
        reference: {
          client: `node:${useTls ? 'https' : 'http'}, same agent settings and pages, gunzip, JSON.parse, items kept (bench/cluster.mjs bareListing)`,
          wallMs: Math.round(median(runsOut.map((r) => r.bare.wallMs))),
          cpuMs: Math.round(median(runsOut.map((r) => r.bare.cpuMs))),
          cpuShare: Math.round(median(runsOut.map((r) => r.bare.cpuMs / r.bare.wallMs)) * 1000) / 1000,
          serverCpuShare: Math.round(median(runsOut.map((r) => r.bare.serverCpuMs / r.bare.wallMs)) * 1000) / 1000,
        },
        palisadeToReferenceCpu: Math.round(median(runsOut.map((r) => r.cpuMs / r.bare.cpuMs)) * 100) / 100,
      },
      clusters,
    };
  }

  const listing = [];
  let clusters;
  for (const m of models) {
    // Only one inventory alive at a time: a retained one would inflate the next model's GC work.
    clusters = undefined;
    gc();
    const measured = await measureListing(m);
    listing.push(measured.result);
    clusters = measured.clusters;
    gc();
  }

  const scanning = [];
  let report;
  for (let i = 0; i < runs; i++) {
    gc();
    const t0 = performance.now();
    report = scanLoaded([
      { inventory: clusters[0].inventory, sources: ['cluster:bench'], diagnostics: [], coverage: clusters[0].coverage, cluster: { name: 'bench' } },
    ]);
    scanning.push(performance.now() - t0);
  }

  const snapFile = join(dir, 'bench.snapshot.json.gz');
  let t0 = performance.now();
  const { bytes } = await writeSnapshot(snapFile, clusters);
  const snapshotWriteMs = performance.now() - t0;
  t0 = performance.now();
  const snap = await readSnapshot(snapFile);
  const snapshotReadMs = performance.now() - t0;
  if (snap.clusters[0].inventory.size !== total) throw new Error('snapshot lost objects');
  rmSync(dir, { recursive: true, force: true });

  const scanMs = median(scanning);
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? '',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    loadAverage: loadavg()[0],
    objects: total,
    runs,
    transport: useTls ? 'https (test CA), bearer token' : 'http',
    pageSize: Number(opts['page-size']),
    concurrency: Number(opts.concurrency),
    serverLatencyMs: Number(opts['latency-ms']),
    listing,
    scanning: {
      wallMs: Math.round(scanMs),
      objectsPerSecond: Math.round(total / (scanMs / 1000)),
      findings: report.findings.length,
      checks: report.summary.checksRun,
    },
    snapshot: { bytes, writeMs: Math.round(snapshotWriteMs), readMs: Math.round(snapshotReadMs) },
    peakRssMb: Math.round(rssMb),
    targets: {
      maxPalisadeCpuShare: MAX_CPU_SHARE,
      maxPeakRssMb: MAX_RSS_MB,
      note: 'the CPU-share target applies to servers at least as slow as a real API server (emulated cost > 0); the in-memory fake server answers faster than any JSON client parses',
    },
    pass: { cpuShare: listing.filter((l) => l.serverUsPerObject > 0).every((l) => l.pass), rss: rssMb < MAX_RSS_MB },
  };
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);

  const pct = (x) => `${(x * 100).toFixed(1)}%`;
  const rows = [
    ['objects', total.toLocaleString('en-US'), `${result.transport}, page ${result.pageSize}, concurrency ${result.concurrency}`],
    ...listing.map((l) => [
      `listing, server ${l.serverUsPerObject > 0 ? `${l.serverUsPerObject} µs/object` : 'in-memory'}`,
      `${l.objectsPerSecond.toLocaleString('en-US')} objects/s`,
      `${l.wallMs} ms; Palisade CPU ${pct(l.palisadeCpuShare)} of wall (server ${pct(l.serverCpuShare)})` +
        (l.serverUsPerObject > 0 ? `; target < ${MAX_CPU_SHARE * 100}%: ${l.pass ? 'ok' : 'MISSED'}` : '; client-bound by design'),
    ]),
    ...listing.map((l) => [
      `  reference client, ${l.serverUsPerObject > 0 ? `${l.serverUsPerObject} µs/object` : 'in-memory'}`,
      `${Math.round(total / (l.reference.wallMs / 1000)).toLocaleString('en-US')} objects/s`,
      `${l.reference.wallMs} ms; CPU ${pct(l.reference.cpuShare)} of wall (server ${pct(l.reference.serverCpuShare)});` +
        ` Palisade CPU ${l.palisadeCpuMs} ms = ${l.palisadeToReferenceCpu.toFixed(2)}x its ${l.reference.cpuMs} ms`,
    ]),
    [
      'scanning',
      `${result.scanning.objectsPerSecond.toLocaleString('en-US')} objects/s`,
      `${result.scanning.wallMs} ms, ${result.scanning.checks} checks, ${result.scanning.findings} findings`,
    ],
    ['snapshot (gzip)', `${(bytes / 2 ** 20).toFixed(1)} MiB`, `write ${result.snapshot.writeMs} ms, read ${result.snapshot.readMs} ms`],
    ['peak RSS', `${result.peakRssMb} MB`, `target < ${MAX_RSS_MB} MB: ${result.pass.rss ? 'ok' : 'MISSED'}`],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  process.stdout.write(`\nPalisade cluster benchmark (${result.node}, ${result.cpus} CPUs, load ${result.loadAverage.toFixed(1)}, median of ${runs} runs)\n\n`);
  for (const r of rows) process.stdout.write(`  ${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${r[2]}\n`);
  process.stdout.write(`\nwritten to ${opts.out}\n`);
  if (opts.strict && !(result.pass.cpuShare && result.pass.rss)) process.exitCode = 1;
}
