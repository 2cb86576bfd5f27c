/**
 * Reads and parses manifest files, across worker threads when the input is large enough to
 * pay for them. Results come back in the order the files were given, whatever thread parsed
 * them, so inventories, diagnostics and positions are the same as a single-threaded load.
 *
 * The main thread parses too (a 2-core machine gets one worker plus the main thread); what
 * crosses threads is plain data (values by structured clone, document ranges), and
 * positions are attached on the main thread (see yaml-loader.ts).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { StringPool } from './string-pool.js';
import { type ParsedStream, parseYamlStream } from './yaml-loader.js';

/** What reading and parsing one file gave. */
export type FileResult =
  /** `text` is returned only when asked for (to keep it for positions). */
  | { readonly kind: 'parsed'; readonly length: number; readonly text?: string; readonly parsed: ParsedStream }
  | { readonly kind: 'binary' }
  | { readonly kind: 'io'; readonly code: string };

/**
 * Below this many bytes a load stays on the main thread. A worker costs CPU beyond the parse
 * it takes over (its start, js-yaml compiled again, the values cloned out and into the main
 * heap: about 300 ms on 6-10 MB, measured), so that on 2 cores it only pays on large inputs.
 */
export const POOL_MIN_BYTES = 32 * 1024 * 1024;
const MAX_WORKERS = 4;

/** Whether the first bytes hold a NUL: binary files are skipped, not parsed. */
export function isBinary(buf: Uint8Array): boolean {
  const n = Math.min(buf.length, 8000);
  for (let i = 0; i < n; i++) if (buf[i] === 0) return true;
  return false;
}

/**
 * Reads one file as the loader does (UTF-8, BOM stripped, binary files refused) and parses it.
 *
 * @example
 * const r = readAndParse('deploy.yaml', false);
 * if (r.kind === 'parsed') r.parsed.documents.length;
 */
export function readAndParse(path: string, keepText: boolean): FileResult {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    return { kind: 'io', code: (err as NodeJS.ErrnoException).code ?? String(err) };
  }
  if (isBinary(buf)) return { kind: 'binary' };
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const parsed = parseYamlStream(text);
  return keepText ? { kind: 'parsed', length: text.length, text, parsed } : { kind: 'parsed', length: text.length, parsed };
}

/** Options of {@link parseFiles}. */
export interface ParseFilesOptions {
  /** Worker threads to use; default: one less than the cores (at most 4) from 32 MiB of files, none below. */
  readonly workers?: number;
  /** Return the texts (to keep them for positions instead of reading the files again). */
  readonly keepTexts: boolean;
  /** Counts files parsed by workers and workers lost, for tests and the benchmark. */
  readonly counts?: { byWorkers: number; workerErrors: number };
  /**
   * Pools the string values of every document as its file comes in (see string-pool.ts):
   * for loads that do not keep their texts, whose values would otherwise keep them.
   */
  readonly pool?: StringPool;
}

/** The documents of one file with their values pooled and compacted (see {@link StringPool.compact}); `views`: parsed on this thread. */
function pooled(result: FileResult, pool: StringPool | undefined, views: boolean): FileResult {
  if (!pool || result.kind !== 'parsed') return result;
  const documents = result.parsed.documents.map((d) => ({ ...d, value: pool.compact(d.value, views) }));
  return { ...result, parsed: { ...result.parsed, documents } };
}

interface Job {
  readonly id: number;
  readonly path: string;
}

/**
 * A worker thread running parse-worker. Under tsx (the tests) this module is TypeScript: the
 * worker registers tsx's loader itself, since Node 20 does not apply `--import` hooks to
 * worker threads.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./parse-worker.js', import.meta.url));
  const entry = JSON.stringify(new URL('./parse-worker.ts', import.meta.url).href);
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${entry}); });`, { eval: true });
}

/**
 * Reads and parses files (paths with their sizes in bytes); results in the same order.
 *
 * @example
 * const results = await parseFiles([{ path: 'a.yaml', size: 120 }], { keepTexts: true });
 */
export async function parseFiles(files: readonly { readonly path: string; readonly size: number }[], options: ParseFilesOptions): Promise<FileResult[]> {
  const results: (FileResult | undefined)[] = new Array(files.length);
  const bytes = files.reduce((n, f) => n + f.size, 0);
  const wanted = options.workers ?? (bytes >= POOL_MIN_BYTES ? Math.min(MAX_WORKERS, availableParallelism() - 1) : 0);
  const count = Math.max(0, Math.min(wanted, files.length - 1));
  let next = 0;
  const parseHere = (i: number): void => {
    results[i] = pooled(readAndParse((files[i] as { path: string }).path, options.keepTexts), options.pool, true);
  };
  if (count === 0) {
    for (let i = 0; i < files.length; i++) parseHere(i);
    return results as FileResult[];
  }

  let outstanding = 0;
  let wake: (() => void) | undefined;
  const settle = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const workers: Worker[] = [];
  const give = (worker: Worker, inFlight: Set<number>): boolean => {
    if (next >= files.length) return false;
    const id = next++;
    inFlight.add(id);
    outstanding++;
    worker.postMessage({ id, path: (files[id] as { path: string }).path, keepText: options.keepTexts } satisfies Job & { keepText: boolean });
    return true;
  };
  for (let w = 0; w < count; w++) {
    const worker = startWorker();
    const inFlight = new Set<number>();
    worker.on('message', (msg: { id: number; result: FileResult }) => {
      // Cloned values are strings of their own: pooled for their repeats only.
      results[msg.id] = pooled(msg.result, options.pool, false);
      if (options.counts) options.counts.byWorkers++;
      inFlight.delete(msg.id);
      outstanding--;
      give(worker, inFlight);
      settle();
    });
    // A worker that dies leaves its files to the main thread: the load never depends on one.
    worker.on('error', () => {
      if (options.counts) options.counts.workerErrors++;
      for (const id of inFlight) {
        outstanding--;
        parseHere(id);
      }
      inFlight.clear();
      settle();
    });
    // Two files in flight per worker, so that it never waits for the main thread's answer.
    give(worker, inFlight);
    give(worker, inFlight);
    workers.push(worker);
  }
  try {
    while (next < files.length) {
      parseHere(next++);
      // Let the workers' answers in (and hand them their next files) between two files.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    while (outstanding > 0) await new Promise<void>((resolve) => (wake = resolve));
  } finally {
    for (const w of workers) void w.terminate();
  }
  return results as FileResult[];
}
