import { type Command, Option } from 'commander';
import { builtinChecks } from '../../checks/index.js';
import { CONFIG_FILE_NAME, loadConfig } from '../../config/config.js';
import { PalisadeError } from '../../core/errors.js';
import { Inventory } from '../../core/inventory.js';
import { SEVERITIES, type Severity } from '../../core/types.js';
import { collectNodeFacts, NODE_PROFILES, type NodeProfile, parseProfiles } from '../../node/collect.js';
import { formatNames } from '../../reporters/index.js';
import { gateVerdict, scanInventory } from '../../scan.js';
import { printDiagnostics } from '../diagnostics.js';
import { collectList, collectRaw } from '../flags.js';
import { openOutputs, parseOutputs, useColor, writeOutputs } from '../output.js';

interface NodeFlags {
  root: string;
  proc?: string;
  profile: string[];
  output: string[];
  format: string[];
  failOn?: Severity;
  config?: string;
  color?: boolean;
  quiet?: boolean;
}

/** The checks of node facts and control-plane flags: the ones `palisade node` runs. */
export const NODE_CATEGORIES: readonly string[] = ['node', 'control-plane'];

/** `palisade node`: CIS sections 1-4 on the node itself, as kube-bench does. */
export function registerNode(program: Command): void {
  program
    .command('node')
    .description("check this node's Kubernetes files, processes, kubelet configuration and certificates (CIS sections 1-4)")
    .option('--root <dir>', "the node's root filesystem (mounted read-only, e.g. /host, in a pod)", '/')
    .option('--proc <dir>', 'where the processes are listed (default <root>/proc; /proc in a pod with hostPID: true)')
    .addOption(
      new Option('--profile <profile>', `which checks apply: ${NODE_PROFILES.join(', ')} (comma-separated; default: detected from processes and files)`)
        .argParser(collectList)
        .default([]),
    )
    .addOption(
      new Option('-o, --output <format[=file]>', `output format, optionally to a file; repeatable (${formatNames().join(', ')})`)
        .argParser(collectRaw)
        .default([]),
    )
    .addOption(new Option('-f, --format <format>', 'shorthand for a single -o FORMAT to stdout').argParser(collectRaw).default([]))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a failing finding is at or above this severity').choices([...SEVERITIES]))
    .option('-c, --config <file>', `configuration file, for exceptions and severities (default: ./${CONFIG_FILE_NAME} when present)`)
    .option('--no-color', 'disable colours')
    .option('-q, --quiet', 'do not print diagnostics on stderr')
    .addHelpText(
      'after',
      `
Reads, never writes: file modes and owners (owners resolved through the node's own
/etc/passwd and /etc/group), the arguments of kubelet, kube-apiserver, kube-controller-manager,
kube-scheduler, etcd and kube-proxy from /proc/<pid>/cmdline, the kubelet configuration file
merged with the kubelet's flags, the static Pod manifests, certificates and their expiry, and
the encryption and audit policy files the API server names. docs/node.md lists every path.

Merge node results into a cluster report with palisade compliance --node-results FILE.

Exit codes:
  0  no failing finding at or above --fail-on (or --fail-on not given)
  1  a failing finding at or above --fail-on
  2  usage error (unknown profile, unreadable --root)
  3  runtime error (a report cannot be written)

Examples:
  sudo palisade node --fail-on high
  palisade node --root /host --proc /proc -f json > node.json     # in a pod, see deploy/node/job.yaml
  palisade node --root /host --profile worker -o junit=node.xml`,
    )
    .action(async (flags: NodeFlags) => {
      const config = await loadConfig(flags.config ?? CONFIG_FILE_NAME, flags.config !== undefined);
      if (flags.format.length > 0 && flags.output.length > 0) throw new PalisadeError('usage', 'use either -f or -o, not both');
      if (flags.format.length > 1) throw new PalisadeError('usage', '-f/--format given more than once; use -o FORMAT[=FILE] for several outputs');
      const targets = parseOutputs(flags.format.length > 0 ? flags.format : flags.output, 'table');
      const profiles: NodeProfile[] | undefined = flags.profile.length > 0 ? parseProfiles(flags.profile) : undefined;
      const outputs = await openOutputs(targets);
      let report: ReturnType<typeof scanInventory>;
      try {
        const facts = await collectNodeFacts({
          root: flags.root,
          ...(flags.proc !== undefined ? { proc: flags.proc } : {}),
          ...(profiles ? { profiles } : {}),
        });
        const inventory = new Inventory();
        for (const object of facts.objects) inventory.add({ object });
        const include = builtinChecks.filter((c) => NODE_CATEGORIES.includes(c.category)).map((c) => c.id);
        report = scanInventory(inventory, {
          config,
          include,
          sources: [`node:${facts.hostname}${facts.root === '/' ? '' : ` (root ${facts.root})`}`],
          diagnostics: facts.diagnostics,
        });
      } catch (err) {
        outputs.abandon();
        throw err;
      }
      if (!flags.quiet) printDiagnostics(report.diagnostics);
      writeOutputs(report, outputs, useColor(flags.color));
      const verdict = gateVerdict(report, { ...(flags.failOn ? { failOn: flags.failOn } : {}), allowIncomplete: false });
      for (const reason of verdict.reasons) process.stderr.write(`palisade: ${reason}\n`);
      process.exitCode = verdict.exitCode;
    });
}
