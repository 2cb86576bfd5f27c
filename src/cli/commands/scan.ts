import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { CONFIG_FILE_NAME, loadConfig, parseSize } from '../../config/config.js';
import { PalisadeError } from '../../core/errors.js';
import { failsCoverageGate, failsGate } from '../../core/report.js';
import { isSeverity, SEVERITIES, type Severity } from '../../core/types.js';
import { formatNames } from '../../reporters/index.js';
import { loadSource, scanLoaded } from '../../scan.js';
import { loadCustomChecks } from '../../custom/load.js';
import { parseOutputs, useColor, writeOutputs } from '../output.js';
import { startProgress } from '../progress.js';
import { printDiagnostics } from '../diagnostics.js';
import { addSourceOptions, type SourceFlags, sourceFromFlags } from './snapshot.js';
import { collectList, collectRaw } from '../flags.js';

interface ScanFlags extends SourceFlags {
  failOnCoverageBelow?: string;
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

/** `palisade scan`: checks manifests and prints the report. */
export function registerScan(program: Command): void {
  const cmd = program
    .command('scan')
    .description('scan Kubernetes manifests (files, directories, or - for stdin), live clusters or snapshots for misconfigurations')
    .argument('[paths...]', 'files or directories (.yaml, .yml, .json, recursive; default .); - reads stdin')
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
    .addOption(new Option('--include <checks>', 'only run these checks (ids, names or globs; comma-separated, repeatable)').argParser(collectList).default([]))
    .addOption(
      new Option('--exclude <checks>', 'do not run these checks (ids, names or globs; comma-separated, repeatable)').argParser(collectList).default([]),
    )
    .option('--max-file-size <size>', 'skip files larger than this (e.g. 20MB)', '20MB')
    .option('--include-passed', 'list passing results too (JSON, SARIF, JUnit, HTML)')
    .option('--no-color', 'disable colours')
    .option('-q, --quiet', 'do not print diagnostics on stderr')
    .option('--fail-on-coverage-below <percent>', 'exit 1 when less than this share of the cluster could be read (cluster and snapshot scans)');
  addSourceOptions(cmd, { snapshot: true });
  cmd
    .addHelpText(
      'after',
      `
Exit codes:
  0  no failing finding at or above --fail-on (or --fail-on not given)
  1  a failing finding at or above --fail-on, or coverage below --fail-on-coverage-below
  2  usage or configuration error
  3  runtime error (e.g. a report file cannot be written, the cluster cannot be reached)

Examples:
  palisade scan deploy/
  palisade scan --cluster --exclude-namespace kube-system --fail-on-coverage-below 90
  palisade scan --context prod --context staging -o json=fleet.json
  palisade scan --snapshot cluster.snapshot.json.gz
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
      let minCoverage: number | undefined;
      if (flags.failOnCoverageBelow !== undefined) {
        minCoverage = Number(flags.failOnCoverageBelow.replace(/%$/, ''));
        if (flags.failOnCoverageBelow.trim() === '' || !Number.isFinite(minCoverage) || minCoverage < 0 || minCoverage > 100)
          throw new PalisadeError('usage', `--fail-on-coverage-below: "${flags.failOnCoverageBelow}" is not a percentage between 0 and 100`);
      }
      const dirs = [...config.checksDirs, ...flags.checksDir.map((d) => resolve(d))];
      const custom = await loadCustomChecks(dirs);
      const progress = startProgress();
      const source = sourceFromFlags(paths, flags, progress);
      progress.update(source.kind === 'files' ? 'Loading manifests…' : source.kind === 'snapshot' ? 'Reading snapshot…' : 'Connecting…');
      let report: ReturnType<typeof scanLoaded>;
      try {
        const useMaxFileSize = maxFileSize !== undefined && (flags.maxFileSize !== '20MB' || config.maxFileSize === undefined);
        const loaded = await loadSource(source, { config, ...(useMaxFileSize ? { maxFileSize } : {}) });
        report = scanLoaded(loaded, {
          config,
          include: flags.include,
          exclude: flags.exclude,
          extraChecks: custom.checks,
          includePassed: flags.includePassed === true,
          onProgress: (_phase, done, total) => progress.update(`Checking ${done}/${total} objects…`),
        });
      } finally {
        progress.done();
      }
      const withCustom = { ...report, diagnostics: [...custom.diagnostics, ...report.diagnostics] };
      if (!flags.quiet) printDiagnostics(withCustom.diagnostics);
      await writeOutputs(withCustom, targets, useColor(flags.color));
      const missing = withCustom.diagnostics.filter((d) => d.code === 'path-not-found');
      const coverageFails = minCoverage !== undefined && failsCoverageGate(withCustom, minCoverage);
      if (coverageFails) process.stderr.write(`palisade: coverage ${withCustom.coverage?.percent ?? 100}% is below --fail-on-coverage-below ${minCoverage}\n`);
      if (source.kind === 'files' && missing.length > 0 && missing.length === source.paths.length) process.exitCode = 2;
      else if ((failOn && failsGate(withCustom, failOn)) || coverageFails) process.exitCode = 1;
    });
}
