import { type Command, Option } from 'commander';
import { parseSize } from '../../config/config.js';
import { PalisadeError } from '../../core/errors.js';
import { describeIncomplete, incompleteOf } from '../../core/report.js';
import { pssReport } from '../../pss/report.js';
import { renderPssJson, renderPssTable } from '../../reporters/pss.js';
import { NEWEST_VERSION } from '../../pss/registry.js';
import { parsePolicyVersion, parsePssLevel } from '../../pss/version.js';
import { loadSource } from '../../scan.js';
import { printDiagnostics } from '../diagnostics.js';
import { useColor } from '../output.js';
import { startProgress } from '../progress.js';
import { addSourceOptions, type SourceFlags, sourceFromFlags } from './snapshot.js';

interface PssFlags extends SourceFlags {
  level: string;
  pssVersion: string;
  /** The former name of --pss-version, still accepted after the subcommand. */
  version?: string;
  allowIncomplete?: boolean;
  format: string;
  maxFileSize: string;
  color?: boolean;
  quiet?: boolean;
}

/** `palisade pss`: would the Pod Security admission controller admit these workloads? */
export function registerPss(program: Command): void {
  // The policy version is --pss-version: --version is Palisade's own. The old spelling
  // `pss --version v1.30` still reaches the subcommand because the root program's options have
  // to come before the subcommand (`palisade -v` still works).
  program.enablePositionalOptions();
  const cmd = program
    .command('pss')
    .description('evaluate workloads against a Pod Security Standards level, as the PodSecurity admission controller would')
    .argument('[paths...]', 'files or directories (.yaml, .yml, .json, recursive; default .); - reads stdin')
    .addOption(new Option('-l, --level <level>', 'Pod Security Standards level').choices(['baseline', 'restricted', 'privileged']).makeOptionMandatory())
    .option('--pss-version <version>', `policy version: latest (= ${NEWEST_VERSION}) or v1.N, as in pod-security.kubernetes.io/enforce-version`, 'latest')
    .addOption(new Option('--version <version>', 'former name of --pss-version').hideHelp())
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--max-file-size <size>', 'skip files (and stdin, rendered charts) larger than this (e.g. 20MB)', '20MB')
    .option('--allow-incomplete', 'exit 0 when every object read is allowed although some input could not be read')
    .option('--no-color', 'disable colours')
    .option('-q, --quiet', 'do not print diagnostics on stderr');
  addSourceOptions(cmd, { snapshot: true });
  cmd
    .addHelpText(
      'after',
      `
Every object that carries a pod spec (Pods, Deployments, StatefulSets, DaemonSets,
ReplicaSets, Jobs, CronJobs, ReplicationControllers, PodTemplates and custom resources
with a pod template) is evaluated with the rules of pod-security-admission at the given
policy version. Versions above ${NEWEST_VERSION} are clamped to it, as the API server does;
1.N is accepted as well as v1.N, but namespace labels need the v1.N form.

Exit codes:
  0  every object is allowed
  1  at least one object is denied, or some input could not be read (parse errors, skipped,
     missing or unreadable files, unrendered charts) and --allow-incomplete is not given
  2  usage error (unknown level, malformed version), or no Kubernetes object was read
  3  runtime error

Examples:
  palisade pss deploy/ --level restricted
  palisade pss deploy/ --level baseline --pss-version v1.30 -f json
  palisade pss --cluster --level restricted          # the workloads of the current context
  palisade pss --snapshot cluster.snapshot.json.gz --level baseline
  helm template my-release ./chart | palisade pss - --level restricted`,
    )
    .action(async (paths: string[], flags: PssFlags) => {
      const level = parsePssLevel(flags.level);
      if (flags.version !== undefined && cmd.getOptionValueSource('pssVersion') === 'cli' && flags.version !== flags.pssVersion)
        throw new PalisadeError('usage', `--version ${flags.version} and --pss-version ${flags.pssVersion} disagree; give --pss-version only`);
      const version = parsePolicyVersion(flags.version ?? flags.pssVersion);
      const maxFileSize = parseSize(flags.maxFileSize);
      if (maxFileSize === undefined) throw new PalisadeError('usage', `--max-file-size: "${flags.maxFileSize}" is not a size such as 20MB`);
      const progress = startProgress();
      let loaded: Awaited<ReturnType<typeof loadSource>>;
      try {
        loaded = await loadSource(sourceFromFlags(paths, flags, progress), { maxFileSize });
      } finally {
        progress.done();
      }
      const diagnostics = loaded.flatMap((l) => l.diagnostics);
      if (!flags.quiet) printDiagnostics(diagnostics);
      const report = pssReport(
        loaded.flatMap((l) => l.inventory.all.filter((r) => !l.inventory.workloadOwnerOf(r))),
        level,
        version,
      );
      process.stdout.write(flags.format === 'json' ? renderPssJson(report) : renderPssTable(report, useColor(flags.color)));
      const fromFiles = loaded.every((l) => l.cluster === undefined);
      const read = loaded.reduce((n, l) => n + l.inventory.size, 0);
      const incomplete = incompleteOf(loaded.flatMap((l) => l.incomplete ?? []));
      if (fromFiles && read === 0) {
        process.stderr.write('palisade: nothing was checked: no Kubernetes object found in the given paths\n');
        process.exitCode = 2;
      } else if (report.summary.denied > 0) process.exitCode = 1;
      else if (incomplete && !flags.allowIncomplete) {
        process.stderr.write(`palisade: ${describeIncomplete(incomplete)}; fix the input or pass --allow-incomplete\n`);
        process.exitCode = 1;
      }
    });
}
