/**
 * The library entry point: load sources, select checks, run the engine, build the report.
 * The CLI, and later the webhook and server, call this; they add no logic of their own.
 */
import { builtinChecks } from './checks/index.js';
import { builtinModels } from './checks/models.js';
import type { PalisadeConfig } from './config/config.js';
import { EMPTY_CONFIG } from './config/config.js';
import { type AnyCheck, metaOf } from './core/check.js';
import { runChecks } from './core/engine.js';
import { ExceptionMatcher, globMatch } from './core/exceptions.js';
import type { Inventory } from './core/inventory.js';
import {
  type Coverage,
  computeCoverage,
  describeCoverageGap,
  failBySeverity,
  gapsFromCoverage,
  REPORT_SCHEMA_VERSION,
  resourceTypeName,
  type ScanReport,
} from './core/report.js';
import type { Diagnostic, JsonValue, ResourceTypeCoverage, Severity } from './core/types.js';
import { type ClusterLoadOptions, loadClusters } from './sources/cluster/index.js';
import { type LoadStats, loadManifests } from './sources/files.js';
import { readSnapshot } from './sources/snapshot.js';
import { VERSION } from './version.js';

/** Options of {@link scan}. */
export interface ScanOptions {
  /** Configuration (from `.palisade.yaml`); defaults to none. */
  readonly config?: PalisadeConfig;
  /** Check ids, names or globs to run (all enabled checks when empty). */
  readonly include?: readonly string[];
  /** Check ids, names or globs not to run. */
  readonly exclude?: readonly string[];
  /** Extra checks (custom checks) run beside the built-in ones. */
  readonly extraChecks?: readonly AnyCheck[];
  /** Materialise pass findings too. */
  readonly includePassed?: boolean;
  /** Largest file read, in bytes. */
  readonly maxFileSize?: number;
  /** Today's date (YYYY-MM-DD) for exception expiry; defaults to the clock. */
  readonly today?: string;
  /** Reads stdin for `-`; injectable for tests. */
  readonly readStdin?: () => Promise<string>;
  /**
   * The namespace namespace-less manifest objects will be applied to (as `kubectl apply -n`).
   * Absent: they are in an unknown namespace that joins no real one, so that RBAC joins never
   * place them in `default`.
   */
  readonly defaultNamespace?: string;
  readonly onProgress?: (phase: 'load' | 'check' | 'report', done: number, total: number) => void;
}

function matchesAny(check: AnyCheck, patterns: readonly string[]): boolean {
  return patterns.some((p) => globMatch(p, check.id) || globMatch(p, check.name) || (check.aliases ?? []).some((a) => globMatch(p, a)));
}

/**
 * Chooses the checks to run from the catalogue, configuration and flags.
 * Precedence: `--include` (flags) over config `include`; excludes from both apply;
 * `enabled: false` in config removes a check unless it is named by `--include`.
 */
export function selectChecks(all: readonly AnyCheck[], config: PalisadeConfig, include: readonly string[], exclude: readonly string[]): AnyCheck[] {
  const inc = include.length > 0 ? include : config.include;
  const exc = [...config.exclude, ...exclude];
  return all.filter((c) => {
    const settings = config.checks[c.id] ?? config.checks[c.name];
    if (inc.length > 0 && !matchesAny(c, inc)) return false;
    if (exc.length > 0 && matchesAny(c, exc)) return false;
    if (settings?.enabled === false && !(include.length > 0 && matchesAny(c, include))) return false;
    return true;
  });
}

function overridesFor(
  checks: readonly AnyCheck[],
  config: PalisadeConfig,
): {
  severity: Record<string, Severity>;
  params: Record<string, Readonly<Record<string, JsonValue>>>;
} {
  const severity: Record<string, Severity> = {};
  const params: Record<string, Readonly<Record<string, JsonValue>>> = {};
  for (const c of checks) {
    const s = config.checks[c.id] ?? config.checks[c.name];
    if (s?.severity) severity[c.id] = s.severity;
    if (s?.params) params[c.id] = s.params;
  }
  return { severity, params };
}

/** Reports config entries naming checks that do not exist (typos). */
function unknownCheckDiagnostics(all: readonly AnyCheck[], config: PalisadeConfig): Diagnostic[] {
  const names = new Set(all.flatMap((c) => [c.id, c.name, ...(c.aliases ?? [])]));
  return Object.keys(config.checks)
    .filter((k) => !names.has(k))
    .map((k) => ({ level: 'warning' as const, code: 'unknown-check', message: `${config.file ?? 'config'}: checks.${k} names no known check` }));
}

/**
 * Scans an inventory that is already loaded.
 *
 * @example
 * const report = scanInventory(inventory, { sources: ['x.yaml'] });
 */
export function scanInventory(
  inventory: Inventory,
  options: ScanOptions & {
    readonly sources?: readonly string[];
    readonly stats?: LoadStats;
    readonly diagnostics?: readonly Diagnostic[];
    /** Per-type coverage of a cluster or snapshot source: checks whose data has gaps report errors. */
    readonly coverage?: readonly ResourceTypeCoverage[];
    /** The cluster the inventory was read from. */
    readonly cluster?: ClusterSource;
  } = {},
): ScanReport {
  const config = options.config ?? EMPTY_CONFIG;
  const all = [...builtinChecks, ...(options.extraChecks ?? [])];
  const checks = selectChecks(all, config, options.include ?? [], options.exclude ?? []);
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const exceptions = new ExceptionMatcher(config.exceptions, today, config.nonWaivable);
  const { severity, params } = overridesFor(checks, config);
  options.onProgress?.('check', 0, inventory.size);
  const result = runChecks(inventory, {
    checks,
    includePassed: options.includePassed === true,
    severityOverrides: severity,
    params,
    exceptions,
    models: builtinModels,
    ...(options.onProgress ? { onProgress: (done: number, total: number) => options.onProgress?.('check', done, total) } : {}),
    ...(options.coverage ? { gaps: gapsFromCoverage(options.coverage) } : {}),
  });
  const coverage = options.coverage ? computeCoverage(options.coverage) : undefined;
  const diagnostics: Diagnostic[] = [...(options.diagnostics ?? []), ...unknownCheckDiagnostics(all, config)];
  for (const rule of exceptions.expired) {
    diagnostics.push({
      level: 'warning',
      code: 'exception-expired',
      message: `exception for ${rule.check}${rule.namespace ? ` in ${rule.namespace}` : ''}${rule.name ? ` on ${rule.name}` : ''} expired on ${rule.expires ?? ''} and no longer applies (reason was: ${rule.reason})`,
    });
  }
  if (coverage) diagnostics.push(...coverageDiagnostics(coverage, options.cluster?.name));
  const stats = options.stats ?? { files: 0, documents: inventory.size, resources: inventory.size, nonKubernetes: 0, parseErrors: 0, skippedFiles: 0 };
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'palisade', version: VERSION },
    generatedAt: new Date().toISOString(),
    sources: options.sources ?? [],
    resources: inventory.size,
    stats: {
      files: stats.files,
      documents: stats.documents,
      nonKubernetes: stats.nonKubernetes,
      parseErrors: stats.parseErrors,
      skippedFiles: stats.skippedFiles,
    },
    findings: result.findings,
    summary: { totals: result.totals, failBySeverity: failBySeverity(result.findings), checksRun: checks.length },
    perCheck: Object.fromEntries(result.perCheck),
    checks: checks.map(metaOf),
    exceptions: { expired: exceptions.expired, unused: exceptions.unused },
    diagnostics,
    ...(options.cluster
      ? {
          clusters: [
            {
              name: options.cluster.name,
              ...(options.cluster.server !== undefined ? { server: options.cluster.server } : {}),
              ...(options.cluster.kubernetesVersion !== undefined ? { kubernetesVersion: options.cluster.kubernetesVersion } : {}),
              resources: inventory.size,
              coveragePercent: coverage?.percent ?? 100,
            },
          ],
        }
      : {}),
    ...(coverage ? { coverage } : {}),
  };
}

/**
 * Scans manifests: files, directories (recursive) and `-` for stdin.
 *
 * @example
 * import { scan } from 'kube-palisade';
 * const report = await scan(['deploy/']);
 * console.log(report.summary.failBySeverity.critical);
 */
export async function scan(paths: readonly string[], options: ScanOptions = {}): Promise<ScanReport> {
  const config = options.config ?? EMPTY_CONFIG;
  const maxFileSize = options.maxFileSize ?? config.maxFileSize;
  const loaded = await loadManifests(paths, {
    ...(maxFileSize !== undefined ? { maxFileSize } : {}),
    ...(options.readStdin ? { readStdin: options.readStdin } : {}),
    ...(options.defaultNamespace !== undefined ? { defaultNamespace: options.defaultNamespace } : {}),
  });
  return scanInventory(loaded.inventory, {
    ...options,
    sources: paths.map((p) => (p === '-' ? '<stdin>' : p)),
    stats: loaded.stats,
    diagnostics: loaded.diagnostics,
  });
}

/**
 * One warning per cluster whose coverage is incomplete (the details are in the report's
 * coverage section), and one per type whose list failed (timeouts, dropped connections):
 * those are worth retrying, unlike missing permissions.
 */
function coverageDiagnostics(coverage: Coverage, cluster: string | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const prefix = cluster !== undefined ? `${cluster}: ` : '';
  const notOk = coverage.types.filter((t) => t.status !== 'ok' && t.status !== 'skipped');
  if (notOk.length > 0) {
    const names = notOk.slice(0, 6).map(resourceTypeName).join(', ') + (notOk.length > 6 ? `, and ${notOk.length - 6} more` : '');
    const c = coverage.counts;
    const parts = [
      c.forbidden > 0 ? `${c.forbidden} forbidden` : '',
      c.partial > 0 ? `${c.partial} partly read` : '',
      c.failed > 0 ? `${c.failed} failed` : '',
    ].filter(Boolean);
    out.push({
      level: 'warning',
      code: 'coverage-incomplete',
      message: `${prefix}coverage ${coverage.percent}%: ${parts.join(', ')} resource types (${names}); checks that need them report errors`,
    });
  }
  for (const t of notOk) if (t.status === 'failed') out.push({ level: 'warning', code: 'list-failed', message: `${prefix}${describeCoverageGap(t)}` });
  for (const t of coverage.types)
    if (t.status === 'skipped')
      out.push({ level: 'notice', code: 'list-skipped', message: `${prefix}${resourceTypeName(t)} not read (${t.reason ?? 'skipped'})` });
  return out;
}

/** The cluster an inventory was read from. */
export interface ClusterSource {
  readonly name: string;
  readonly server?: string;
  readonly kubernetesVersion?: string;
}

/** Where the objects of a scan come from: manifests, a snapshot file, or live clusters. */
export type SourceSpec =
  | {
      readonly kind: 'files';
      readonly paths: readonly string[];
      /** The namespace of namespace-less objects (see {@link ScanOptions.defaultNamespace}). */
      readonly defaultNamespace?: string;
    }
  | { readonly kind: 'snapshot'; readonly file: string }
  | { readonly kind: 'cluster'; readonly options: ClusterLoadOptions };

/** One inventory ready to analyse (one per cluster for cluster and snapshot sources). */
export interface LoadedSource {
  readonly inventory: Inventory;
  /** What was read, for reports: paths, `cluster:<context>`, `snapshot:<file>#<context>`. */
  readonly sources: readonly string[];
  readonly stats?: LoadStats;
  readonly diagnostics: readonly Diagnostic[];
  readonly cluster?: ClusterSource;
  /** Per-type coverage (cluster and snapshot sources). */
  readonly coverage?: readonly ResourceTypeCoverage[];
}

/**
 * Loads the inventories of a source, so that `scan`, `pss` and `inventory` analyse the same
 * objects whether they come from files, a snapshot or live clusters.
 *
 * @example
 * const loaded = await loadSource({ kind: 'cluster', options: { contexts: ['prod'] } });
 * loaded[0].inventory.ofKind('Deployment').length;
 */
export async function loadSource(
  spec: SourceSpec,
  options: Pick<ScanOptions, 'config' | 'maxFileSize' | 'readStdin' | 'defaultNamespace'> = {},
): Promise<LoadedSource[]> {
  if (spec.kind === 'files') {
    const config = options.config ?? EMPTY_CONFIG;
    const maxFileSize = options.maxFileSize ?? config.maxFileSize;
    const defaultNamespace = spec.defaultNamespace ?? options.defaultNamespace;
    const loaded = await loadManifests(spec.paths, {
      ...(maxFileSize !== undefined ? { maxFileSize } : {}),
      ...(options.readStdin ? { readStdin: options.readStdin } : {}),
      ...(defaultNamespace !== undefined ? { defaultNamespace } : {}),
    });
    return [
      {
        inventory: loaded.inventory,
        sources: spec.paths.map((p) => (p === '-' ? '<stdin>' : p)),
        stats: loaded.stats,
        diagnostics: loaded.diagnostics,
      },
    ];
  }
  if (spec.kind === 'snapshot') {
    const snapshot = await readSnapshot(spec.file);
    return snapshot.clusters.map((c) => ({
      inventory: c.inventory,
      sources: [`snapshot:${spec.file}#${c.name}`],
      diagnostics: [],
      cluster: {
        name: c.name,
        ...(c.server !== undefined ? { server: c.server } : {}),
        ...(c.kubernetesVersion !== undefined ? { kubernetesVersion: c.kubernetesVersion } : {}),
      },
      coverage: c.coverage,
    }));
  }
  const clusters = await loadClusters(spec.options);
  return clusters.map((c) => ({
    inventory: c.inventory,
    sources: [`cluster:${c.name}`],
    diagnostics: c.diagnostics,
    cluster: { name: c.name, server: c.server, ...(c.kubernetesVersion !== undefined ? { kubernetesVersion: c.kubernetesVersion } : {}) },
    coverage: c.coverage,
  }));
}

/**
 * Scans loaded inventories, one report per inventory, merged into one (multi-cluster).
 *
 * @example
 * const report = scanLoaded(await loadSource({ kind: 'snapshot', file: 'prod.snapshot.json.gz' }));
 */
export function scanLoaded(loaded: readonly LoadedSource[], options: ScanOptions = {}): ScanReport {
  return mergeReports(
    loaded.map((l) =>
      scanInventory(l.inventory, {
        ...options,
        sources: l.sources,
        diagnostics: l.diagnostics,
        ...(l.stats ? { stats: l.stats } : {}),
        ...(l.coverage ? { coverage: l.coverage } : {}),
        ...(l.cluster ? { cluster: l.cluster } : {}),
      }),
    ),
  );
}

/**
 * Scans live clusters: the current kubeconfig context, or the contexts named in
 * `clusterOptions`. Several contexts give one report whose findings carry their cluster.
 *
 * @example
 * const report = await scanCluster({ contexts: ['prod', 'staging'] });
 * report.coverage?.percent; // 97.5
 */
export async function scanCluster(clusterOptions: ClusterLoadOptions = {}, options: ScanOptions = {}): Promise<ScanReport> {
  return scanLoaded(await loadSource({ kind: 'cluster', options: clusterOptions }, options), options);
}

/**
 * Scans a snapshot written by `palisade snapshot`: the same results as the live scan it was taken from.
 *
 * @example
 * const report = await scanSnapshot('prod.snapshot.json.gz');
 */
export async function scanSnapshot(file: string, options: ScanOptions = {}): Promise<ScanReport> {
  return scanLoaded(await loadSource({ kind: 'snapshot', file }, options), options);
}

function sumCounts(a: { pass: number; fail: number; exempt: number; error: number }, b: { pass: number; fail: number; exempt: number; error: number }) {
  return { pass: a.pass + b.pass, fail: a.fail + b.fail, exempt: a.exempt + b.exempt, error: a.error + b.error };
}

/**
 * Merges the reports of several inventories (clusters) into one: findings, counts, clusters
 * and coverage are combined; exceptions are unused only when no cluster used them.
 *
 * @example
 * const report = mergeReports([prodReport, stagingReport]);
 */
export function mergeReports(reports: readonly ScanReport[]): ScanReport {
  const [first, ...rest] = reports;
  if (!first) throw new Error('mergeReports needs at least one report');
  if (rest.length === 0) return first;
  const perCheck: Record<string, { pass: number; fail: number; exempt: number; error: number }> = {};
  for (const r of reports) for (const [id, c] of Object.entries(r.perCheck)) perCheck[id] = perCheck[id] ? sumCounts(perCheck[id], c) : { ...c };
  const findings = reports.flatMap((r) => r.findings);
  const seen = new Set<string>();
  const diagnostics = reports
    .flatMap((r) => r.diagnostics)
    .filter((d) => {
      const key = `${d.level}\u0000${d.code}\u0000${d.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  const types = reports.flatMap((r) => r.coverage?.types ?? []);
  const clusters = reports.flatMap((r) => r.clusters ?? []);
  const stat = (k: keyof ScanReport['stats']): number => reports.reduce((n, r) => n + r.stats[k], 0);
  return {
    ...first,
    sources: reports.flatMap((r) => r.sources),
    resources: reports.reduce((n, r) => n + r.resources, 0),
    stats: {
      files: stat('files'),
      documents: stat('documents'),
      nonKubernetes: stat('nonKubernetes'),
      parseErrors: stat('parseErrors'),
      skippedFiles: stat('skippedFiles'),
    },
    findings,
    summary: {
      totals: reports.map((r) => r.summary.totals).reduce(sumCounts),
      failBySeverity: failBySeverity(findings),
      checksRun: first.summary.checksRun,
    },
    perCheck,
    exceptions: {
      expired: [...new Set(reports.flatMap((r) => r.exceptions.expired))],
      unused: first.exceptions.unused.filter((rule) => rest.every((r) => r.exceptions.unused.includes(rule))),
    },
    diagnostics,
    ...(clusters.length > 0 ? { clusters } : {}),
    ...(reports.some((r) => r.coverage) ? { coverage: computeCoverage(types) } : {}),
  };
}
