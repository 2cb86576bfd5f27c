/**
 * Output targets for `-o FORMAT[=FILE]` and the shared rendering of reports.
 */
import { closeSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { PalisadeError } from '../core/errors.js';
import type { ScanReport } from '../core/report.js';
import { formatNames, reporters } from '../reporters/index.js';

export interface OutputTarget {
  readonly format: string;
  /** Undefined: stdout. */
  readonly file?: string;
}

/** Parses `-o` values: `json`, `sarif=out.sarif`. */
export function parseOutputs(values: readonly string[], fallback: string): OutputTarget[] {
  const specs = values.length > 0 ? values : [fallback];
  const out = specs.map((v) => {
    const eq = v.indexOf('=');
    const format = (eq === -1 ? v : v.slice(0, eq)).trim();
    const file = eq === -1 ? undefined : v.slice(eq + 1).trim();
    if (!reporters[format]) throw new PalisadeError('usage', `unknown output format "${format}" (available: ${formatNames().join(', ')})`);
    if (file === '') throw new PalisadeError('usage', `-o ${v}: missing file name after "="`);
    return file === undefined || file === '-' ? { format } : { format, file };
  });
  const toStdout = out.filter((o) => o.file === undefined);
  if (toStdout.length > 1)
    throw new PalisadeError(
      'usage',
      `only one output can go to stdout (got ${toStdout.map((o) => o.format).join(', ')}); write the others to files with -o FORMAT=FILE`,
    );
  return out;
}

/** Output targets whose files are open (as temporary files beside their destination). */
export interface OpenOutputs {
  readonly targets: readonly (OutputTarget & { readonly fd?: number; readonly temp?: string })[];
  /** Closes and removes the temporary files (the scan failed: no report is written). */
  abandon(): void;
}

const codeOf = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? String(err);

/**
 * Creates the missing parent directories of a file, one level at a time. (`mkdir -p` through
 * Node's recursive mkdir never returns on some paths, such as under /proc.)
 *
 * @example
 * makeParents('out/reports/palisade.json'); // creates out/ and out/reports/
 */
export function makeParents(file: string): void {
  const missing: string[] = [];
  let dir = dirname(resolve(file));
  for (;;) {
    try {
      if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      missing.unshift(dir);
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  for (const d of missing) mkdirSync(d);
}

/**
 * Prepares every file target before the scan runs, so that an impossible path fails at once
 * (exit 3) instead of after a long scan. Reports are written to a temporary file in the same
 * directory and renamed into place when complete: a failed run leaves no half-written report.
 *
 * @example
 * const outputs = await openOutputs(parseOutputs(['json=out/report.json'], 'table'));
 */
export async function openOutputs(targets: readonly OutputTarget[]): Promise<OpenOutputs> {
  const opened: (OutputTarget & { fd?: number; temp?: string })[] = [];
  const abandon = (): void => {
    for (const t of opened) {
      if (t.fd === undefined || t.temp === undefined) continue;
      try {
        closeSync(t.fd);
        unlinkSync(t.temp);
      } catch {
        // Already gone: nothing to clean.
      }
    }
  };
  for (const t of targets) {
    if (t.file === undefined) {
      opened.push(t);
      continue;
    }
    const temp = join(dirname(t.file), `.${basename(t.file)}.${process.pid}.tmp`);
    try {
      makeParents(t.file);
      opened.push({ ...t, fd: openSync(temp, 'wx'), temp });
    } catch (err) {
      abandon();
      throw new PalisadeError('io', `cannot write ${t.format} report to ${t.file}: ${codeOf(err)}`);
    }
  }
  return { targets: opened, abandon };
}

/**
 * Renders the report to every target, in chunks where the reporter supports it.
 *
 * @example
 * writeOutputs(report, await openOutputs(targets), useColor(undefined));
 */
export function writeOutputs(report: ScanReport, outputs: OpenOutputs, color: boolean): void {
  for (const t of outputs.targets) {
    const reporter = reporters[t.format];
    if (!reporter) continue;
    const options = { color: t.file === undefined && color };
    const pieces: Iterable<string> = reporter.chunks ? reporter.chunks(report, options) : [reporter.render(report, options)];
    if (t.file === undefined || t.fd === undefined || t.temp === undefined) {
      for (const piece of pieces) process.stdout.write(piece);
      continue;
    }
    try {
      for (const piece of pieces) writeSync(t.fd, piece);
      closeSync(t.fd);
      renameSync(t.temp, t.file);
    } catch (err) {
      outputs.abandon();
      throw new PalisadeError('io', `cannot write ${t.format} report to ${t.file}: ${codeOf(err)}`);
    }
  }
}

/** Whether to colour stdout: a TTY, and neither NO_COLOR nor --no-color. */
export function useColor(flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return process.stdout.isTTY === true;
}
