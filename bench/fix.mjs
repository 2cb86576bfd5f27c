/**
 * Fix benchmark: `palisade fix --dry-run` over the real-world corpus (../shared/corpus/real-world)
 * as a ratio to `palisade scan` of the same corpus, both as whole CLI processes, measured in CPU
 * time (user + system, recorded by the child at exit) so that a busy machine does not skew the ratio,
 * with wall time shown beside it. Also reports how many findings were fixed and rolled back.
 *
 * Runs against the built package (dist/); `npm run bench` builds first. Writes bench-results/fix.json.
 * Usage: node --expose-gc bench/fix.mjs [--runs 3] [--unsafe] [--strict] [--out file]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const cli = join(root, 'dist', 'cli', 'main.js');
const rusage = join(here, 'rusage.mjs');
const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    unsafe: { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    out: { type: 'string', default: join(root, 'bench-results', 'fix.json') },
  },
});

/** Target (issue 10): fix --dry-run costs at most 3x the scan of the same corpus. */
const MAX_RATIO = 3;
const log = (msg) => process.stderr.write(`${msg}\n`);

const corpus = resolve(root, '../shared/corpus/real-world');
if (!existsSync(corpus)) {
  log(`fix bench: skipped, ${corpus} is absent`);
  process.exit(0);
}

/** One CLI process: wall ms and CPU ms (user + system, recorded at exit by bench/rusage.mjs). */
function measure(args) {
  const file = join(tmpdir(), `palisade-fix-bench-${process.pid}.jsonl`);
  rmSync(file, { force: true });
  const start = performance.now();
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(rusage).href, cli, ...args], {
    cwd: tmpdir(),
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, NO_COLOR: '1', BENCH_RUSAGE_FILE: file },
  });
  const wallMs = performance.now() - start;
  const line = readFileSync(file, 'utf8').trim().split('\n').pop();
  const u = JSON.parse(line);
  rmSync(file, { force: true });
  return { wallMs, cpuMs: u.userMs + u.systemMs, stdout: r.stdout, stderr: r.stderr, code: r.status };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs = Math.max(1, Number(opts.runs));
const fixArgs = ['fix', corpus, '--dry-run', ...(opts.unsafe ? ['--unsafe-fixes'] : [])];
const scans = [];
const fixes = [];
let last;
for (let i = 0; i < runs; i++) {
  scans.push(measure(['scan', corpus, '-f', 'json']));
  last = measure(fixArgs);
  fixes.push(last);
}
const summary = /would fix (\d+) findings in (\d+) objects/.exec(last.stderr);
const notFixed = /(\d+) findings? (?:is|are) not fixable automatically/.exec(last.stderr);
const result = {
  corpus,
  runs,
  unsafe: opts.unsafe,
  cpus: cpus().length,
  scan: { cpuMs: median(scans.map((s) => s.cpuMs)), wallMs: median(scans.map((s) => s.wallMs)) },
  fix: { cpuMs: median(fixes.map((s) => s.cpuMs)), wallMs: median(fixes.map((s) => s.wallMs)) },
  fixedFindings: Number(summary?.[1] ?? 0),
  fixedObjects: Number(summary?.[2] ?? 0),
  notFixed: Number(notFixed?.[1] ?? 0),
  diffLines: last.stdout.split('\n').length,
};
result.ratioCpu = Number((result.fix.cpuMs / result.scan.cpuMs).toFixed(2));
result.ratioWall = Number((result.fix.wallMs / result.scan.wallMs).toFixed(2));
mkdirSync(dirname(opts.out), { recursive: true });
writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
log(
  `fix --dry-run${opts.unsafe ? ' --unsafe-fixes' : ''} on the real-world corpus: ${result.fix.cpuMs.toFixed(0)} ms CPU (${result.fix.wallMs.toFixed(0)} ms wall) ` +
    `vs scan ${result.scan.cpuMs.toFixed(0)} ms CPU (${result.scan.wallMs.toFixed(0)} ms wall): ${result.ratioCpu}x CPU, ${result.ratioWall}x wall ` +
    `(target <= ${MAX_RATIO}x); ${result.fixedFindings} findings in ${result.fixedObjects} objects fixed, ${result.notFixed} not fixable automatically`,
);
if (result.ratioCpu > MAX_RATIO) {
  log(`fix bench: over the ${MAX_RATIO}x target`);
  if (opts.strict) process.exitCode = 1;
}
