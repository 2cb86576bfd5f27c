/**
 * Helpers shared by the benchmark scripts. The file listing mirrors what Palisade's loader reads
 * (src/sources/files.ts), so the js-yaml reference parses exactly the same files; the others start
 * the test API server and write a kubeconfig for it.
 */
import { fork } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);
const MAX_FILE_SIZE = 20 * 1024 * 1024;

/** Manifest files under `path`, in the loader's order (sorted, recursive, no dot folders). */
export function listManifests(path, out = []) {
  const st = statSync(path);
  if (!st.isDirectory()) {
    out.push(path);
    return out;
  }
  for (const e of readdirSync(path).sort()) {
    if (SKIPPED_DIRS.has(e)) continue;
    const child = join(path, e);
    const cst = statSync(child);
    if (cst.isDirectory()) {
      if (!e.startsWith('.')) listManifests(child, out);
    } else if (MANIFEST_EXTENSIONS.has(extname(e).toLowerCase()) && cst.size <= MAX_FILE_SIZE) {
      out.push(child);
    }
  }
  return out;
}

/** Reads files as the loader does (UTF-8, BOM stripped). */
export function readTexts(files) {
  return files.map((f) => {
    const t = readFileSync(f, 'utf8');
    return t.charCodeAt(0) === 0xfeff ? t.slice(1) : t;
  });
}

/**
 * A small deterministic PRNG (mulberry32): numbers in [0, 1), the same sequence for a seed, so
 * that every run of a benchmark measures the same generated input.
 */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAKE_API_SERVER = fileURLToPath(new URL('../test/support/fake-apiserver-main.ts', import.meta.url));

/**
 * Starts the test API server (test/support/fake-apiserver-main.ts) in its own process, run with
 * tsx, and waits for the JSON line it prints when it listens (`{ url, caFile? }`). The child is
 * killed when this process exits; it keeps its IPC channel for `reset`, `cpu`, `requests`...
 */
export async function startFakeApiServer(args) {
  const child = fork(FAKE_API_SERVER, args, { execArgv: ['--import', import.meta.resolve('tsx')], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const kill = () => child.kill();
  process.on('exit', kill);
  const ready = await new Promise((resolveReady, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`the fake API server exited with ${code}`)));
    child.stdout.on('data', (c) => {
      out += c;
      if (out.includes('\n')) resolveReady(JSON.parse(out.slice(0, out.indexOf('\n'))));
    });
  });
  child.removeAllListeners('exit');
  return { child, ready, stop: () => process.off('exit', kill) };
}

/**
 * Writes a kubeconfig with one context, `bench`, for a server the fake API server announced:
 * its CA when it serves TLS, and a bearer token when one is given.
 */
export function writeKubeconfig(file, ready, token) {
  const tls = ready.url.startsWith('https:') ? (ready.caFile ? { 'certificate-authority': ready.caFile } : { 'insecure-skip-tls-verify': true }) : {};
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'bench', cluster: { server: ready.url, ...tls } }],
      users: [{ name: 'bench', user: token !== undefined ? { token } : {} }],
      contexts: [{ name: 'bench', context: { cluster: 'bench', user: 'bench' } }],
      'current-context': 'bench',
    }),
  );
  return file;
}
