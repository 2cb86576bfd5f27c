/**
 * `palisade snapshot`: reads clusters and writes everything a scan reads to one file.
 * Also home of the source flags shared by `scan`, `inventory` and `snapshot` (`--cluster`,
 * `--context`, `--snapshot`...), so that the three commands read sources the same way.
 */
import { type Command, Option } from 'commander';
import { PalisadeError } from '../../core/errors.js';
import { computeCoverage } from '../../core/report.js';
import { loadSource, type SourceSpec } from '../../scan.js';
import type { ClusterLoadOptions } from '../../sources/cluster/index.js';
import { writeSnapshot } from '../../sources/snapshot.js';
import { printDiagnostics } from '../diagnostics.js';
import { makeParents } from '../output.js';
import { type Progress, startProgress } from '../progress.js';
import { collectList, collectRaw } from '../flags.js';

/** The source flags, as commander parses them. */
export interface SourceFlags {
  cluster?: boolean;
  kubeconfig?: string;
  context: string[];
  allContexts?: boolean;
  namespace: string[];
  excludeNamespace: string[];
  /** False with `--no-secrets`. */
  secrets: boolean;
  requestTimeout: string;
  concurrency: string;
  pageSize: string;
  snapshot?: string;
  /** `--default-namespace NS`: the namespace of namespace-less manifest objects. */
  defaultNamespace?: string;
}

/**
 * Adds the cluster source flags (and `--snapshot FILE` when `snapshot` is true) to a command.
 *
 * @example
 * addSourceOptions(program.command('scan'), { snapshot: true });
 */
export function addSourceOptions(cmd: Command, options: { snapshot: boolean }): Command {
  cmd
    .option('--cluster', 'read the cluster of the current kubeconfig context instead of files')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account)')
    .addOption(new Option('--context <name>', 'kubeconfig context to read; repeatable (implies --cluster)').argParser(collectRaw).default([]))
    .option('--all-contexts', 'read every context of the kubeconfig (implies --cluster)')
    .addOption(new Option('-n, --namespace <ns>', 'only these namespaces (comma-separated, repeatable; with --cluster)').argParser(collectList).default([]))
    .addOption(new Option('--exclude-namespace <ns>', 'skip these namespaces (comma-separated, repeatable; with --cluster)').argParser(collectList).default([]))
    .option('--no-secrets', 'do not read Secrets at all (with --cluster; checks that need them report errors)')
    .option('--request-timeout <duration>', 'deadline of one API request (e.g. 30s, 2m)', '60s')
    .option('--concurrency <n>', 'API requests in flight at once', '8')
    .option('--page-size <n>', 'objects per list page (limit/continue)', '500');
  if (options.snapshot) {
    cmd.option('--snapshot <file>', 'read a snapshot written by palisade snapshot instead of files or a cluster');
    // Commands that read a snapshot read manifests too: state where namespace-less ones go.
    cmd.option('--default-namespace <ns>', DEFAULT_NAMESPACE_HELP);
  }
  return cmd;
}

/** Help of `--default-namespace`, shared by the commands that read manifests. */
export const DEFAULT_NAMESPACE_HELP =
  'namespace that manifest objects without metadata.namespace will be applied to, as kubectl apply -n (default: unknown, never joined to a real namespace)';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Validates `--default-namespace`: a namespace name (a DNS label of at most 63 characters).
 *
 * @example
 * defaultNamespaceOf('shop'); // 'shop'
 */
export function defaultNamespaceOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (text.length > 63 || !DNS_LABEL.test(text))
    throw new PalisadeError('usage', `--default-namespace: "${text}" is not a namespace name (lowercase letters, digits and '-', at most 63)`);
  return text;
}

/** Parses `30s`, `2m`, `500ms`, `1h` or a number of seconds into milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const ms = unit === 'ms' ? n : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n * 3_600_000;
  return ms > 0 ? Math.round(ms) : undefined;
}

function positiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new PalisadeError('usage', `${flag}: "${text}" is not a positive whole number`);
  return n;
}

/** True when the flags ask for a live cluster. */
export function wantsCluster(flags: SourceFlags): boolean {
  return flags.cluster === true || flags.kubeconfig !== undefined || flags.context.length > 0 || flags.allContexts === true;
}

/**
 * Turns the command line into a source: manifests (`paths`), a snapshot, or clusters.
 * `explicitPaths` is false when the user gave no path (the command would default to `.`).
 */
export function sourceFromFlags(paths: readonly string[], flags: SourceFlags, progress?: Progress): SourceSpec {
  const cluster = wantsCluster(flags);
  const clusterOnly: string[] = [];
  if (flags.namespace.length > 0) clusterOnly.push('--namespace');
  if (flags.excludeNamespace.length > 0) clusterOnly.push('--exclude-namespace');
  if (flags.secrets === false) clusterOnly.push('--no-secrets');
  const defaultNamespace = defaultNamespaceOf(flags.defaultNamespace);
  // Objects read from a cluster or a snapshot always carry their namespace.
  if (defaultNamespace !== undefined && (flags.snapshot !== undefined || cluster))
    throw new PalisadeError('usage', '--default-namespace applies to manifests only: objects read from a cluster or a snapshot carry their namespace');
  if (flags.snapshot !== undefined) {
    if (cluster) throw new PalisadeError('usage', 'use either --snapshot or --cluster/--context, not both');
    if (paths.length > 0) throw new PalisadeError('usage', '--snapshot reads one snapshot; do not also give paths');
    if (clusterOnly.length > 0) throw new PalisadeError('usage', `${clusterOnly.join(', ')}: only with --cluster (a snapshot holds what was read)`);
    return { kind: 'snapshot', file: flags.snapshot };
  }
  if (!cluster) {
    if (clusterOnly.length > 0) throw new PalisadeError('usage', `${clusterOnly.join(', ')}: only with --cluster or --context`);
    return { kind: 'files', paths: paths.length > 0 ? paths : ['.'], ...(defaultNamespace !== undefined ? { defaultNamespace } : {}) };
  }
  if (paths.length > 0) throw new PalisadeError('usage', `paths (${paths.join(' ')}) cannot be combined with --cluster/--context`);
  const timeoutMs = parseDuration(flags.requestTimeout);
  if (timeoutMs === undefined) throw new PalisadeError('usage', `--request-timeout: "${flags.requestTimeout}" is not a duration such as 30s or 2m`);
  const options: ClusterLoadOptions = {
    ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}),
    ...(flags.context.length > 0 ? { contexts: flags.context } : {}),
    ...(flags.allContexts ? { allContexts: true } : {}),
    ...(flags.namespace.length > 0 ? { namespaces: flags.namespace } : {}),
    ...(flags.excludeNamespace.length > 0 ? { excludeNamespaces: flags.excludeNamespace } : {}),
    secrets: flags.secrets !== false,
    timeoutMs,
    concurrency: positiveInt('--concurrency', flags.concurrency),
    pageSize: positiveInt('--page-size', flags.pageSize),
    ...(progress
      ? {
          onProgress: (p) =>
            progress.update(`Reading ${p.cluster}: ${p.typesDone}/${p.typesTotal} resource types, ${p.objects.toLocaleString('en-US')} objects…`),
        }
      : {}),
  };
  return { kind: 'cluster', options };
}

interface SnapshotFlags extends SourceFlags {
  output?: string;
  quiet?: boolean;
  kubeletConfig?: boolean;
}

/** `palisade snapshot`: writes what a cluster scan reads to one file. */
export function registerSnapshot(program: Command): void {
  const cmd = program
    .command('snapshot')
    .description('read clusters and write everything a scan reads (Secrets redacted) to one file, to scan offline with --snapshot')
    .requiredOption('-o, --output <file>', 'snapshot file to write (gzip-compressed when it ends in .gz, e.g. cluster.snapshot.json.gz)')
    .option('-q, --quiet', 'do not print diagnostics on stderr')
    .option('--kubelet-config', "also read each node's running kubelet configuration (nodes/<name>/proxy/configz), for palisade compliance");
  addSourceOptions(cmd, { snapshot: false });
  cmd.addHelpText(
    'after',
    `
Examples:
  palisade snapshot --cluster -o cluster.snapshot.json.gz
  palisade snapshot --context prod --context staging --no-secrets -o fleet.snapshot.json.gz
  palisade snapshot --cluster --kubelet-config -o cis.snapshot.json.gz && palisade compliance --snapshot cis.snapshot.json.gz
  palisade scan --snapshot cluster.snapshot.json.gz`,
  );
  cmd.action(async (flags: SnapshotFlags) => {
    if (!wantsCluster(flags)) throw new PalisadeError('usage', 'palisade snapshot reads clusters: pass --cluster, --context NAME or --all-contexts');
    const file = flags.output as string;
    // Before reading the cluster: an impossible path fails at once (exit 3), and the writer's
    // recursive mkdir never meets a path it would spin on (such as under /proc).
    try {
      makeParents(file);
    } catch (err) {
      throw new PalisadeError('io', `cannot write snapshot to ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    const progress = startProgress();
    let loaded: Awaited<ReturnType<typeof loadSource>>;
    try {
      const spec = sourceFromFlags([], flags, progress);
      loaded = await loadSource(
        spec.kind === 'cluster' && flags.kubeletConfig === true ? { ...spec, options: { ...spec.options, kubeletConfigs: true } } : spec,
      );
    } finally {
      progress.done();
    }
    if (!flags.quiet) printDiagnostics(loaded.flatMap((l) => l.diagnostics));
    const clusters = loaded.map((l) => ({
      name: l.cluster?.name ?? 'cluster',
      ...(l.cluster?.server !== undefined ? { server: l.cluster.server } : {}),
      ...(l.cluster?.kubernetesVersion !== undefined ? { kubernetesVersion: l.cluster.kubernetesVersion } : {}),
      inventory: l.inventory,
      coverage: l.coverage ?? [],
    }));
    const { bytes } = await writeSnapshot(file, clusters);
    const objects = clusters.reduce((n, c) => n + c.inventory.size, 0);
    const coverage = computeCoverage(clusters.flatMap((c) => c.coverage));
    process.stderr.write(
      `palisade: wrote ${file} (${bytes.toLocaleString('en-US')} bytes): ${clusters.length} cluster${clusters.length === 1 ? '' : 's'}, ` +
        `${objects.toLocaleString('en-US')} objects, coverage ${coverage.percent}%\n`,
    );
  });
}
