import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { CONFIG_FILE_NAME, loadConfig } from '../../config/config.js';
import { PalisadeError } from '../../core/errors.js';
import { isObject } from '../../core/object.js';
import { SEVERITIES, type ResourceRef, type Severity } from '../../core/types.js';
import { loadCustomChecks } from '../../custom/load.js';
import { unifiedDiff } from '../../fix/diff.js';
import { kubectlPatches, kustomizeOverlay } from '../../fix/emit.js';
import { type FixOutcome, objectKey, type ObjectFix } from '../../fix/fix.js';
import { fixLoaded } from '../../fix-run.js';
import { loadSource, prepareChecks } from '../../scan.js';
import { printDiagnostics } from '../diagnostics.js';
import { collectList, collectRaw } from '../flags.js';
import { startProgress } from '../progress.js';
import { addSourceOptions, type SourceFlags, sourceFromFlags } from './snapshot.js';

interface FixFlags extends SourceFlags {
  dryRun?: boolean;
  unsafeFixes?: boolean;
  emit?: string[];
  minSeverity?: Severity;
  config?: string;
  checksDir: string[];
  include: string[];
  exclude: string[];
  values: string[];
  set: string[];
  quiet?: boolean;
  k8sVersion?: string;
}

const EDITABLE = new Set(['.yaml', '.yml', '.json']);

/** Reads a manifest that may be edited in place: a regular file with a manifest extension. */
function readEditable(file: string): string | undefined {
  if (file.startsWith('<') || !EDITABLE.has(extname(file).toLowerCase())) return undefined;
  try {
    if (!statSync(file).isFile()) return undefined;
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function describe(ref: ResourceRef): string {
  return `${ref.cluster ? `${ref.cluster}: ` : ''}${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** `palisade fix`: applies the proven fixes of failing findings to manifests, or prints them as patches. */
export function registerFix(program: Command): void {
  const cmd = program
    .command('fix')
    .description('fix failing findings in the manifests themselves (comments and layout kept), each fix proven by a rescan')
    .argument('[paths...]', 'files or directories (.yaml, .yml, .json, recursive; default .); - reads stdin (needs --emit or --dry-run)')
    .option('--dry-run', 'print the changes as a unified diff instead of writing the files')
    .option('--unsafe-fixes', 'also apply fixes marked "review" (they may change how the workload runs, e.g. a read-only root filesystem)')
    .addOption(
      new Option('--emit <kind...>', 'write the fixes as patches instead of editing files: "kustomize DIR" (an overlay) or "kubectl" (patch commands)'),
    )
    .addOption(new Option('--min-severity <severity>', 'only fix findings at or above this severity').choices([...SEVERITIES]))
    .option('-c, --config <file>', `configuration file (default: ./${CONFIG_FILE_NAME} when present); its exceptions are not fixed`)
    .addOption(
      new Option('--checks-dir <dir>', 'load custom checks (.js/.mjs modules, .yaml CEL checks) from a directory; repeatable')
        .argParser(collectRaw)
        .default([]),
    )
    .addOption(
      new Option('--include <checks>', 'only fix the findings of these checks (ids, names or globs; comma-separated)').argParser(collectList).default([]),
    )
    .addOption(
      new Option('--exclude <checks>', 'do not fix the findings of these checks (ids, names or globs; comma-separated)').argParser(collectList).default([]),
    )
    .addOption(new Option('--values <file>', 'values file for helm template when a path is a Helm chart; repeatable').argParser(collectRaw).default([]))
    .addOption(new Option('--set <key=value>', 'value for helm template when a path is a Helm chart; repeatable').argParser(collectRaw).default([]))
    .option('--k8s-version <version>', 'Kubernetes version the manifests target, e.g. v1.29')
    .option('-q, --quiet', 'do not print the summary and diagnostics on stderr');
  addSourceOptions(cmd, { snapshot: false });
  cmd.option('--default-namespace <ns>', 'namespace that manifest objects without metadata.namespace will be applied to');
  cmd
    .addHelpText(
      'after',
      `
Every fix is proven: after applying it, the sources are scanned again by the same engine; the
fixed finding must be gone and no new finding may appear, otherwise the object's edits are
rolled back and the finding is listed as not fixable automatically, with its remediation.

Exit codes:
  0  every selected fixable finding was fixed (or there was nothing to fix)
  1  some fixable findings could not be fixed automatically (listed on stderr with the remediation)
  2  usage or configuration error (unknown check names, --cluster without --emit kubectl, ...)
  3  runtime error (a file cannot be written, the cluster cannot be reached)

Examples:
  palisade fix deploy/                      # edit the manifests in place
  palisade fix deploy/ --dry-run            # show the diff only
  palisade fix deploy/ --unsafe-fixes --include writable-root-filesystem
  helm template web ./chart | palisade fix - --emit kustomize overlay/
  palisade fix --cluster --emit kubectl > fixes.sh   # review, then run`,
    )
    .action(async (paths: string[], flags: FixFlags) => {
      const explicitConfig = flags.config !== undefined;
      const config = await loadConfig(flags.config ?? CONFIG_FILE_NAME, explicitConfig);
      const emit = parseEmit(flags.emit);
      const dirs = [...config.checksDirs, ...flags.checksDir.map((d) => resolve(d))];
      const custom = await loadCustomChecks(dirs);
      const options = {
        config,
        include: flags.include,
        exclude: flags.exclude,
        extraChecks: custom.checks,
        ...(flags.values.length > 0 ? { helmValues: flags.values } : {}),
        ...(flags.set.length > 0 ? { helmSet: flags.set } : {}),
        ...(flags.k8sVersion !== undefined ? { kubernetesVersion: flags.k8sVersion } : {}),
        ...(flags.unsafeFixes ? { unsafe: true } : {}),
        ...(flags.minSeverity ? { minSeverity: flags.minSeverity } : {}),
      };
      prepareChecks(options);
      const source = sourceFromFlags(paths, flags);
      if (source.kind === 'cluster' && emit?.kind !== 'kubectl')
        throw new PalisadeError('usage', 'a live cluster is never changed by palisade: use --cluster with --emit kubectl to print kubectl patch commands');
      // stdin is read once and kept: the overlay needs the unchanged source beside its patches.
      let stdinText: string | undefined;
      const readStdin = async (): Promise<string> => {
        const chunks: Buffer[] = [];
        for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
        stdinText = Buffer.concat(chunks).toString('utf8');
        return stdinText;
      };
      const progress = startProgress();
      const loaded = await (async () => {
        try {
          progress.update(source.kind === 'files' ? 'Loading manifests…' : 'Connecting…');
          return await loadSource(source, { ...options, readStdin });
        } finally {
          progress.done();
        }
      })();
      // Files are edited in place unless patches are asked for.
      const readText = emit === undefined ? readEditable : () => undefined;
      const run = fixLoaded(loaded, { ...options, readText });
      const diagnostics = [...custom.diagnostics, ...run.report.diagnostics];
      if (!flags.quiet) printDiagnostics(diagnostics);
      const outcomes = run.outcomes;
      const objects = outcomes.flatMap((o) => o.objects);
      if (emit?.kind === 'kustomize') {
        const resources: string[] = [];
        if (stdinText !== undefined && !flags.dryRun) {
          writeOut(join(emit.dir, 'source.yaml'), stdinText);
          resources.push('source.yaml');
        }
        const files = kustomizeOverlay(objects, resources);
        for (const [name, text] of files) {
          if (flags.dryRun) process.stdout.write(`# ${join(emit.dir, name)}\n${text}`);
          else writeOut(join(emit.dir, name), text);
        }
        if (!flags.quiet && stdinText === undefined)
          process.stderr.write(`palisade: add the unchanged source (the rendered manifests) to resources: in ${join(emit.dir, 'kustomization.yaml')}\n`);
      } else if (emit?.kind === 'kubectl') {
        const byKey = new Map(loaded.flatMap((l) => l.inventory.all.map((r) => [objectKey(r.ref, r.location?.file), r] as const)));
        process.stdout.write(kubectlPatches(objects, (o) => unreadOwner(o, byKey)));
      } else {
        for (const change of outcomes.flatMap((o) => o.files)) {
          if (flags.dryRun) process.stdout.write(unifiedDiff(change.before, change.after, change.file));
          else writeOut(change.file, change.after);
        }
        const unedited = objects.filter((o) => !o.inPlace);
        if (unedited.length > 0 && !flags.quiet)
          process.stderr.write(
            `palisade: ${unedited.length} object${unedited.length === 1 ? '' : 's'} from rendered sources (${[...new Set(unedited.map((o) => o.file ?? 'cluster'))].join(', ')}) cannot be edited in place: use --emit kustomize DIR\n`,
          );
      }
      if (!flags.quiet) printSummary(outcomes, flags.dryRun === true || emit !== undefined);
      process.exitCode = outcomes.some((o) => o.notFixed.length > 0) ? 1 : 0;
    });
}

function parseEmit(values: string[] | undefined): { kind: 'kustomize'; dir: string } | { kind: 'kubectl' } | undefined {
  if (values === undefined) return undefined;
  const [kind, dir, ...rest] = values;
  if (kind === 'kustomize') {
    if (dir === undefined || rest.length > 0) throw new PalisadeError('usage', '--emit kustomize takes one directory: --emit kustomize DIR');
    return { kind, dir };
  }
  if (kind === 'kubectl') {
    if (dir !== undefined) throw new PalisadeError('usage', '--emit kubectl takes no argument (redirect the output to a file)');
    return { kind };
  }
  throw new PalisadeError('usage', `--emit: "${values.join(' ')}" is not "kustomize DIR" or "kubectl"`);
}

function writeOut(file: string, text: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  } catch (err) {
    throw new PalisadeError('io', `${file}: cannot write (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

/** The controller of a live object when that controller was not read (so its template could not be checked). */
function unreadOwner(o: ObjectFix, byKey: ReadonlyMap<string, { readonly object: Readonly<Record<string, unknown>> }>): ResourceRef | undefined {
  const r = byKey.get(objectKey(o.resource, o.file));
  const meta = r && isObject(r.object.metadata) ? r.object.metadata : undefined;
  const owners = Array.isArray(meta?.ownerReferences) ? meta.ownerReferences : [];
  const controller = owners.find((x) => isObject(x) && x.controller === true);
  if (!isObject(controller) || typeof controller.kind !== 'string' || typeof controller.name !== 'string') return undefined;
  return { apiVersion: typeof controller.apiVersion === 'string' ? controller.apiVersion : '', kind: controller.kind, name: controller.name };
}

function printSummary(outcomes: readonly FixOutcome[], preview: boolean): void {
  const fixed = outcomes.flatMap((o) => o.objects);
  const findings = fixed.reduce((n, o) => n + o.findings.length, 0);
  const files = new Set(outcomes.flatMap((o) => o.files.map((f) => f.file))).size;
  const verb = preview ? 'would fix' : 'fixed';
  process.stderr.write(
    `palisade: ${verb} ${findings} finding${findings === 1 ? '' : 's'} in ${fixed.length} object${fixed.length === 1 ? '' : 's'}${files > 0 ? ` (${files} file${files === 1 ? '' : 's'})` : ''}, each proven by a rescan\n`,
  );
  const notFixed = outcomes.flatMap((o) => o.notFixed);
  if (notFixed.length === 0) return;
  process.stderr.write(`palisade: ${notFixed.length} finding${notFixed.length === 1 ? ' is' : 's are'} not fixable automatically:\n`);
  for (const n of notFixed) {
    const f = n.finding;
    const where = f.location ? `${f.location.file}:${f.location.line}: ` : '';
    process.stderr.write(
      `  ${where}${f.check} ${f.name} on ${describe(f.resource)} ${f.pointer}: ${n.reason}\n    remediation: ${n.remediation.replace(/\s+/g, ' ')}\n`,
    );
  }
}
