/**
 * Output targets for `-o FORMAT[=FILE]` and the shared rendering of reports.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
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

/** Renders the report to every target, in chunks where the reporter supports it. */
export async function writeOutputs(report: ScanReport, targets: readonly OutputTarget[], color: boolean): Promise<void> {
  for (const t of targets) {
    const reporter = reporters[t.format];
    if (!reporter) continue;
    const options = { color: t.file === undefined && color };
    const pieces: Iterable<string> = reporter.chunks ? reporter.chunks(report, options) : [reporter.render(report, options)];
    if (t.file === undefined) {
      for (const piece of pieces) process.stdout.write(piece);
      continue;
    }
    let fd: number | undefined;
    try {
      await mkdir(dirname(t.file), { recursive: true });
      fd = openSync(t.file, 'w');
      for (const piece of pieces) writeSync(fd, piece);
    } catch (err) {
      throw new PalisadeError('io', `cannot write ${t.format} report to ${t.file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    } finally {
      if (fd !== undefined) closeSync(fd);
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
