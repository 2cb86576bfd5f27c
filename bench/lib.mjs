/**
 * Helpers shared by the benchmark scripts. They mirror what Palisade's loader reads
 * (src/sources/files.ts), so the js-yaml reference parses exactly the same files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';

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
