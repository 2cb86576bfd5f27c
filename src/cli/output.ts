/**
 * Output targets for `-o FORMAT[=FILE]` and the shared rendering of reports.
 */
import { closeSync, lstatSync, mkdirSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
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

/** Output targets whose files are open (as temporary files beside their destination, or special files directly). */
export interface OpenOutputs {
  readonly targets: readonly OpenTarget[];
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

/** An output target once opened: a temporary file renamed onto `target`, or a special file written directly. */
export type OpenTarget = OutputTarget & { readonly fd?: number; readonly temp?: string; readonly target?: string };

/** What is at `file` now: nothing, a regular file (or directory), a symlink, or a special file. */
function existingKind(file: string): 'none' | 'regular' | 'symlink' | 'special' {
  let link: ReturnType<typeof lstatSync>;
  try {
    link = lstatSync(file);
  } catch {
    return 'none';
  }
  if (!link.isSymbolicLink()) return link.isFile() || link.isDirectory() ? 'regular' : 'special';
  try {
    const real = statSync(file);
    return real.isFile() || real.isDirectory() ? 'symlink' : 'special';
  } catch {
    // A dangling link: the report replaces the link.
    return 'regular';
  }
}

/** Closes an opened target and moves its temporary file into place (special files: nothing to move). */
export function finishTarget(t: OpenTarget): void {
  if (t.fd === undefined) return;
  closeSync(t.fd);
  if (t.temp !== undefined) renameSync(t.temp, t.target ?? (t.file as string));
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
  const opened: OpenTarget[] = [];
  const abandon = (): void => {
    for (const t of opened) {
      if (t.fd === undefined) continue;
      try {
        closeSync(t.fd);
        if (t.temp !== undefined) unlinkSync(t.temp);
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
    try {
      const kind = existingKind(t.file);
      if (kind === 'special') {
        // A device, FIFO or socket (`-o json=/dev/null`, `/dev/stdout`, a named pipe) is
        // written directly: renaming a file over it would replace the device itself.
        opened.push({ ...t, fd: openSync(t.file, 'w') });
        continue;
      }
      // A symlink keeps pointing where it pointed: the report replaces the file it names.
      const file = kind === 'symlink' ? realpathSync(t.file) : t.file;
      const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
      makeParents(file);
      opened.push({ ...t, fd: openSync(temp, 'wx'), temp, target: file });
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
    if (t.file === undefined || t.fd === undefined) {
      for (const piece of pieces) process.stdout.write(piece);
      continue;
    }
    try {
      for (const piece of pieces) writeSync(t.fd, piece);
      finishTarget(t);
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
