/**
 * The library entry point: load sources, select checks, run the engine, build the report.
 * The CLI, and later the webhook and server, call this; they add no logic of their own.
 */
import { builtinChecks } from './checks/index.js';
import type { PalisadeConfig } from './config/config.js';
import { EMPTY_CONFIG } from './config/config.js';
import { type AnyCheck, metaOf } from './core/check.js';
import { runChecks } from './core/engine.js';
import { ExceptionMatcher, globMatch } from './core/exceptions.js';
import type { Inventory } from './core/inventory.js';
import { failBySeverity, REPORT_SCHEMA_VERSION, type ScanReport } from './core/report.js';
import type { Diagnostic, JsonValue, Severity } from './core/types.js';
import { type LoadStats, loadManifests } from './sources/files.js';
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
  options: ScanOptions & { readonly sources?: readonly string[]; readonly stats?: LoadStats; readonly diagnostics?: readonly Diagnostic[] } = {},
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
    ...(options.onProgress ? { onProgress: (done: number, total: number) => options.onProgress?.('check', done, total) } : {}),
  });
  const diagnostics: Diagnostic[] = [...(options.diagnostics ?? []), ...unknownCheckDiagnostics(all, config)];
  for (const rule of exceptions.expired) {
    diagnostics.push({
      level: 'warning',
      code: 'exception-expired',
      message: `exception for ${rule.check}${rule.namespace ? ` in ${rule.namespace}` : ''}${rule.name ? ` on ${rule.name}` : ''} expired on ${rule.expires ?? ''} and no longer applies (reason was: ${rule.reason})`,
    });
  }
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
  });
  return scanInventory(loaded.inventory, {
    ...options,
    sources: paths.map((p) => (p === '-' ? '<stdin>' : p)),
    stats: loaded.stats,
    diagnostics: loaded.diagnostics,
  });
}
