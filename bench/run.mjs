/**
 * Palisade benchmark: full-scan speed against a js-yaml parsing reference, and peak memory.
 *
 * Runs against the built package (dist/); `npm run bench` builds first and starts this with
 * `node --expose-gc` so that runs start from a collected heap. See docs/benchmarks.md.
 *
 * Usage: node --expose-gc bench/run.mjs [--objects 100000] [--per-file 1000] [--runs 3]
 *          [--skip-real-world] [--skip-synthetic] [--no-rss] [--strict] [--out file]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import yaml from 'js-yaml';
import { reporters, scan, VERSION } from '../dist/index.js';
import { ensureSynthetic, GENERATOR_VERSION } from './generate.mjs';
import { listManifests, readTexts } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

const { values: opts } = parseArgs({
  options: {
    objects: { type: 'string', default: '100000' },
    'per-file': { type: 'string', default: '1000' },
    runs: { type: 'string', default: '3' },
    'skip-real-world': { type: 'boolean', default: false },
    'skip-synthetic': { type: 'boolean', default: false },
    'no-rss': { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    out: { type: 'string', default: join(root, 'bench-results', 'latest.json') },
  },
});

/** Targets: the full scan costs at most twice the parse, 100k objects fit in 1 GiB. */
const MAX_RATIO = 2.0;
const MAX_RSS_MB_100K = 1024;
/** A timed scan slower than this is not repeated (the 100k set on slow machines). */
const SLOW_RUN_MS = 20_000;

const runs = Math.max(1, Number(opts.runs));
const log = (msg) => process.stderr.write(`${msg}\n`);
const gc = () => globalThis.gc?.();
if (!globalThis.gc) log('note: run with node --expose-gc for steadier figures (npm run bench does)');

/** Times `fn` `times` times after `warmup` untimed calls; returns the best wall time in ms and that run's result. */
async function best(fn, { warmup, times, slowMs = Number.POSITIVE_INFINITY }) {
  for (let i = 0; i < warmup; i++) {
    gc();
    await fn();
  }
  let bestMs = Number.POSITIVE_INFINITY;
  let result;
  const all = [];
  for (let i = 0; i < times; i++) {
    gc();
    const t0 = performance.now();
    const r = await fn();
    const ms = performance.now() - t0;
    all.push(ms);
    if (ms < bestMs) {
      bestMs = ms;
      result = r;
    }
    if (ms > slowMs) break;
  }
  return { ms: bestMs, all, result };
}

/** The reference: js-yaml's loadAll over every file, strings already in memory. */
function parseReference(texts) {
  let docs = 0;
  let failed = 0;
  const kept = [];
  for (const t of texts) {
    try {
      const d = yaml.loadAll(t);
      docs += d.length;
      kept.push(d);
    } catch {
      failed++;
    }
  }
  return { docs, failed, kept: kept.length };
}

/**
 * The measured operation: scan with every built-in check, JSON report rendered (in chunks, as the CLI writes it).
 * The first `check` progress call marks the end of loading, so the phases cost no extra run.
 */
async function fullScan(path) {
  const t0 = performance.now();
  let checksStart;
  const report = await scan([path], {
    onProgress: (phase) => {
      if (phase === 'check' && checksStart === undefined) checksStart = performance.now();
    },
  });
  const t1 = performance.now();
  // The CLI writes the JSON report in chunks; so does the benchmark (to nowhere).
  let bytes = 0;
  for (const chunk of reporters.json.chunks(report, { color: false })) bytes += chunk.length;
  const t2 = performance.now();
  const load = (checksStart ?? t0) - t0;
  return { report, bytes, phases: { loadMs: load, checksMs: t1 - t0 - load, renderMs: t2 - t1 } };
}

function peakRss(path) {
  const child = spawnSync(process.execPath, [join(here, 'scan-once.mjs'), path], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (child.status !== 0) {
    log(`  peak RSS: child failed (${child.status}): ${child.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    return undefined;
  }
  return JSON.parse(child.stdout.trim().split('\n').pop());
}

async function measure(input, isFirst) {
  const files = listManifests(input.path);
  const bytes = files.reduce((s, f) => s + statSync(f).size, 0);
  log(`\n${input.name}: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB`);
  const texts = readTexts(files);
  const warmup = isFirst ? 1 : 0;

  const ref = await best(() => parseReference(texts), { warmup: 1, times: runs });
  log(
    `  js-yaml loadAll: best ${ref.ms.toFixed(0)} ms of [${ref.all.map((m) => m.toFixed(0)).join(', ')}]${ref.result.failed ? `, ${ref.result.failed} files did not parse as a whole` : ''}`,
  );

  let sc;
  try {
    sc = await best(() => fullScan(input.path), { warmup, times: runs, slowMs: SLOW_RUN_MS });
  } catch (err) {
    // A scan that throws (e.g. a report too large for one string) is a result, not a crash.
    const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    log(`  palisade scan:   FAILED: ${error}`);
    return { ...base(input, files, bytes, ref), error };
  }
  const report = sc.result.report;
  log(
    `  palisade scan:   best ${sc.ms.toFixed(0)} ms of [${sc.all.map((m) => m.toFixed(0)).join(', ')}], ${report.resources} objects, ${report.summary.checksRun} checks, ${report.findings.length} findings`,
  );
  const phases = sc.result.phases;
  log(
    `  phases of the best run: load ${phases.loadMs.toFixed(0)} ms, checks ${phases.checksMs.toFixed(0)} ms, JSON render ${phases.renderMs.toFixed(0)} ms (${(sc.result.bytes / 1e6).toFixed(0)} M chars)`,
  );
  sc.result = undefined;

  let rss;
  if (!opts['no-rss']) {
    gc();
    rss = peakRss(input.path);
    if (rss) log(`  peak RSS (child): ${(rss.maxRssKb / 1024).toFixed(0)} MB`);
  }
  return {
    ...base(input, files, bytes, ref),
    objects: report.resources,
    scanMs: round(sc.ms, 0),
    ratio: round(sc.ms / ref.ms, 2),
    objectsPerSecond: Math.round(report.resources / (sc.ms / 1000)),
    peakRssMB: rss ? round(rss.maxRssKb / 1024, 0) : null,
    findings: report.findings.length,
    checksRun: report.summary.checksRun,
    phasesMs: { load: round(phases.loadMs, 0), checks: round(phases.checksMs, 0), render: round(phases.renderMs, 0) },
    scanRunsMs: sc.all.map((m) => round(m, 0)),
  };
}

/** The fields known before the scan runs; the scan fields stay null when it fails. */
function base(input, files, bytes, ref) {
  return {
    input: input.name,
    path: input.shown,
    files: files.length,
    objects: input.synthetic ? input.synthetic.objects : null,
    sizeMB: round(bytes / 1e6, 1),
    referenceMs: round(ref.ms, 0),
    scanMs: null,
    ratio: null,
    objectsPerSecond: null,
    peakRssMB: null,
    findings: null,
    checksRun: null,
    phasesMs: null,
    referenceRunsMs: ref.all.map((m) => round(m, 0)),
    scanRunsMs: [],
    synthetic: input.synthetic,
  };
}

function round(n, d) {
  const f = 10 ** d;
  return Math.round(n * f) / f;
}

function table(headers, rows, align) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const cell = (v, i) => (align[i] === 'r' ? String(v).padStart(widths[i]) : String(v).padEnd(widths[i]));
  const line = (cols) => `| ${cols.map(cell).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (align[i] === 'r' ? `${'-'.repeat(w + 1)}:` : `:${'-'.repeat(w + 1)}`)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

const inputs = [];
const realWorld = resolve(root, '../shared/corpus/real-world');
if (opts['skip-real-world']) log('real-world: skipped (--skip-real-world)');
else {
  try {
    statSync(realWorld);
    inputs.push({ name: 'real-world', path: realWorld, shown: relative(root, realWorld), synthetic: false });
  } catch {
    console.log(`skip: real-world corpus not found at ${realWorld}`);
  }
}
const objects = Number(opts.objects);
const perFile = Number(opts['per-file']);
if (!opts['skip-synthetic']) {
  const label = objects % 1000 === 0 ? `${objects / 1000}k` : String(objects);
  const dir = join(tmpdir(), `palisade-bench-v${GENERATOR_VERSION}-${objects}x${perFile}`);
  const t0 = performance.now();
  const { generated } = await ensureSynthetic(dir, objects, perFile);
  log(`synthetic-${label}: ${generated ? `generated in ${((performance.now() - t0) / 1000).toFixed(1)} s` : 'reused'} at ${dir}`);
  inputs.push({ name: `synthetic-${label}`, path: dir, shown: dir, synthetic: { objects, perFile, generatorVersion: GENERATOR_VERSION } });
}

const results = [];
for (const [i, input] of inputs.entries()) results.push(await measure(input, i === 0));

const headers = ['input', 'objects', 'size MB', 'js-yaml loadAll ms', 'palisade scan ms', 'ratio', 'objects/s', 'peak RSS MB', 'findings'];
const num = (v, digits) => (v === null || v === undefined ? 'n/a' : digits === undefined ? v.toLocaleString('en-US') : v.toFixed(digits));
const rows = results.map((r) => [
  r.input,
  num(r.objects),
  num(r.sizeMB, 1),
  num(r.referenceMs),
  r.error ? 'FAILED' : num(r.scanMs),
  num(r.ratio, 2),
  num(r.objectsPerSecond),
  num(r.peakRssMB),
  num(r.findings),
]);

const targets = [];
for (const r of results) {
  targets.push({
    target: `${r.input}: scan / reference <= ${MAX_RATIO.toFixed(1)}`,
    value: r.error ?? r.ratio,
    pass: r.error ? false : r.ratio <= MAX_RATIO,
  });
}
const big = results.find((r) => r.synthetic && r.synthetic.objects >= 100_000);
if (big) {
  targets.push({
    target: `${big.input}: peak RSS < ${MAX_RSS_MB_100K} MB`,
    value: big.error ?? big.peakRssMB,
    pass: big.error ? false : big.peakRssMB === null ? null : big.peakRssMB < MAX_RSS_MB_100K,
  });
}

const cpu = cpus();
const machine = {
  cpus: cpu.length,
  cpuModel: cpu[0]?.model ?? 'unknown',
  memoryGB: round(totalmem() / 1024 ** 3, 1),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
};
console.log(
  `\nPalisade ${VERSION} benchmark, ${machine.cpus} x ${machine.cpuModel}, Node ${machine.node}, ${results.find((r) => r.checksRun !== null)?.checksRun ?? 0} checks\n`,
);
console.log(table(headers, rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r']));
console.log('\nWhere the scan time goes (best run):\n');
console.log(
  table(
    ['input', 'load ms', 'checks ms', 'JSON render ms'],
    results.map((r) => [r.input, num(r.phasesMs?.load), num(r.phasesMs?.checks), num(r.phasesMs?.render)]),
    ['l', 'r', 'r', 'r'],
  ),
);
console.log('');
for (const t of targets) console.log(`${t.pass === null ? 'N/A ' : t.pass ? 'PASS' : 'MISS'}  ${t.target} (${t.value ?? 'n/a'})`);

mkdirSync(dirname(opts.out), { recursive: true });
writeFileSync(
  opts.out,
  `${JSON.stringify({ generatedAt: new Date().toISOString(), palisadeVersion: VERSION, machine, runs, headers, results, targets }, null, 2)}\n`,
);
log(`\nwrote ${relative(process.cwd(), opts.out) || opts.out}`);
if (opts.strict && targets.some((t) => t.pass === false)) process.exitCode = 1;
