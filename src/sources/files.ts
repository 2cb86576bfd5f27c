/**
 * Manifest sources: files, directories (recursive) and stdin. Turns YAML/JSON streams into
 * inventory objects, expanding `List` documents and skipping (and counting) documents
 * that are not Kubernetes objects.
 */
// Synchronous fs on purpose: a scan reads thousands of small files and awaiting each one
// through the thread pool left the process idle most of the time (see docs/benchmarks.md).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { Inventory, isKubernetesObject } from '../core/inventory.js';
import type { Diagnostic, JsonObject } from '../core/types.js';
import { loadYamlStream, subResolver } from './yaml-loader.js';

/** Default largest file read: 20 MiB. */
export const DEFAULT_MAX_FILE_SIZE = 20 * 1024 * 1024;

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

export interface LoadOptions {
  /** Files larger than this (bytes) are skipped with a notice. */
  readonly maxFileSize?: number;
  /** Reads stdin when a path is `-`; injectable for tests. */
  readonly readStdin?: () => Promise<string>;
  /**
   * The namespace namespace-less objects will be applied to (`--default-namespace`); absent,
   * they are in an unknown namespace that joins no real one (see `Inventory.namespaceOf`).
   */
  readonly defaultNamespace?: string;
  /** Shown paths are made relative to this directory (default: as given). */
  readonly cwd?: string;
}

/** Counts of what loading saw. */
export interface LoadStats {
  files: number;
  documents: number;
  resources: number;
  nonKubernetes: number;
  parseErrors: number;
  skippedFiles: number;
}

export interface LoadResult {
  readonly inventory: Inventory;
  readonly diagnostics: Diagnostic[];
  readonly stats: LoadStats;
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Lists manifest files under the given paths; explicit files are taken whatever their extension. */
function expand(path: string, explicit: boolean, out: string[], diagnostics: Diagnostic[]): void {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    diagnostics.push({
      level: 'error',
      code: code === 'ENOENT' ? 'path-not-found' : 'io',
      message: code === 'ENOENT' ? `${path}: no such file or directory` : `${path}: cannot read (${code ?? String(err)})`,
    });
    return;
  }
  if (!isDir) {
    if (explicit || MANIFEST_EXTENSIONS.has(extname(path).toLowerCase())) out.push(path);
    return;
  }
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(path, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (err) {
    diagnostics.push({ level: 'error', code: 'io', message: `${path}: cannot list directory (${(err as NodeJS.ErrnoException).code ?? String(err)})` });
    return;
  }
  for (const e of entries) {
    if (SKIPPED_DIRS.has(e.name)) continue;
    const child = join(path, e.name);
    let dir = e.isDirectory();
    let file = e.isFile();
    if (e.isSymbolicLink()) {
      try {
        const st = statSync(child);
        dir = st.isDirectory();
        file = st.isFile();
      } catch {
        continue;
      }
    }
    if (dir) {
      if (!e.name.startsWith('.')) expand(child, false, out, diagnostics);
    } else if (file && MANIFEST_EXTENSIONS.has(extname(e.name).toLowerCase())) {
      out.push(child);
    }
  }
}

function isBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, 8000);
  for (let i = 0; i < n; i++) if (buf[i] === 0) return true;
  return false;
}

/**
 * Adds the objects of one YAML/JSON text to the inventory.
 *
 * @example
 * addManifestText(inv, 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n', 'pod.yaml', diagnostics, stats);
 */
export function addManifestText(inventory: Inventory, text: string, file: string, diagnostics: Diagnostic[], stats: LoadStats): void {
  const { documents, errors } = loadYamlStream(text, file);
  for (const e of errors) {
    stats.parseErrors++;
    diagnostics.push({
      level: 'error',
      code: 'parse-error',
      message: `${file}:${e.line}:${e.column}: document ${e.index + 1} is not valid YAML: ${e.reason}`,
      location: { file, line: e.line, column: e.column },
    });
  }
  for (const doc of documents) {
    stats.documents++;
    const value = doc.value;
    if (!isKubernetesObject(value)) {
      stats.nonKubernetes++;
      continue;
    }
    const kind = value.kind as string;
    if (kind.endsWith('List') && Array.isArray(value.items)) {
      value.items.forEach((item, i) => {
        if (!isKubernetesObject(item)) {
          stats.nonKubernetes++;
          return;
        }
        const positions = subResolver(doc.positions, `/items/${i}`);
        stats.resources++;
        inventory.add({ object: item as JsonObject, positions, location: { file, line: doc.line, column: 1 } });
      });
      continue;
    }
    stats.resources++;
    inventory.add({ object: value, positions: doc.positions, location: { file, line: doc.line, column: 1 } });
  }
}

/**
 * Loads manifests from files, directories and stdin (`-`) into a new inventory. Problems
 * (missing paths, unparsable documents, binary or huge files) become diagnostics; loading
 * continues with the rest.
 *
 * @example
 * const { inventory, diagnostics } = await loadManifests(['deploy/']);
 */
export async function loadManifests(paths: readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  const inventory = new Inventory(options.defaultNamespace !== undefined ? { defaultNamespace: options.defaultNamespace } : {});
  const diagnostics: Diagnostic[] = [];
  const stats: LoadStats = { files: 0, documents: 0, resources: 0, nonKubernetes: 0, parseErrors: 0, skippedFiles: 0 };
  const maxSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const show = (p: string): string => (options.cwd ? relative(options.cwd, p) || p : p);

  for (const p of paths) {
    if (p === '-') {
      const text = await (options.readStdin ?? readAllStdin)();
      stats.files++;
      addManifestText(inventory, text, '<stdin>', diagnostics, stats);
      continue;
    }
    const files: string[] = [];
    expand(p, true, files, diagnostics);
    for (const f of files) {
      const name = show(f);
      let size: number;
      try {
        size = statSync(f).size;
      } catch (err) {
        diagnostics.push({ level: 'error', code: 'io', message: `${name}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})` });
        continue;
      }
      if (size > maxSize) {
        stats.skippedFiles++;
        diagnostics.push({
          level: 'warning',
          code: 'file-too-large',
          message: `${name}: skipped, ${size} bytes is over the ${maxSize}-byte limit (--max-file-size)`,
        });
        continue;
      }
      let buf: Buffer;
      try {
        buf = readFileSync(f);
      } catch (err) {
        diagnostics.push({ level: 'error', code: 'io', message: `${name}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})` });
        continue;
      }
      if (isBinary(buf)) {
        stats.skippedFiles++;
        diagnostics.push({ level: 'warning', code: 'binary-file', message: `${name}: skipped, looks like a binary file` });
        continue;
      }
      stats.files++;
      let text = buf.toString('utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      addManifestText(inventory, text, name, diagnostics, stats);
    }
  }
  return { inventory, diagnostics, stats };
}
