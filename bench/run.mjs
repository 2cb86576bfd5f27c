/**
 * Palisade benchmark: full-scan speed against a js-yaml parsing reference, and peak memory,
 * measured two ways: in one process (library call, per-phase table) and as whole processes
 * (the `palisade` CLI against a node process that only reads and `loadAll`s the same files).
 *
 * Runs against the built package (dist/); `npm run bench` builds first and starts this with
 * `node --expose-gc` so that runs start from a collected heap. See docs/benchmarks.md.
 *
 * Usage: node --expose-gc bench/run.mjs [--objects 100000] [--per-file 1000] [--runs 3]
 *          [--process-runs 5] [--skip-real-world] [--skip-synthetic] [--skip-replicated]
 *          [--skip-process] [--strict] [--out file]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import yaml from 'js-yaml';
import { reporters, scan, VERSION } from '../dist/index.js';
import { ensureReplicated, ensureSynthetic, GENERATOR_VERSION, REPLICATED_VERSION } from './generate.mjs';
import { listManifests, readTexts } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

const { values: opts } = parseArgs({
  options: {
    objects: { type: 'string', default: '100000' },
    'per-file': { type: 'string', default: '1000' },
    runs: { type: 'string', default: '3' },
    'process-runs': { type: 'string', default: '5' },
    'skip-real-world': { type: 'boolean', default: false },
    'skip-synthetic': { type: 'boolean', default: false },
    'skip-replicated': { type: 'boolean', default: false },
    'skip-process': { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    out: { type: 'string', default: join(root, 'bench-results', 'latest.json') },
  },
});

/**
 * Targets (issue 7): the whole CLI process on the real-world corpus costs at most 1.5x a node
 * process that only parses the same files; on 100k objects the scan costs at most twice the
 * parse and the CLI's peak RSS stays under 700 MB.
 */
const MAX_PROCESS_RATIO_REAL_WORLD = 1.5;
const MAX_RATIO_100K = 2.0;
const MAX_RSS_MB_100K = 700;
/** A timed scan slower than this is not repeated (the 100k sets on slow machines). */
const SLOW_RUN_MS = 20_000;

// Builds before the positions counter (to measure a baseline with this script) have none:
// their positions stay inside the checks phase.
const positionStats = (await import('../dist/sources/yaml-loader.js')).positionStats ?? {
  ms: 0,
  lookups: 0,
  documents: 0,
  reset() {},
};

const runs = Math.max(1, Number(opts.runs));
const processRuns = Math.max(1, Number(opts['process-runs']));
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
  positionStats.reset();
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
  // Positions are resolved while the engine builds findings: their time is counted by the
  // loader and taken out of the checks phase.
  const positionsMs = positionStats.ms;
  return {
    report,
    bytes,
    phases: { loadMs: load, checksMs: t1 - t0 - load - positionsMs, positionsMs, renderMs: t2 - t1 },
    positions: { lookups: positionStats.lookups, documents: positionStats.documents },
  };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs one child process; returns its wall time and the CPU time and peak RSS it recorded. */
function child(args, rusageFile) {
  rmSync(rusageFile, { force: true });
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', join(here, 'rusage.mjs'), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, BENCH_RUSAGE_FILE: rusageFile },
  });
  const wallMs = performance.now() - t0;
  // Both sides exit 0 (the CLI runs without --fail-on): anything else is a failed run, not a
  // fast one (a process that could not start records its usage too).
  if (r.status !== 0) {
    throw new Error(`${args.join(' ')} exited ${r.status}: ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`);
  }
  const u = JSON.parse(readFileSync(rusageFile, 'utf8').trim().split('\n').pop());
  return { wallMs, cpuMs: u.userMs + u.systemMs, maxRssMB: u.maxRssKb / 1024 };
}

/**
 * The whole-process comparison: the CLI (`palisade scan DIR -o json=/dev/null`, every check)
 * against a node process that reads the same files and js-yaml `loadAll`s them, in turn
 * (B A B A ...) after one warm-up run of the reference, so that drifts of the machine's speed hit both. Ratios
 * are taken pair by pair; medians are quoted.
 */
function wholeProcess(path) {
  const rusageFile = join(tmpdir(), `palisade-bench-rusage-${process.pid}.jsonl`);
  const cli = ['dist/cli/main.js', 'scan', path, '-o', 'json=/dev/null'].map((a, i) => (i === 0 ? join(root, a) : a));
  const ref = [join(here, 'reference-once.mjs'), path];
  // The warm-up is one reference run: it reads every file, so both sides then find them in
  // the page cache.
  child(ref, rusageFile);
  const pairs = [];
  for (let i = 0; i < processRuns; i++) {
    gc();
    // The 1-minute load average, with each pair: on a shared machine it says which wall times mean anything.
    const load = loadavg()[0];
    const b = child(ref, rusageFile);
    const a = child(cli, rusageFile);
    pairs.push({ a, b, load });
    // Slow inputs (the 100k sets on a busy machine): three pairs are enough for a median.
    if (a.wallMs > SLOW_RUN_MS && pairs.length >= 3) break;
  }
  rmSync(rusageFile, { force: true });
  const m = (f) => round(median(pairs.map(f)), 0);
  return {
    runs: pairs.length,
    scanWallMs: m((p) => p.a.wallMs),
    scanCpuMs: m((p) => p.a.cpuMs),
    referenceWallMs: m((p) => p.b.wallMs),
    referenceCpuMs: m((p) => p.b.cpuMs),
    wallRatio: round(median(pairs.map((p) => p.a.wallMs / p.b.wallMs)), 2),
    cpuRatio: round(median(pairs.map((p) => p.a.cpuMs / p.b.cpuMs)), 2),
    peakRssMB: m((p) => p.a.maxRssMB),
    referencePeakRssMB: m((p) => p.b.maxRssMB),
    loadAverage: [round(Math.min(...pairs.map((p) => p.load)), 1), round(Math.max(...pairs.map((p) => p.load)), 1)],
    pairs: pairs.map((p) => ({
      scanWallMs: round(p.a.wallMs, 0),
      referenceWallMs: round(p.b.wallMs, 0),
      scanCpuMs: round(p.a.cpuMs, 0),
      referenceCpuMs: round(p.b.cpuMs, 0),
      loadAverage: round(p.load, 1),
    })),
  };
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
    `  phases of the best run: load ${phases.loadMs.toFixed(0)} ms, checks ${phases.checksMs.toFixed(0)} ms, positions ${phases.positionsMs.toFixed(0)} ms (${sc.result.positions.lookups} lookups in ${sc.result.positions.documents} documents), JSON render ${phases.renderMs.toFixed(0)} ms (${(sc.result.bytes / 1e6).toFixed(0)} M chars)`,
  );
  const findings = report.findings.length;
  const summary = { objects: report.resources, checksRun: report.summary.checksRun };
  sc.result = undefined;

  let proc;
  if (!opts['skip-process']) {
    gc();
    try {
      proc = wholeProcess(input.path);
      log(
        `  whole process (median of ${proc.runs} pairs): palisade CLI ${proc.scanWallMs} ms wall, ${proc.scanCpuMs} ms CPU, ${proc.peakRssMB} MB peak RSS; js-yaml process ${proc.referenceWallMs} ms wall, ${proc.referenceCpuMs} ms CPU, ${proc.referencePeakRssMB} MB; ratio ${proc.wallRatio} wall, ${proc.cpuRatio} CPU; load average ${proc.loadAverage.join('-')} on ${cpus().length} cores`,
      );
    } catch (err) {
      log(`  whole process: FAILED: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return {
    ...base(input, files, bytes, ref),
    objects: summary.objects,
    scanMs: round(sc.ms, 0),
    ratio: round(sc.ms / ref.ms, 2),
    objectsPerSecond: Math.round(summary.objects / (sc.ms / 1000)),
    peakRssMB: proc ? proc.peakRssMB : null,
    findings,
    checksRun: summary.checksRun,
    phasesMs: {
      load: round(phases.loadMs, 0),
      checks: round(phases.checksMs, 0),
      positions: round(phases.positionsMs, 0),
      render: round(phases.renderMs, 0),
    },
    scanRunsMs: sc.all.map((m) => round(m, 0)),
    process: proc ?? null,
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
    process: null,
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
if (!opts['skip-replicated'] && inputs.some((i) => i.name === 'real-world')) {
  // The second large input: the real corpus (CRDs, Lists, odd YAML) replicated across
  // namespaces, so the gains are not only on the generator's own mix.
  const label = objects % 1000 === 0 ? `${objects / 1000}k` : String(objects);
  const dir = join(tmpdir(), `palisade-bench-replicated-v${REPLICATED_VERSION}-${objects}`);
  const t0 = performance.now();
  const { generated } = await ensureReplicated(dir, realWorld, objects);
  log(`replicated-${label}: ${generated ? `generated in ${((performance.now() - t0) / 1000).toFixed(1)} s` : 'reused'} at ${dir}`);
  inputs.push({
    name: `replicated-${label}`,
    path: dir,
    shown: dir,
    synthetic: { objects, replicatedFrom: 'real-world', generatorVersion: REPLICATED_VERSION },
  });
}

const results = [];
for (const [i, input] of inputs.entries()) results.push(await measure(input, i === 0));

const headers = ['input', 'objects', 'size MB', 'js-yaml loadAll ms', 'palisade scan ms', 'ratio', 'objects/s', 'findings'];
const num = (v, digits) => (v === null || v === undefined ? 'n/a' : digits === undefined ? v.toLocaleString('en-US') : v.toFixed(digits));
const rows = results.map((r) => [
  r.input,
  num(r.objects),
  num(r.sizeMB, 1),
  num(r.referenceMs),
  r.error ? 'FAILED' : num(r.scanMs),
  num(r.ratio, 2),
  num(r.objectsPerSecond),
  num(r.findings),
]);
const processHeaders = ['input', 'js-yaml process ms', 'palisade CLI ms', 'wall ratio', 'CPU ratio', 'CLI peak RSS MB', 'js-yaml peak RSS MB'];
const processRows = results.map((r) => {
  const p = r.process;
  return [r.input, num(p?.referenceWallMs), num(p?.scanWallMs), num(p?.wallRatio, 2), num(p?.cpuRatio, 2), num(p?.peakRssMB), num(p?.referencePeakRssMB)];
});

const targets = [];
for (const r of results) {
  if (r.input === 'real-world') {
    targets.push({
      target: `real-world: whole CLI process / js-yaml process <= ${MAX_PROCESS_RATIO_REAL_WORLD.toFixed(1)} (median wall ratio)`,
      value: r.error ?? r.process?.wallRatio ?? null,
      pass: r.error ? false : r.process ? r.process.wallRatio <= MAX_PROCESS_RATIO_REAL_WORLD : null,
    });
  } else if (r.synthetic && r.synthetic.objects >= 100_000) {
    targets.push({
      target: `${r.input}: scan / reference <= ${MAX_RATIO_100K.toFixed(1)} (in process)`,
      value: r.error ?? r.ratio,
      pass: r.error ? false : r.ratio <= MAX_RATIO_100K,
    });
    targets.push({
      target: `${r.input}: CLI peak RSS < ${MAX_RSS_MB_100K} MB`,
      value: r.error ?? r.peakRssMB,
      pass: r.error ? false : r.peakRssMB === null ? null : r.peakRssMB < MAX_RSS_MB_100K,
    });
  }
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
console.log('In one process (library call, best run):\n');
console.log(table(headers, rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r']));
console.log('\nWhere the scan time goes (best in-process run):\n');
console.log(
  table(
    ['input', 'load ms', 'checks ms', 'positions ms', 'JSON render ms'],
    results.map((r) => [r.input, num(r.phasesMs?.load), num(r.phasesMs?.checks), num(r.phasesMs?.positions), num(r.phasesMs?.render)]),
    ['l', 'r', 'r', 'r', 'r'],
  ),
);
if (results.some((r) => r.process)) {
  console.log(`\nWhole processes (palisade scan DIR -o json=/dev/null vs node reading + loadAll'ing the same files; medians):\n`);
  console.log(table(processHeaders, processRows, ['l', 'r', 'r', 'r', 'r', 'r', 'r']));
}
console.log('');
for (const t of targets) console.log(`${t.pass === null ? 'N/A ' : t.pass ? 'PASS' : 'MISS'}  ${t.target} (${t.value ?? 'n/a'})`);

mkdirSync(dirname(opts.out), { recursive: true });
writeFileSync(
  opts.out,
  `${JSON.stringify({ generatedAt: new Date().toISOString(), palisadeVersion: VERSION, machine, runs, processRuns, headers, results, targets }, null, 2)}\n`,
);
log(`\nwrote ${relative(process.cwd(), opts.out) || opts.out}`);
if (opts.strict && targets.some((t) => t.pass === false)) process.exitCode = 1;
