import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { CONFIG_FILE_NAME, loadConfig, parseSize } from '../../config/config.js';
import { PalisadeError } from '../../core/errors.js';
import { failsGate } from '../../core/report.js';
import { isSeverity, SEVERITIES, type Severity } from '../../core/types.js';
import { formatNames } from '../../reporters/index.js';
import { scan } from '../../scan.js';
import { loadCustomChecks } from '../../custom/load.js';
import { parseOutputs, useColor, writeOutputs } from '../output.js';
import { startProgress } from '../progress.js';
import { printDiagnostics } from '../diagnostics.js';

interface ScanFlags {
  output: string[];
  format?: string;
  failOn?: string;
  config?: string;
  checksDir: string[];
  include: string[];
  exclude: string[];
  maxFileSize?: string;
  includePassed?: boolean;
  color?: boolean;
  quiet?: boolean;
}

const collect = (v: string, prev: string[]): string[] => [
  ...prev,
  ...v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];
const collectRaw = (v: string, prev: string[]): string[] => [...prev, v];

/** `palisade scan`: checks manifests and prints the report. */
export function registerScan(program: Command): void {
  program
    .command('scan')
    .description('scan Kubernetes manifests (files, directories, or - for stdin) for misconfigurations')
    .argument('[paths...]', 'files or directories (.yaml, .yml, .json, recursive); - reads stdin', ['.'])
    .addOption(
      new Option('-o, --output <format[=file]>', `output format, optionally to a file; repeatable (${formatNames().join(', ')})`)
        .argParser(collectRaw)
        .default([]),
    )
    .option('-f, --format <format>', 'shorthand for a single -o FORMAT to stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a failing finding is at or above this severity').choices([...SEVERITIES]))
    .option('-c, --config <file>', `configuration file (default: ./${CONFIG_FILE_NAME} when present)`)
    .addOption(
      new Option('--checks-dir <dir>', 'load custom checks (.js/.mjs modules, .yaml CEL checks) from a directory; repeatable')
        .argParser(collectRaw)
        .default([]),
    )
    .addOption(new Option('--include <checks>', 'only run these checks (ids, names or globs; comma-separated, repeatable)').argParser(collect).default([]))
    .addOption(new Option('--exclude <checks>', 'do not run these checks (ids, names or globs; comma-separated, repeatable)').argParser(collect).default([]))
    .option('--max-file-size <size>', 'skip files larger than this (e.g. 20MB)', '20MB')
    .option('--include-passed', 'list passing results too (JSON, SARIF, JUnit, HTML)')
    .option('--no-color', 'disable colours')
    .option('-q, --quiet', 'do not print diagnostics on stderr')
    .addHelpText(
      'after',
      `
Exit codes:
  0  no failing finding at or above --fail-on (or --fail-on not given)
  1  a failing finding at or above --fail-on
  2  usage or configuration error
  3  runtime error (e.g. a report file cannot be written)

Examples:
  palisade scan deploy/
  helm template my-release ./chart | palisade scan - --fail-on high
  palisade scan k8s/ -o table -o sarif=palisade.sarif -o html=report.html`,
    )
    .action(async (paths: string[], flags: ScanFlags) => {
      const explicitConfig = flags.config !== undefined;
      const config = await loadConfig(flags.config ?? CONFIG_FILE_NAME, explicitConfig);
      const failOnRaw = flags.failOn ?? config.failOn;
      if (failOnRaw !== undefined && !isSeverity(failOnRaw)) throw new PalisadeError('usage', `--fail-on: unknown severity "${failOnRaw}"`);
      const failOn: Severity | undefined = failOnRaw;
      const maxFileSize = flags.maxFileSize !== undefined ? parseSize(flags.maxFileSize) : undefined;
      if (flags.maxFileSize !== undefined && maxFileSize === undefined)
        throw new PalisadeError('usage', `--max-file-size: "${flags.maxFileSize}" is not a size such as 20MB`);
      if (flags.format !== undefined && flags.output.length > 0) throw new PalisadeError('usage', 'use either -f or -o, not both');
      const targets = parseOutputs(flags.format !== undefined ? [flags.format] : flags.output, 'table');
      const dirs = [...config.checksDirs, ...flags.checksDir.map((d) => resolve(d))];
      const custom = await loadCustomChecks(dirs);
      const progress = startProgress();
      progress.update('Loading manifests…');
      let report: Awaited<ReturnType<typeof scan>>;
      try {
        report = await scan(paths, {
          config,
          include: flags.include,
          exclude: flags.exclude,
          extraChecks: custom.checks,
          includePassed: flags.includePassed === true,
          ...(maxFileSize !== undefined && (flags.maxFileSize !== '20MB' || config.maxFileSize === undefined) ? { maxFileSize } : {}),
          onProgress: (_phase, done, total) => progress.update(`Checking ${done}/${total} objects…`),
        });
      } finally {
        progress.done();
      }
      const withCustom = { ...report, diagnostics: [...custom.diagnostics, ...report.diagnostics] };
      if (!flags.quiet) printDiagnostics(withCustom.diagnostics);
      await writeOutputs(withCustom, targets, useColor(flags.color));
      const missing = withCustom.diagnostics.filter((d) => d.code === 'path-not-found');
      if (missing.length > 0 && missing.length === paths.length) process.exitCode = 2;
      else if (failOn && failsGate(withCustom, failOn)) process.exitCode = 1;
    });
}
