#!/usr/bin/env node
// Runs every *.test.ts under src/ (and test/) with Node's test runner and tsx.
// Node 20 has no glob support in `node --test`, hence this list.
// End-to-end tests run the built CLI (dist/cli/main.js, see test/support/cli.ts): when one of
// them is selected and dist/ is older than the sources, the build runs first.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'fixtures') find(p, out);
    } else if (e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filter = process.argv.slice(2);
let files = [...find('src', []), ...find('test', [])].sort();
if (filter.length) files = files.filter((f) => filter.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
/** Newest modification time of the sources the build reads. */
function newestSource(dir, newest = 0) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = newestSource(p, newest);
    else if (!e.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function builtAt() {
  try {
    return statSync('dist/cli/main.js').mtimeMs;
  } catch {
    return 0;
  }
}

const usesCli = files.some((f) => readFileSync(f, 'utf8').includes('support/cli.js'));
if (usesCli) {
  const inputs = ['tsconfig.json', 'tsconfig.build.json', 'package.json'].map((f) => statSync(f).mtimeMs);
  // web/ is the dashboard, bundled by the same build (the browser tests load it).
  if (Math.max(newestSource('src'), newestSource('web'), ...inputs) > builtAt()) {
    console.error('dist/ is older than src/: running npm run build first (end-to-end tests run the built CLI)');
    const b = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
    if (b.status !== 0) {
      console.error('npm run build failed: the end-to-end tests need the built CLI');
      process.exit(b.status ?? 1);
    }
  }
}

const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
