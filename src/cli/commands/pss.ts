import { type Command, Option } from 'commander';
import { parseSize } from '../../config/config.js';
import { PalisadeError } from '../../core/errors.js';
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
  version: string;
  format: string;
  maxFileSize: string;
  color?: boolean;
  quiet?: boolean;
}

/** `palisade pss`: would the Pod Security admission controller admit these workloads? */
export function registerPss(program: Command): void {
  // `pss --version v1.30` must reach the subcommand, not print Palisade's version: the root
  // program's options then have to come before the subcommand (`palisade -v` still works).
  program.enablePositionalOptions();
  const cmd = program
    .command('pss')
    .description('evaluate workloads against a Pod Security Standards level, as the PodSecurity admission controller would')
    .argument('[paths...]', 'files or directories (.yaml, .yml, .json, recursive; default .); - reads stdin')
    .addOption(new Option('-l, --level <level>', 'Pod Security Standards level').choices(['baseline', 'restricted', 'privileged']).makeOptionMandatory())
    .option('--version <version>', `policy version: latest (= ${NEWEST_VERSION}) or v1.N, as in pod-security.kubernetes.io/enforce-version`, 'latest')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--max-file-size <size>', 'skip files larger than this (e.g. 20MB)', '20MB')
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
  1  at least one object is denied
  2  usage error (unknown level, malformed version, no such path)
  3  runtime error

Examples:
  palisade pss deploy/ --level restricted
  palisade pss deploy/ --level baseline --version v1.30 -f json
  palisade pss --cluster --level restricted          # the workloads of the current context
  palisade pss --snapshot cluster.snapshot.json.gz --level baseline
  helm template my-release ./chart | palisade pss - --level restricted`,
    )
    .action(async (paths: string[], flags: PssFlags) => {
      const level = parsePssLevel(flags.level);
      const version = parsePolicyVersion(flags.version);
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
      const missing = diagnostics.filter((d) => d.code === 'path-not-found');
      if (missing.length > 0 && missing.length === paths.length) process.exitCode = 2;
      else if (report.summary.denied > 0) process.exitCode = 1;
    });
}
