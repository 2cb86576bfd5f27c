/**
 * Store benchmark (issue 16): the store of `palisade serve` holding 1,000,000 findings recorded
 * over 30 scans of one cluster, on SQLite (a file) and on PostgreSQL (a throwaway server on
 * loopback, test/support/postgres.ts; skipped with a message when its binaries are absent).
 *
 * The scans are those of a watching server: every tenth is a full scan (the first opens most
 * findings), the others are incremental scans of the objects that changed, as `--full-every`
 * and the watch produce them. Churn is realistic: between scans some findings resolve, new
 * ones open, a few reopen and a few change severity, so that after the 30 scans the store holds
 * `--findings` distinct findings (about 85% open), three per object on average. Findings spread
 * over 200 namespaces, 60 checks, 6 kinds and the five severities (5% critical ... 10% info).
 *
 * Measured per backend: the time to record a full scan (median), the size on disk (SQLite: the
 * file after a checkpoint; PostgreSQL: pg_database_size), and the latency of the dashboard's
 * findings page query (`listFindings`, limit 50, the total included) as p50/p99 over `--queries`
 * runs of each shape: the first page, filtered first pages, and deep pages reached by cursor.
 * Target: p99 under 100 ms. Text search (`q`) reads every row of the cluster and is reported
 * apart, without a target.
 *
 * Runs against the built package (dist/): `npm run build` first. Writes bench-results/store.json.
 * Usage: node --expose-gc --import tsx bench/store.mjs [--findings 1000000] [--scans 30]
 *        [--queries 200] [--skip-sqlite] [--skip-postgres] [--strict] [--out file]
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openStore } from '../dist/store/index.js';
import { postgresMissing, startPostgres } from '../test/support/postgres.ts';
import { prng } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { values: opts } = parseArgs({
  options: {
    findings: { type: 'string', default: '1000000' },
    scans: { type: 'string', default: '30' },
    queries: { type: 'string', default: '200' },
    'skip-sqlite': { type: 'boolean', default: false },
    'skip-postgres': { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    out: { type: 'string', default: join(root, 'bench-results', 'store.json') },
  },
});
const TOTAL = Number(opts.findings);
const SCANS = Number(opts.scans);
const QUERIES = Number(opts.queries);
const TARGETS = { pageP99Ms: 100 };
const log = (msg) => process.stderr.write(`${msg}\n`);
const round = (x) => Math.round(x * 10) / 10;

/* ------------------------------------------------------------------------------ the data */

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
const SEV_SHARE = [0.05, 0.2, 0.35, 0.3, 0.1];
const KINDS = [
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'StatefulSet'],
  ['apps/v1', 'DaemonSet'],
  ['batch/v1', 'CronJob'],
  ['v1', 'Service'],
  ['rbac.authorization.k8s.io/v1', 'Role'],
];
const CHECKS = Array.from({ length: 60 }, (_, i) => {
  const id = `PAL-${String(i + 1).padStart(4, '0')}`;
  return {
    id,
    name: `risky-condition-${i + 1}`,
    title: `Risky condition number ${i + 1} is present`,
    category: ['pod-security', 'rbac', 'network', 'images'][i % 4],
  };
});
const FRAMEWORKS = ['cis-1.10:5.2.1', 'nsa-cisa:pod-security', 'pss:restricted'];

// Per finding identity (index 0..TOTAL-1), fixed attributes drawn once.
const rand = prng(20261203);
const sevOf = new Uint8Array(TOTAL);
const nsOf = new Uint16Array(TOTAL);
const kindOf = new Uint8Array(TOTAL);
const checkOf = new Uint8Array(TOTAL);
for (let i = 0; i < TOTAL; i++) {
  let r = rand();
  let s = 0;
  while (s < 4 && r >= (SEV_SHARE[s] ?? 1)) r -= SEV_SHARE[s++] ?? 0;
  sevOf[i] = s;
  checkOf[i] = Math.floor(rand() * CHECKS.length);
}
// Three findings per object: an object's namespace and kind are its findings'.
for (let i = 0; i < TOTAL; i += 3) {
  const ns = Math.floor(rand() * 200);
  const kind = Math.floor(rand() * KINDS.length);
  for (let j = i; j < Math.min(TOTAL, i + 3); j++) {
    nsOf[j] = ns;
    kindOf[j] = kind;
  }
}
const scopeKey = (i) => {
  const [apiVersion, kind] = KINDS[kindOf[i]];
  return `${apiVersion}/${kind}/team-${String(nsOf[i]).padStart(3, '0')}/app-${Math.floor(i / 3)}`;
};

function findingOf(i) {
  const check = CHECKS[checkOf[i]];
  const [apiVersion, kind] = KINDS[kindOf[i]];
  const namespace = `team-${String(nsOf[i]).padStart(3, '0')}`;
  const name = `app-${Math.floor(i / 3)}`;
  return {
    fingerprint: `f${i.toString(16).padStart(8, '0')}${((i * 2654435761) >>> 0).toString(16).padStart(8, '0')}`,
    check: check.id,
    checkName: check.name,
    title: check.title,
    severity: SEVERITIES[sevOf[i]],
    category: check.category,
    apiVersion,
    kind,
    namespace,
    name,
    container: kind === 'Service' || kind === 'Role' ? null : 'main',
    pointer: '/spec/template/spec/containers/0/securityContext',
    message: `${kind} ${namespace}/${name}: container main ${check.title.toLowerCase()}`,
    evidence: i % 4 === 0 ? { field: 'securityContext.privileged', value: true } : null,
    frameworks: FRAMEWORKS,
    fix: null,
    fixable: i % 3 === 0,
    rank: i % 100 === 0 ? (i % 5000) + 1 : null,
    groupId: null,
    exceptionId: null,
  };
}

/**
 * The scans: which identities each one reports. Scan 0 opens `initial`; every later scan opens
 * `fresh` new identities, resolves `gone` open ones, reopens `back` resolved ones.
 */
function plan() {
  const fresh = Math.round((TOTAL * 0.22) / Math.max(1, SCANS - 1));
  const initial = TOTAL - fresh * (SCANS - 1);
  const gone = Math.round(fresh * 0.75);
  const back = Math.round(fresh * 0.12);
  return { initial, fresh, gone, back };
}

/* ------------------------------------------------------------------------------- running */

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function runBackend(name, url, sizeOf) {
  log(`${name}: recording ${SCANS} full scans towards ${TOTAL.toLocaleString('en')} findings`);
  const store = await openStore(url);
  const { initial, fresh, gone, back } = plan();
  const open = new Uint8Array(TOTAL); // 1 open, 2 resolved
  let next = initial;
  for (let i = 0; i < initial; i++) open[i] = 1;
  const r = prng(7);
  const recordMs = [];
  const t0 = Date.parse('2026-11-01T00:00:00Z');
  const fullMs = [];
  const incMs = [];
  for (let s = 0; s < SCANS; s++) {
    const touched = new Set(); // objects (first finding index) that changed since the last scan
    const touch = (i) => touched.add(i - (i % 3));
    if (s > 0) {
      for (let k = 0; k < gone; k++) {
        const i = Math.floor(r() * next);
        if (open[i] === 1) {
          open[i] = 2;
          touch(i);
        }
      }
      for (let k = 0; k < back; k++) {
        const i = Math.floor(r() * next);
        if (open[i] === 2) {
          open[i] = 1;
          touch(i);
        }
      }
      for (let k = 0; k < fresh && next < TOTAL; k++) {
        touch(next);
        open[next++] = 1;
      }
      // A few severities move (a check's default changed, a config override).
      for (let k = 0; k < 200; k++) {
        const i = Math.floor(r() * next);
        sevOf[i] = (sevOf[i] + 1) % 5;
        touch(i);
      }
    }
    const full = s % 10 === 0;
    const findings = [];
    const scope = [];
    if (full) {
      for (let i = 0; i < next; i++) if (open[i] === 1) findings.push(findingOf(i));
    } else {
      // An incremental scan rescans the changed objects and reports all their open findings.
      for (const o of touched) {
        scope.push(scopeKey(o));
        for (let i = o; i < Math.min(next, o + 3); i++) if (open[i] === 1) findings.push(findingOf(i));
      }
    }
    const startedAt = new Date(t0 + s * 6 * 3_600_000).toISOString();
    const finishedAt = new Date(t0 + s * 6 * 3_600_000 + 60_000).toISOString();
    globalThis.gc?.();
    const t = performance.now();
    const rec = await store.recordScan({
      cluster: 'bench',
      kind: full ? 'full' : 'incremental',
      ...(full ? {} : { scope }),
      startedAt,
      finishedAt,
      findings,
      resources: 60000,
      checksRun: 60,
      coverage: [],
    });
    const ms = performance.now() - t;
    recordMs.push(ms);
    (full ? fullMs : incMs).push(ms);
    log(
      `  scan ${s + 1}/${SCANS} (${full ? 'full' : 'incremental'}): ${findings.length} findings reported, +${rec.counts.opened} -${rec.counts.resolved}, ${round(ms)} ms`,
    );
  }
  const size = await sizeOf();
  const stored = (await store.listFindings({ status: 'all', limit: 1 })).total;
  const openTotal = (await store.listFindings({ limit: 1 })).total;

  // Cursors deep into the list, reached by paging as the dashboard does.
  const deepCursor = async (filter, pages) => {
    let cursor;
    for (let p = 0; p < pages; p++) {
      const page = await store.listFindings({ ...filter, limit: 500, ...(cursor ? { cursor } : {}) });
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    return cursor;
  };
  const shapes = [
    { label: 'first page (severity)', filter: { cluster: 'bench' } },
    { label: 'first page, severity critical+high', filter: { cluster: 'bench', severity: ['critical', 'high'] } },
    { label: 'first page, namespace', filter: { cluster: 'bench', namespace: 'team-042' } },
    { label: 'first page, check, by last seen', filter: { cluster: 'bench', check: 'PAL-0017', sort: 'lastSeen' } },
    { label: 'first page, resolved, by first seen', filter: { cluster: 'bench', status: 'resolved', sort: 'firstSeen' } },
    { label: 'first page, all statuses, by resource', filter: { cluster: 'bench', status: 'all', sort: 'resource' } },
  ];
  const deep1 = { cluster: 'bench' };
  const deep2 = { cluster: 'bench', severity: ['medium', 'low'], sort: 'lastSeen' };
  shapes.push({ label: 'page 1,001 by cursor (severity)', filter: { ...deep1, cursor: await deepCursor(deep1, 100) } });
  shapes.push({ label: 'page 501 by cursor, medium+low, by last seen', filter: { ...deep2, cursor: await deepCursor(deep2, 50) } });
  const rows = [];
  const all = [];
  for (const shape of shapes) {
    const times = [];
    for (let q = 0; q < QUERIES; q++) {
      const t = performance.now();
      const page = await store.listFindings({ ...shape.filter, limit: 50 });
      times.push(performance.now() - t);
      if (page.items.length === 0) throw new Error(`${shape.label}: empty page`);
    }
    times.sort((a, b) => a - b);
    all.push(...times);
    rows.push({ label: shape.label, p50: round(percentile(times, 50)), p99: round(percentile(times, 99)) });
  }
  all.sort((a, b) => a - b);
  const search = [];
  for (let q = 0; q < 5; q++) {
    const t = performance.now();
    await store.listFindings({ cluster: 'bench', q: 'app-4242', limit: 50 });
    search.push(performance.now() - t);
  }
  search.sort((a, b) => a - b);
  await store.close();
  incMs.sort((a, b) => a - b);
  return {
    backend: name,
    stored,
    open: openTotal,
    fullScanMs: fullMs.map(round),
    incrementalMedianMs: round(percentile(incMs, 50) ?? 0),
    sizeMb: round(size / 2 ** 20),
    bytesPerFinding: Math.round(size / stored),
    queries: rows,
    pageP50Ms: round(percentile(all, 50)),
    pageP99Ms: round(percentile(all, 99)),
    searchMedianMs: round(percentile(search, 50)),
  };
}

const results = [];
const dir = mkdtempSync(join(tmpdir(), 'palisade-bench-store-'));
try {
  if (!opts['skip-sqlite']) {
    const file = join(dir, 'palisade.db');
    results.push(
      await runBackend('sqlite', `sqlite:${file}`, async () => {
        let size = statSync(file).size;
        try {
          size += statSync(`${file}-wal`).size;
        } catch {
          // checkpointed away
        }
        return size;
      }),
    );
  }
  if (!opts['skip-postgres']) {
    const missing = postgresMissing();
    if (missing !== undefined) log(`skip: ${missing}`);
    else {
      const server = await startPostgres();
      try {
        const url = await server.createDatabase('palisade_bench');
        results.push(
          await runBackend('postgres', url, async () => {
            const c = new pg.Client({ connectionString: url });
            await c.connect();
            try {
              return Number((await c.query('SELECT pg_database_size(current_database()) AS n')).rows[0].n);
            } finally {
              await c.end();
            }
          }),
        );
      } finally {
        await server.stop();
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const table = [];
for (const r of results) {
  table.push([
    `${r.backend}: ${r.stored.toLocaleString('en')} findings (${r.open.toLocaleString('en')} open), ${SCANS} scans`,
    `${r.sizeMb} MB`,
    `${r.bytesPerFinding} bytes per finding on disk; full scans recorded in ${r.fullScanMs.join(', ')} ms, incremental in ${r.incrementalMedianMs} ms (median)`,
  ]);
  for (const q of r.queries) table.push([`  ${q.label}`, `p50 ${q.p50} ms`, `p99 ${q.p99} ms`]);
  table.push([
    `  findings page, all shapes`,
    `p50 ${r.pageP50Ms} ms`,
    `p99 ${r.pageP99Ms} ms; target < ${TARGETS.pageP99Ms} ms: ${r.pageP99Ms < TARGETS.pageP99Ms ? 'met' : 'MISSED'}`,
  ]);
  table.push(['  text search q (reads the cluster, no target)', `median ${r.searchMedianMs} ms`, '']);
}
const widths = [0, 1].map((i) => Math.max(...table.map((row) => row[i].length)));
process.stdout.write(`${table.map((row) => `${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2]}`.trimEnd()).join('\n')}\n`);
const result = {
  date: new Date().toISOString(),
  node: process.version,
  findings: TOTAL,
  scans: SCANS,
  queriesPerShape: QUERIES,
  loadAverage: loadavg().map(round),
  results,
  targets: TARGETS,
  met: Object.fromEntries(results.map((r) => [r.backend, r.pageP99Ms < TARGETS.pageP99Ms])),
};
mkdirSync(dirname(opts.out), { recursive: true });
writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
log(`wrote ${opts.out}`);
if (opts.strict && Object.values(result.met).some((m) => !m)) process.exitCode = 1;
