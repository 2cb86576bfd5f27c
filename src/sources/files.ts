/**
 * Manifest sources: files, directories (recursive) and stdin. Turns YAML/JSON streams into
 * inventory objects, expanding `List` documents and skipping (and counting) documents
 * that are not Kubernetes objects.
 */
// Synchronous fs on purpose: a scan reads thousands of small files and awaiting each one
// through the thread pool left the process idle most of the time (see docs/benchmarks.md).
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { Inventory, isKubernetesObject } from '../core/inventory.js';
import type { IncompleteReason } from '../core/report.js';
import type { Diagnostic, JsonObject } from '../core/types.js';
import { StringPool } from './string-pool.js';
import { RENDER_MARKER_FILES, type RenderTarget, renderKindOf, renderKindOfMarker, renderTarget } from './render.js';
import { type FileResult, parseFiles } from './parse-pool.js';
import { DEFAULT_TEXT_BUDGET, type LoadedStream, loadYamlStream, type ParsedStream, SourceTexts, subResolver, withPositions } from './yaml-loader.js';

/** Default largest file read: 20 MiB. */
export const DEFAULT_MAX_FILE_SIZE = 20 * 1024 * 1024;

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);
/** The names {@link renderKindOf} looks for, lower-cased. */
const RENDER_MARKERS = new Set(RENDER_MARKER_FILES.map((f) => f.toLowerCase()));

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
  /**
   * Worker threads that parse files (0: parse on the main thread only). Default: one less
   * than the cores (at most 4) when the files add up to 32 MiB or more, none below.
   */
  readonly workers?: number;
  /** `--values FILE` for `helm template` when a path is a Helm chart. */
  readonly helmValues?: readonly string[];
  /** `--set KEY=VALUE` for `helm template` when a path is a Helm chart. */
  readonly helmSet?: readonly string[];
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
  /** What could not be read, one entry per path and cause; empty when everything was read. */
  readonly incomplete: IncompleteReason[];
}

/** Stdin read up to a limit: past it the rest is drained (so the writer sees no broken pipe) and dropped. */
async function readAllStdin(limit: number): Promise<{ readonly text?: string; readonly size: number }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
    else chunks.length = 0;
  }
  return size > limit ? { size } : { text: Buffer.concat(chunks).toString('utf8'), size };
}

/** What walking the paths found: manifest files, and directories to render first. */
interface Walk {
  readonly files: string[];
  readonly renders: RenderTarget[];
  /** Real paths already taken, so that symlinks (and loops through them) yield each file once. */
  readonly seen: Set<string>;
}

function realOf(path: string): string {
  try {
    // One realpath(3) call; the JavaScript realpathSync lstats every component of the path, per directory walked.
    return realpathSync.native(path);
  } catch {
    return resolve(path);
  }
}

/**
 * Lists manifest files under the given paths; explicit files are taken whatever their
 * extension. Helm charts and Kustomize directories are not walked into: they are rendered.
 */
function expand(path: string, explicit: boolean, walk: Walk, diagnostics: Diagnostic[], unread: IncompleteReason[]): void {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? `${path}: no such file or directory` : `${path}: cannot read (${code ?? String(err)})`;
    diagnostics.push({ level: 'error', code: code === 'ENOENT' ? 'path-not-found' : 'io', message });
    unread.push({ path, code: code === 'ENOENT' ? 'path-not-found' : 'io', message });
    return;
  }
  const real = realOf(path);
  if (walk.seen.has(real)) return;
  walk.seen.add(real);
  if (!isDir) {
    const marker = explicit ? renderKindOfMarker(path) : undefined;
    if (marker) walk.renders.push({ kind: marker, dir: dirname(path) });
    else if (explicit || MANIFEST_EXTENSIONS.has(extname(path).toLowerCase())) walk.files.push(path);
    return;
  }
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(path, { withFileTypes: true });
  } catch (err) {
    // A directory that cannot be listed may still be a chart or a kustomization to render.
    const kind = renderKindOf(path);
    if (kind) {
      walk.renders.push({ kind, dir: path });
      return;
    }
    const message = `${path}: cannot list directory (${(err as NodeJS.ErrnoException).code ?? String(err)})`;
    diagnostics.push({ level: 'error', code: 'io', message });
    unread.push({ path, code: 'io', message });
    return;
  }
  // The listing says whether a marker file may be there (case-insensitively, as some file
  // systems match names): renderKindOf's checks run only then, not four times per directory.
  if (entries.some((e) => RENDER_MARKERS.has(e.name.toLowerCase()))) {
    const kind = renderKindOf(path);
    if (kind) {
      walk.renders.push({ kind, dir: path });
      return;
    }
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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
      if (!e.name.startsWith('.')) expand(child, false, walk, diagnostics, unread);
    } else if (file && MANIFEST_EXTENSIONS.has(extname(e.name).toLowerCase())) {
      // A plain file's real path is its real directory's plus its name: no syscall per file.
      const realFile = e.isSymbolicLink() ? realOf(child) : join(real, e.name);
      if (walk.seen.has(realFile)) continue;
      walk.seen.add(realFile);
      walk.files.push(child);
    }
  }
}

/** Where a text can be read again for positions, instead of keeping it (see {@link SourceTexts}). */
export interface TextOrigin {
  /** The file the text was read from. */
  readonly path: string;
  /** The bounded text cache of the load. */
  readonly texts: SourceTexts;
}

/**
 * Adds the objects of one YAML/JSON text to the inventory. With `origin`, the text is not
 * kept: positions read the file again when its cache entry is gone.
 *
 * @example
 * addManifestText(inv, 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n', 'pod.yaml', diagnostics, stats);
 */
export function addManifestText(inventory: Inventory, text: string, file: string, diagnostics: Diagnostic[], stats: LoadStats, origin?: TextOrigin): void {
  addLoaded(inventory, loadYamlStream(text, origin ? { file, path: origin.path, texts: origin.texts } : file), file, diagnostics, stats);
}

/** Adds a stream parsed elsewhere (a worker thread); without `text`, positions read `origin.path` again. */
function addParsed(
  inventory: Inventory,
  parsed: ParsedStream,
  text: string | { readonly length: number },
  file: string,
  diagnostics: Diagnostic[],
  stats: LoadStats,
  origin: TextOrigin,
): void {
  addLoaded(inventory, withPositions(parsed, text, { file, path: origin.path, texts: origin.texts }), file, diagnostics, stats);
}

function addLoaded(inventory: Inventory, loaded: LoadedStream, file: string, diagnostics: Diagnostic[], stats: LoadStats): void {
  const { documents, errors } = loaded;
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
  const incomplete: IncompleteReason[] = [];
  const stats: LoadStats = { files: 0, documents: 0, resources: 0, nonKubernetes: 0, parseErrors: 0, skippedFiles: 0 };
  const maxSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const show = (p: string): string => (options.cwd ? relative(options.cwd, p) || p : p);
  const tooLarge = (name: string, size: number): void => {
    stats.skippedFiles++;
    const message = `${name}: skipped, ${size} bytes is over the ${maxSize}-byte limit (--max-file-size)`;
    diagnostics.push({ level: 'warning', code: 'file-too-large', message });
    incomplete.push({ path: name, code: 'file-too-large', message });
  };
  /** Adds a text, recording the file as incomplete when some of its documents did not parse. */
  const texts = new SourceTexts();
  const addText = (text: string, name: string, parsed?: { readonly result: FileResult & { kind: 'parsed' }; readonly path: string }): void => {
    const before = stats.parseErrors;
    if (parsed)
      addParsed(inventory, parsed.result.parsed, parsed.result.text ?? { length: parsed.result.length }, name, diagnostics, stats, {
        path: parsed.path,
        texts,
      });
    else addManifestText(inventory, text, name, diagnostics, stats);
    const failed = stats.parseErrors - before;
    if (failed > 0) incomplete.push({ path: name, code: 'parse-error', message: `${name}: ${failed} document${failed === 1 ? '' : 's'} not valid YAML` });
  };
  const walk: Walk = { files: [], renders: [], seen: new Set() };
  let charts = 0;

  for (const p of paths) {
    if (p === '-') {
      let text: string | undefined;
      let size: number;
      if (options.readStdin) {
        text = await options.readStdin();
        size = Buffer.byteLength(text);
        if (size > maxSize) text = undefined;
      } else ({ text, size } = await readAllStdin(maxSize));
      if (text === undefined) {
        tooLarge('<stdin>', size);
        continue;
      }
      stats.files++;
      addText(text, '<stdin>');
      continue;
    }
    walk.files.length = 0;
    walk.renders.length = 0;
    expand(p, true, walk, diagnostics, incomplete);
    // Sizes first (problems keep their place among the files), then the files are read and
    // parsed, across threads for large inputs, then added in order: the inventory does not
    // depend on which thread was first.
    const steps: ({ readonly file: number; readonly name: string } | (() => void))[] = [];
    const toParse: { path: string; size: number }[] = [];
    for (const f of walk.files) {
      const name = show(f);
      let size: number;
      try {
        size = statSync(f).size;
      } catch (err) {
        const message = `${name}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`;
        steps.push(() => {
          diagnostics.push({ level: 'error', code: 'io', message });
          incomplete.push({ path: name, code: 'io', message });
        });
        continue;
      }
      if (size > maxSize) {
        steps.push(() => tooLarge(name, size));
        continue;
      }
      steps.push({ file: toParse.length, name });
      toParse.push({ path: f, size });
    }
    // Small inputs keep their texts for positions; larger ones read a file again when needed,
    // and pool their string values so that the values do not keep the texts alive instead
    // (copying them compactly on the way: see string-pool.ts).
    const keepTexts = toParse.reduce((n, f) => n + f.size, 0) <= DEFAULT_TEXT_BUDGET;
    const results: FileResult[] = await parseFiles(toParse, {
      keepTexts,
      ...(keepTexts ? {} : { pool: new StringPool() }),
      ...(options.workers !== undefined ? { workers: options.workers } : {}),
    });
    for (const step of steps) {
      if (typeof step === 'function') {
        step();
        continue;
      }
      const r = results[step.file] as FileResult;
      const name = step.name;
      if (r.kind === 'io') {
        const message = `${name}: cannot read (${r.code})`;
        diagnostics.push({ level: 'error', code: 'io', message });
        incomplete.push({ path: name, code: 'io', message });
      } else if (r.kind === 'binary') {
        stats.skippedFiles++;
        const message = `${name}: skipped, looks like a binary file`;
        diagnostics.push({ level: 'warning', code: 'binary-file', message });
        incomplete.push({ path: name, code: 'binary-file', message });
      } else {
        stats.files++;
        addText('', name, { result: r, path: (toParse[step.file] as { path: string }).path });
      }
      // The parse result is in the inventory now: let it go.
      results[step.file] = { kind: 'io', code: 'consumed' };
    }
    for (const target of walk.renders) {
      if (target.kind === 'helm') charts++;
      const shown = { kind: target.kind, dir: show(target.dir) };
      const r = await renderTarget(shown, {
        maxBytes: maxSize,
        ...(options.helmValues ? { helmValues: options.helmValues } : {}),
        ...(options.helmSet ? { helmSet: options.helmSet } : {}),
      });
      if (!r.ok) {
        if (r.code === 'file-too-large') stats.skippedFiles++;
        diagnostics.push({ level: r.code === 'file-too-large' ? 'warning' : 'error', code: r.code, message: r.message });
        incomplete.push({ path: shown.dir, code: r.code, message: r.message });
        continue;
      }
      stats.files++;
      addText(r.text, r.label);
    }
  }
  const helmFlags = (options.helmValues?.length ?? 0) + (options.helmSet?.length ?? 0);
  if (helmFlags > 0 && charts === 0)
    diagnostics.push({
      level: 'warning',
      code: 'helm-flags-unused',
      message: '--values/--set given, but no Helm chart (a directory with Chart.yaml) was found in the paths',
    });
  return { inventory, diagnostics, stats, incomplete };
}
