import { readFile } from 'node:fs/promises';
import { writeSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { builtinChecks } from '../../checks/index.js';
import { CONFIG_FILE_NAME, loadConfig } from '../../config/config.js';
import { loadFrameworkFile } from '../../config/frameworks.js';
import { didYouMean } from '../../config/suggest.js';
import type { CheckMeta } from '../../core/check.js';
import type { StatusCounts } from '../../core/engine.js';
import { PalisadeError } from '../../core/errors.js';
import { isObject } from '../../core/object.js';
import type { Finding } from '../../core/types.js';
import { type ComplianceInput, complianceReport } from '../../frameworks/compliance.js';
import { BUILTIN_FRAMEWORKS, checksFor, type Framework, findFramework, frameworkNames } from '../../frameworks/index.js';
import { detectPlatform } from '../../frameworks/platform.js';
import { collectNodeFacts, type NodeProfile, parseProfiles } from '../../node/collect.js';
import { complianceReporters } from '../../reporters/compliance.js';
import { type LoadedSource, loadSource, scanInventory, scanLoaded } from '../../scan.js';
import { printDiagnostics } from '../diagnostics.js';
import { collectList, collectRaw } from '../flags.js';
import { finishTarget, type OpenOutputs, openOutputs, type OutputTarget, useColor } from '../output.js';
import { startProgress } from '../progress.js';
import { addSourceOptions, type SourceFlags, sourceFromFlags } from './snapshot.js';
import { Inventory } from '../../core/inventory.js';

interface ComplianceFlags extends SourceFlags {
  framework: string[];
  frameworkFile: string[];
  nodeResults: string[];
  nodeRoot?: string;
  profile: string[];
  output: string[];
  format: string[];
  config?: string;
  list?: boolean;
  failUnder?: string;
  kubeletConfig: boolean;
  color?: boolean;
  quiet?: boolean;
}

/** Parses `-o FORMAT[=FILE]` against the compliance formats. */
function parseTargets(values: readonly string[]): OutputTarget[] {
  const names = Object.keys(complianceReporters);
  const out = (values.length > 0 ? values : ['table']).map((v) => {
    const eq = v.indexOf('=');
    const format = (eq === -1 ? v : v.slice(0, eq)).trim();
    const file = eq === -1 ? undefined : v.slice(eq + 1).trim();
    if (!complianceReporters[format])
      throw new PalisadeError('usage', `unknown compliance format "${format}"${didYouMean(format, names)} (available: ${names.join(', ')})`);
    if (file === '') throw new PalisadeError('usage', `-o ${v}: missing file name after "="`);
    return file === undefined || file === '-' ? { format } : { format, file };
  });
  if (out.filter((o) => o.file === undefined).length > 1)
    throw new PalisadeError('usage', 'only one output can go to stdout; write the others with -o FORMAT=FILE');
  return out;
}

/** The parts of a `palisade node -f json` (or `palisade scan -f json`) report the compliance view reads. */
async function readNodeResults(file: string): Promise<ComplianceInput> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new PalisadeError(
      code === 'ENOENT' ? 'config-not-found' : 'config-invalid',
      `${file}: cannot read node results (${code ?? (err instanceof Error ? err.message : String(err))})`,
      { file },
    );
  }
  if (
    !isObject(raw) ||
    !isObject(raw.tool) ||
    raw.tool.name !== 'palisade' ||
    !Array.isArray(raw.checks) ||
    !Array.isArray(raw.findings) ||
    !isObject(raw.perCheck)
  )
    throw new PalisadeError('config-invalid', `${file}: not a Palisade JSON report (write one with palisade node -f json)`, { file });
  return {
    checks: raw.checks as unknown as CheckMeta[],
    perCheck: raw.perCheck as unknown as Record<string, StatusCounts>,
    findings: raw.findings as unknown as Finding[],
    sources: Array.isArray(raw.sources) ? raw.sources.filter((s): s is string => typeof s === 'string') : [file],
    generatedAt: typeof raw.generatedAt === 'string' ? raw.generatedAt : '',
  };
}

/** Joins several scans' results: checks by id, counts summed, findings concatenated. */
function mergeInputs(inputs: readonly ComplianceInput[]): ComplianceInput {
  const checks = new Map<string, CheckMeta>();
  const perCheck: Record<string, StatusCounts> = {};
  for (const i of inputs) {
    for (const c of i.checks) if (!checks.has(c.id)) checks.set(c.id, c);
    for (const [id, n] of Object.entries(i.perCheck)) {
      const a = perCheck[id] ?? { pass: 0, fail: 0, exempt: 0, error: 0 };
      perCheck[id] = { pass: a.pass + n.pass, fail: a.fail + n.fail, exempt: a.exempt + n.exempt, error: a.error + n.error };
    }
  }
  const platform = inputs.find((i) => i.platform)?.platform;
  return {
    checks: [...checks.values()],
    perCheck,
    findings: inputs.flatMap((i) => i.findings),
    sources: inputs.flatMap((i) => i.sources),
    generatedAt: inputs[0]?.generatedAt ?? new Date().toISOString(),
    ...(platform ? { platform } : {}),
  };
}

function writeTargets(outputs: OpenOutputs, render: (format: string, color: boolean) => string, color: boolean): void {
  for (const t of outputs.targets) {
    const text = render(t.format, t.file === undefined && color);
    if (t.fd === undefined || t.file === undefined) {
      process.stdout.write(text);
      continue;
    }
    try {
      writeSync(t.fd, text);
      finishTarget(t);
    } catch (err) {
      outputs.abandon();
      throw new PalisadeError('io', `cannot write ${t.format} report to ${t.file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
}

/** `palisade compliance`: each control of a framework with its status, evidence and a score. */
export function registerCompliance(program: Command): void {
  const cmd = program
    .command('compliance')
    .description('report compliance with CIS Kubernetes, NSA/CISA, Pod Security Standards, MITRE ATT&CK, SOC 2 or your own framework, control by control')
    .argument('[paths...]', 'files or directories to scan (default . unless --cluster, --snapshot, --node-results or --node-root is given)')
    .addOption(
      new Option('--framework <name>', `framework to report (repeatable; default cis-1.12): ${BUILTIN_FRAMEWORKS.map((f) => f.id).join(', ')}`)
        .argParser(collectList)
        .default([]),
    )
    .addOption(
      new Option('--framework-file <file>', 'load a user-defined framework from a YAML file (repeatable); select it with --framework ID')
        .argParser(collectRaw)
        .default([]),
    )
    .addOption(
      new Option('--node-results <file>', 'merge the JSON report of palisade node (repeatable: one per node) into the report')
        .argParser(collectRaw)
        .default([]),
    )
    .option('--node-root <dir>', 'also collect the node facts under this root (as palisade node --root) into the same scan')
    .addOption(
      new Option('--profile <profile>', 'with --node-root: master, etcd, worker (comma-separated; default: detected)').argParser(collectList).default([]),
    )
    .addOption(
      new Option('-o, --output <format[=file]>', `output format, optionally to a file; repeatable (${Object.keys(complianceReporters).join(', ')})`)
        .argParser(collectRaw)
        .default([]),
    )
    .addOption(new Option('-f, --format <format>', 'shorthand for a single -o FORMAT to stdout').argParser(collectRaw).default([]))
    .option('-c, --config <file>', `configuration file, for exceptions (default: ./${CONFIG_FILE_NAME} when present)`)
    .option('--no-kubelet-config', "with --cluster: do not read each node's kubelet configuration through nodes/<name>/proxy/configz")
    .option('--fail-under <score>', 'exit 1 when a framework scores below this percentage')
    .option('--list', 'list the frameworks and exit')
    .option('--no-color', 'disable colours')
    .option('-q, --quiet', 'do not print diagnostics on stderr');
  addSourceOptions(cmd, { snapshot: true });
  cmd
    .addHelpText(
      'after',
      `
Statuses: pass, fail, error (could not be assessed, e.g. forbidden data), manual (needs a
person, or was not visible in the input), not-applicable (nothing to judge, or managed by the
provider on EKS/GKE/AKS). Score = pass / (pass + fail + error), in percent (docs/compliance.md).

Exit codes:
  0  the report was written (and every score is at or above --fail-under)
  1  a score below --fail-under
  2  usage or configuration error (unknown framework, invalid framework file or node results)
  3  runtime error (the cluster cannot be reached, a report cannot be written)

Examples:
  palisade compliance --cluster --framework cis-1.12
  palisade compliance --snapshot cluster.snapshot.json.gz --framework nsa-1.2 --framework pss-restricted -o html=report.html
  palisade node --root /host -f json > node.json && palisade compliance --cluster --node-results node.json
  palisade compliance deploy/ --framework-file docs/examples/frameworks/nist-800-190.yaml --framework nist-800-190 -f csv`,
    )
    .action(async (paths: string[], flags: ComplianceFlags) => {
      const config = await loadConfig(flags.config ?? CONFIG_FILE_NAME, flags.config !== undefined);
      const user: Framework[] = [];
      for (const f of flags.frameworkFile) user.push(await loadFrameworkFile(f, builtinChecks));
      const all = [...BUILTIN_FRAMEWORKS, ...user];
      if (flags.list) {
        for (const f of all)
          process.stdout.write(`${f.id.padEnd(18)} ${f.title} ${f.version} (${f.controls.length} controls)${f.origin ? `  [${f.origin}]` : ''}\n`);
        return;
      }
      if (flags.format.length > 0 && flags.output.length > 0) throw new PalisadeError('usage', 'use either -f or -o, not both');
      if (flags.format.length > 1) throw new PalisadeError('usage', '-f/--format given more than once; use -o FORMAT[=FILE] for several outputs');
      const targets = parseTargets(flags.format.length > 0 ? flags.format : flags.output);
      const names = flags.framework.length > 0 ? flags.framework : ['cis-1.12'];
      const frameworks = names.map((n) => {
        const f = findFramework(n, all);
        if (!f) throw new PalisadeError('usage', `--framework: "${n}" names no framework${didYouMean(n, frameworkNames(all))}; run palisade compliance --list`);
        return f;
      });
      let failUnder: number | undefined;
      if (flags.failUnder !== undefined) {
        failUnder = Number(flags.failUnder.replace(/%$/, ''));
        if (flags.failUnder.trim() === '' || !Number.isFinite(failUnder) || failUnder < 0 || failUnder > 100)
          throw new PalisadeError('usage', `--fail-under: "${flags.failUnder}" is not a percentage between 0 and 100`);
      }
      let profiles: NodeProfile[] | undefined;
      if (flags.profile.length > 0) {
        if (flags.nodeRoot === undefined) throw new PalisadeError('usage', '--profile applies to --node-root only');
        profiles = parseProfiles(flags.profile);
      }
      const nodeInputs: ComplianceInput[] = [];
      for (const f of flags.nodeResults) nodeInputs.push(await readNodeResults(f));
      // Every check that covers a control of the chosen frameworks runs, once, in one scan.
      const include = builtinChecks.filter((c) => frameworks.some((f) => f.controls.some((k) => checksFor(f, k, [c]).length > 0))).map((c) => c.id);
      const outputs = await openOutputs(targets);
      const sourceGiven = paths.length > 0 || flags.cluster === true || flags.context.length > 0 || flags.allContexts === true || flags.snapshot !== undefined;
      const inputs: ComplianceInput[] = [];
      try {
        const progress = startProgress();
        let loaded: LoadedSource[] = [];
        try {
          if (sourceGiven || (flags.nodeResults.length === 0 && flags.nodeRoot === undefined)) {
            const spec = sourceFromFlags(paths, flags, progress);
            const withKubelet = spec.kind === 'cluster' ? { ...spec, options: { ...spec.options, kubeletConfigs: flags.kubeletConfig !== false } } : spec;
            loaded = await loadSource(withKubelet, { config });
          }
        } finally {
          progress.done();
        }
        // A report on nothing would list every control as not assessed and exit 0: say so instead.
        const fromFiles = loaded.length > 0 && loaded.every((l) => l.cluster === undefined);
        if (fromFiles && loaded.every((l) => l.inventory.size === 0) && flags.nodeResults.length === 0 && flags.nodeRoot === undefined)
          throw new PalisadeError('usage', `nothing to report on: no Kubernetes object found in ${paths.length > 0 ? paths.join(', ') : '.'}`);
        const diagnostics = loaded.flatMap((l) => l.diagnostics);
        if (!flags.quiet) printDiagnostics(diagnostics);
        const platform = loaded.map((l) => detectPlatform(l.inventory, l.cluster?.kubernetesVersion)).find((p) => p !== undefined);
        if (include.length > 0 && loaded.length > 0) {
          const report = scanLoaded(loaded, { config, include });
          inputs.push({ ...report, ...(platform ? { platform } : {}) });
        }
        if (flags.nodeRoot !== undefined) {
          const facts = await collectNodeFacts({ root: flags.nodeRoot, ...(profiles ? { profiles } : {}) });
          if (!flags.quiet) printDiagnostics(facts.diagnostics);
          const inventory = new Inventory();
          for (const object of facts.objects) inventory.add({ object });
          if (include.length > 0) inputs.push(scanInventory(inventory, { config, include, sources: [`node:${facts.root}`] }));
        }
      } catch (err) {
        outputs.abandon();
        throw err;
      }
      const input = mergeInputs([...inputs, ...nodeInputs]);
      const reports = frameworks.map((f) => complianceReport(f, input));
      writeTargets(outputs, (format, color) => complianceReporters[format]?.render(reports, { color }) ?? '', useColor(flags.color));
      const low = failUnder === undefined ? [] : reports.filter((r) => r.summary.score !== null && r.summary.score < failUnder);
      for (const r of low) process.stderr.write(`palisade: ${r.framework.id} scores ${r.summary.score}%, below --fail-under ${failUnder}\n`);
      process.exitCode = low.length > 0 ? 1 : 0;
    });
}
