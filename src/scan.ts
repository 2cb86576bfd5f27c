/**
 * The library entry point: load sources, select checks, run the engine, build the report.
 * The CLI, and later the webhook and server, call this; they add no logic of their own.
 */
import { AUDIT_RULE_NAMES } from './audit-rules/names.js';
import { parseKubernetesMinor } from './checks/api-deprecations.js';
import { builtinChecks } from './checks/index.js';
import { builtinModels } from './checks/models.js';
import { NODE_FACTS_KIND } from './checks/node-facts.js';
import type { PalisadeConfig } from './config/config.js';
import { EMPTY_CONFIG, fixValueFor } from './config/config.js';
import { validateAgainst } from './config/schema.js';
import { didYouMean } from './config/suggest.js';
import { type AnyCheck, metaOf } from './core/check.js';
import { Locator } from './core/finding.js';
import { type EngineOptions, type EngineResult, emptyCounts, FindingParts, runChecks, type SkippedCheck, type StatusCounts } from './core/engine.js';
import { type InputName, passesOf, type ScanInputs } from './core/models.js';
import { PalisadeError } from './core/errors.js';
import { ExceptionMatcher, globMatch } from './core/exceptions.js';
import {
  BUILTIN_FRAMEWORKS,
  type Framework,
  findFramework,
  frameworkNames,
  isControlPattern,
  matchesControlPattern,
  selectControls,
} from './frameworks/index.js';
import type { Inventory } from './core/inventory.js';
import {
  type Coverage,
  type CoverageNeeds,
  computeCoverage,
  describeCoverageGap,
  describeDegradedAnalysis,
  describeIncomplete,
  failBySeverity,
  failsCoverageGate,
  failsGate,
  gapsFromCoverage,
  type IncompleteReason,
  incompleteOf,
  groupFindings,
  REPORT_SCHEMA_VERSION,
  resourceTypeName,
  mergeTopRisks,
  type ScanReport,
} from './core/report.js';
import type { Diagnostic, Finding, JsonValue, ResourceTypeCoverage, Severity } from './core/types.js';
import type { ClusterLoadOptions } from './sources/cluster/index.js';
import { type LoadOptions, type LoadStats, loadManifests } from './sources/files.js';
import { DEFAULT_TOP_RISKS, type ScanTopPaths, topPathsOfScan, topRisksOfScanPaths } from './paths/risks.js';
import { VERSION } from './version.js';

/** Options of {@link scan}. */
export interface ScanOptions {
  /** Configuration (from `.palisade.yaml`); defaults to none. */
  readonly config?: PalisadeConfig;
  /** Check ids, names or globs to run (all enabled checks when empty). */
  readonly include?: readonly string[];
  /** Check ids, names or globs not to run. */
  readonly exclude?: readonly string[];
  /**
   * Frameworks whose controls select the checks to run (`nsa-1.2`, `cis`), as `--framework`:
   * the same as including `nsa-1.2:*`. Include patterns may also name controls (`cis:5.2.*`).
   */
  readonly framework?: readonly string[];
  /** User-defined frameworks (from YAML files), usable in selections beside the built-in ones. */
  readonly frameworks?: readonly Framework[];
  /** Extra checks (custom checks) run beside the built-in ones. */
  readonly extraChecks?: readonly AnyCheck[];
  /**
   * The checks to run, as {@link prepareChecks} returned them for these options: a caller that
   * scans many inventories with one configuration (the admission webhook, one object per
   * request) selects and validates once instead of per scan.
   */
  readonly preparedChecks?: readonly AnyCheck[];
  /** Materialise pass findings too. */
  readonly includePassed?: boolean;
  /** Largest file read, in bytes (stdin and rendered charts included). */
  readonly maxFileSize?: number;
  /** `--values FILE` for `helm template` when a path is a Helm chart. */
  readonly helmValues?: readonly string[];
  /** `--set KEY=VALUE` for `helm template` when a path is a Helm chart. */
  readonly helmSet?: readonly string[];
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
  /**
   * The Kubernetes version the objects are meant for (`v1.29`, `1.29`, `v1.29.3`), for checks
   * that depend on it (removed and deprecated API versions). Defaults to the scanned cluster's
   * version when known, else each check's own default (the newest version it knows).
   */
  readonly kubernetesVersion?: string;
  /**
   * Per-scan data fetched before the engine runs, for checks that `requires` it: `images`
   * (image inventories by reference, {@link ImageScanResults}) and `vulnerabilities` (their
   * matches). Checks whose inputs are not given are skipped and listed in `skippedChecks`.
   *
   * @example
   * await scan(['deploy/'], { inputs: { images: { scannedAt: new Date().toISOString(), images } } });
   */
  readonly inputs?: ScanInputs;
  /**
   * How many attack paths the report's Top risks list (default 5). 0 leaves them out and the
   * attack graph is then not built for them (a scan whose checks use it still builds it once).
   */
  readonly topRisks?: number;
}

/** How to give a check each model input, for the report's skipped checks. */
const INPUT_HINTS: Readonly<Partial<Record<InputName, string>>> = {
  images: 'run with --images',
  vulnerabilities: 'run with --images and a vulnerability database',
};

/** Why a check was skipped, in the user's words: the hint of its first missing input. */
export function skipReason(missing: readonly InputName[]): string {
  const first = missing[0];
  return first !== undefined ? (INPUT_HINTS[first] ?? `the scan was not given its ${first} input`) : 'a required input was not given';
}

/**
 * The target Kubernetes version of a scan as `v1.N`: the explicit option (a usage error when
 * it is not a v1 version), else the cluster's `gitVersion` when it parses, else undefined.
 *
 * @example
 * targetKubernetesVersion('1.29', undefined);   // 'v1.29'
 * targetKubernetesVersion(undefined, 'v1.31.2-eks-1'); // 'v1.31'
 */
export function targetKubernetesVersion(option: string | undefined, clusterVersion: string | undefined): string | undefined {
  if (option !== undefined) {
    const minor = parseKubernetesMinor(option);
    if (minor === undefined) throw new PalisadeError('usage', `--k8s-version: "${option}" is not a Kubernetes version such as v1.29`, { version: option });
    return `v1.${minor}`;
  }
  const minor = clusterVersion !== undefined ? parseKubernetesMinor(clusterVersion) : undefined;
  return minor !== undefined ? `v1.${minor}` : undefined;
}

function matchesAny(check: AnyCheck, patterns: readonly string[], frameworks: readonly Framework[] = BUILTIN_FRAMEWORKS): boolean {
  return patterns.some((p) =>
    // `cis:5.2.*` selects the checks that cover those controls; anything else is a check id, name or glob.
    isControlPattern(p)
      ? matchesControlPattern(p, check, frameworks)
      : globMatch(p, check.id) || globMatch(p, check.name) || (check.aliases ?? []).some((a) => globMatch(p, a)),
  );
}

/** A pattern that selects nothing, said as the user will understand it; undefined when it selects a check. */
function unknownPattern(all: readonly AnyCheck[], pattern: string, frameworks: readonly Framework[], names: readonly string[]): string | undefined {
  if (all.some((c) => matchesAny(c, [pattern], frameworks))) return undefined;
  if (!isControlPattern(pattern)) return `"${pattern}" names no check${didYouMean(pattern, names)}`;
  const sel = selectControls(pattern, frameworks);
  const prefix = pattern.slice(0, pattern.indexOf(':'));
  if (!sel) return `"${pattern}": "${prefix}" names no framework${didYouMean(prefix, frameworkNames(frameworks))}`;
  if (sel.controls.length === 0) return `"${pattern}" names no control of ${sel.framework.title} ${sel.framework.version}`;
  return `"${pattern}" selects controls no check covers (${sel.controls
    .slice(0, 5)
    .map((c) => c.id)
    .join(', ')}${sel.controls.length > 5 ? ', ...' : ''}: manual controls)`;
}

/** The include patterns of `--framework NAME` (every control of the framework); unknown names are usage errors. */
export function frameworkPatterns(names: readonly string[], frameworks: readonly Framework[] = BUILTIN_FRAMEWORKS): string[] {
  return names.map((n) => {
    const f = findFramework(n, frameworks);
    if (!f)
      throw new PalisadeError('usage', `--framework: "${n}" names no framework${didYouMean(n, frameworkNames(frameworks))}; run palisade compliance --list`);
    return `${f.id}:*`;
  });
}

/**
 * Chooses the checks to run from the catalogue, configuration and flags.
 * Precedence: `--include` (flags) over config `include`; excludes from both apply;
 * `enabled: false` in config removes a check unless it is named by `--include`.
 */
export function selectChecks(
  all: readonly AnyCheck[],
  config: PalisadeConfig,
  include: readonly string[],
  exclude: readonly string[],
  frameworks: readonly Framework[] = BUILTIN_FRAMEWORKS,
): AnyCheck[] {
  const inc = include.length > 0 ? include : config.include;
  const exc = [...config.exclude, ...exclude];
  return all.filter((c) => {
    const settings = config.checks[c.id] ?? config.checks[c.name];
    if (inc.length > 0 && !matchesAny(c, inc, frameworks)) return false;
    if (exc.length > 0 && matchesAny(c, exc, frameworks)) return false;
    if (settings?.enabled === false && !(include.length > 0 && matchesAny(c, include, frameworks))) return false;
    return true;
  });
}

/**
 * Every name a selection mentions must name a check (a glob must match at least one): a typo in
 * `--include` would otherwise run nothing and pass, and one in an exception would waive nothing.
 * Throws a usage error (flags) or a configuration error (config), exit 2, with "did you mean".
 *
 * @example
 * validateCheckNames(builtinChecks, EMPTY_CONFIG, ['imge-latest-tag'], []);
 * // throws: --include: "imge-latest-tag" names no check (did you mean "image-latest-tag"?)
 */
export function validateCheckNames(
  all: readonly AnyCheck[],
  config: PalisadeConfig,
  include: readonly string[],
  exclude: readonly string[],
  frameworks: readonly Framework[] = BUILTIN_FRAMEWORKS,
): void {
  const names = all.flatMap((c) => [c.id, c.name, ...(c.aliases ?? [])]);
  const unknown = (pattern: string): string | undefined => unknownPattern(all, pattern, frameworks, names);
  const flagProblems = [
    ...include.map((p) => unknown(p) && `--include: ${unknown(p)}`),
    ...exclude.map((p) => unknown(p) && `--exclude: ${unknown(p)}`),
  ].filter((x): x is string => typeof x === 'string');
  if (flagProblems.length > 0) throw new PalisadeError('usage', `${flagProblems.join('; ')}; run palisade checks to list them`);
  // One configuration serves `palisade scan` and `palisade audit`: settings, exceptions and
  // non-waivable entries may name audit rules (PAL-A001...), which scans leave alone.
  const auditRule = (pattern: string): boolean => AUDIT_RULE_NAMES.some(([id, name]) => globMatch(pattern, id) || globMatch(pattern, name));
  const unknownHere = (pattern: string): string | undefined => (auditRule(pattern) ? undefined : unknown(pattern));
  const configProblems = [
    ...config.include.map((p, i) => unknown(p) && `include[${i}]: ${unknown(p)}`),
    ...config.exclude.map((p, i) => unknown(p) && `exclude[${i}]: ${unknown(p)}`),
    ...config.nonWaivable.map((p, i) => unknownHere(p) && `nonWaivable[${i}]: ${unknownHere(p)}`),
    ...(config.admission?.mutateChecks ?? []).map((p, i) => unknown(p) && `admission.mutateChecks[${i}]: ${unknown(p)}`),
    ...Object.keys(config.checks).map((k) => (names.includes(k) || auditRule(k) ? undefined : `checks.${k}: names no check${didYouMean(k, names)}`)),
    ...config.exceptions.map((e, i) => unknownHere(e.check) && `exceptions[${i}].check: ${unknownHere(e.check)}`),
  ].filter((x): x is string => typeof x === 'string');
  if (configProblems.length > 0)
    throw new PalisadeError('config-invalid', `${config.file ?? 'configuration'}: ${configProblems.join('; ')}; run palisade checks to list them`, {
      problems: configProblems,
    });
}

/**
 * Validates each configured `checks.<id>.params` against the check's `paramsSchema`. A built-in
 * check without a schema takes no parameters; a custom check without one takes any.
 * Throws a configuration error (exit 2) naming every bad key.
 *
 * @example
 * validateCheckParams(builtinChecks, validateConfig({ checks: { 'PAL-0125': { params: { allowedRegistries: 'x' } } } }, 'c.yaml'));
 * // throws: c.yaml: checks.PAL-0125.params.allowedRegistries: must be array
 */
export function validateCheckParams(all: readonly AnyCheck[], config: PalisadeConfig): void {
  const problems: string[] = [];
  for (const [key, settings] of Object.entries(config.checks)) {
    if (settings.params === undefined) continue;
    const check = all.find((c) => c.id === key || c.name === key || (c.aliases ?? []).includes(key));
    if (!check) continue;
    if (check.paramsSchema) {
      try {
        problems.push(...validateAgainst(check.paramsSchema, settings.params, `checks.${key}.params`));
      } catch (err) {
        // ajv compiles the schema on first use: a custom check's broken schema is the check's fault.
        throw new PalisadeError(
          'check-invalid',
          `${check.origin ?? check.id}: ${check.id}: paramsSchema is not a valid JSON Schema: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    } else if (check.origin === undefined && Object.keys(settings.params).length > 0) problems.push(`checks.${key}.params: ${check.id} takes no parameters`);
  }
  if (problems.length > 0)
    throw new PalisadeError('config-invalid', `${config.file ?? 'configuration'}: invalid configuration: ${problems.join('; ')}`, { problems });
}

/**
 * The checks a scan runs: names validated, params validated, at least one selected. Throws
 * (exit 2) before anything is read, so a misconfigured gate fails fast.
 *
 * @example
 * const checks = prepareChecks({ config, include: ['PAL-01*'] });
 */
export function prepareChecks(
  options: Pick<ScanOptions, 'config' | 'include' | 'exclude' | 'extraChecks' | 'framework' | 'frameworks' | 'inputs'> & {
    /** The inputs the scan will be given, when they are fetched after this call (`scan --images`); default: the keys of `inputs`. */
    readonly inputNames?: readonly InputName[];
  } = {},
): AnyCheck[] {
  const config = options.config ?? EMPTY_CONFIG;
  const all = [...builtinChecks, ...(options.extraChecks ?? [])];
  const frameworks = [...BUILTIN_FRAMEWORKS, ...(options.frameworks ?? [])];
  const include = [...(options.include ?? []), ...frameworkPatterns(options.framework ?? [], frameworks)];
  const exclude = options.exclude ?? [];
  validateCheckNames(all, config, include, exclude, frameworks);
  validateCheckParams(all, config);
  const checks = selectChecks(all, config, include, exclude, frameworks);
  if (checks.length === 0)
    throw new PalisadeError(
      'usage',
      `no check to run: the selection (--include/--exclude, and include/exclude/enabled in ${config.file ?? 'the configuration'}) leaves none of the ${all.length} checks`,
    );
  // A selection of opt-in checks only, without their inputs, would run nothing and pass.
  const given = new Set<string>(options.inputNames ?? (Object.keys(options.inputs ?? {}) as InputName[]));
  const runnable = checks.filter((c) => (c.requires ?? []).every((n) => given.has(n)));
  if (runnable.length === 0)
    throw new PalisadeError(
      'usage',
      `no check to run: the selected checks need input this scan is not given (${checks
        .slice(0, 5)
        .map((c) => `${c.id} ${c.name}: ${skipReason((c.requires ?? []).filter((n) => !given.has(n)))}`)
        .join('; ')}${checks.length > 5 ? '; ...' : ''})`,
    );
  return checks;
}

/**
 * The exception matcher of a scan. Exceptions and `nonWaivable` may name framework controls
 * (`check: cis:5.2.*`): those waive (or protect) the checks that cover the controls.
 */
function exceptionMatcher(config: PalisadeConfig, today: string, checks: readonly AnyCheck[], frameworks: readonly Framework[]): ExceptionMatcher {
  const byId = new Map(checks.map((c) => [c.id, c]));
  const nonWaivable = config.nonWaivable.flatMap((p) => (isControlPattern(p) ? checks.filter((c) => matchesAny(c, [p], frameworks)).map((c) => c.id) : [p]));
  return new ExceptionMatcher(config.exceptions, today, nonWaivable, (pattern, checkId) => {
    const check = byId.get(checkId);
    return check !== undefined && isControlPattern(pattern) && matchesControlPattern(pattern, check, frameworks);
  });
}

/** The configured severity overrides and check parameters of the selected checks (also used by `fix-run.ts`). */
export function overridesFor(
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
    const fixValue = fixValueFor(c.name, config);
    if (fixValue !== undefined) params[c.id] = { fixValue, ...s?.params };
    else if (s?.params) params[c.id] = s.params;
  }
  return { severity, params };
}

/** What a scan knows of the source of an inventory, beside the {@link ScanOptions}. */
export interface InventoryScanOptions {
  readonly sources?: readonly string[];
  readonly stats?: LoadStats;
  readonly diagnostics?: readonly Diagnostic[];
  /** Per-type coverage of a cluster or snapshot source: checks whose data has gaps report errors. */
  readonly coverage?: readonly ResourceTypeCoverage[];
  /** The cluster the inventory was read from. */
  readonly cluster?: ClusterSource;
  /** What the loader could not read: the report is then marked incomplete. */
  readonly incomplete?: readonly IncompleteReason[];
}

/**
 * Scans an inventory that is already loaded.
 *
 * @example
 * const report = scanInventory(inventory, { sources: ['x.yaml'] });
 */
export function scanInventory(inventory: Inventory, options: ScanOptions & InventoryScanOptions = {}): ScanReport {
  return reportOfChecked(checkInventory(inventory, options), options);
}

/**
 * What checking one inventory leaves for its report: everything but the inventory itself, so
 * that a caller that drops the inventory (see {@link scanSource}) ranks the findings and writes
 * the report without holding the parsed objects (about 280 MB for 100,000 objects).
 */
interface CheckedInventory {
  readonly resources: number;
  readonly result: PassResult;
  readonly paths: ScanTopPaths;
  readonly ran: readonly AnyCheck[];
  readonly coverage: ReturnType<typeof computeCoverage> | undefined;
  readonly diagnostics: readonly Diagnostic[];
  readonly stats: LoadStats;
  readonly named: ReadonlySet<string>;
  readonly exceptions: { readonly expired: ExceptionMatcher['expired']; readonly unused: ExceptionMatcher['unused'] };
}

function checkInventory(inventory: Inventory, options: ScanOptions & InventoryScanOptions): CheckedInventory {
  const config = options.config ?? EMPTY_CONFIG;
  const checks = options.preparedChecks ?? prepareChecks(options);
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const exceptions = exceptionMatcher(config, today, checks, [...BUILTIN_FRAMEWORKS, ...(options.frameworks ?? [])]);
  const { severity, params } = overridesFor(checks, config);
  const kubernetesVersion = targetKubernetesVersion(options.kubernetesVersion, options.cluster?.kubernetesVersion);
  options.onProgress?.('check', 0, inventory.size);
  const { result, paths } = runInPasses(
    inventory,
    {
      checks,
      includePassed: options.includePassed === true,
      severityOverrides: severity,
      params,
      exceptions,
      models: builtinModels,
      ...(kubernetesVersion !== undefined ? { kubernetesVersion } : {}),
      ...(options.inputs ? { inputs: options.inputs } : {}),
      ...(options.coverage ? { gaps: gapsFromCoverage(options.coverage) } : {}),
    },
    options.topRisks ?? config.topRisks ?? DEFAULT_TOP_RISKS,
    options.onProgress ? (done, total) => options.onProgress?.('check', done, total) : undefined,
  );
  // Skipped checks (an input they require was not given) did not run: not counted, not coverage.
  const skippedIds = new Set(result.skipped.map((k) => k.id));
  const ran = skippedIds.size > 0 ? checks.filter((c) => !skippedIds.has(c.id)) : checks;
  // Coverage entries carry their cluster, so that merged reports weigh each cluster's checks apart.
  const name = options.cluster?.name;
  const types = name !== undefined ? options.coverage?.map((t) => (t.cluster === undefined ? { ...t, cluster: name } : t)) : options.coverage;
  const coverage = types ? computeCoverage(types, coverageNeeds(ran)) : undefined;
  const diagnostics: Diagnostic[] = [...(options.diagnostics ?? [])];
  const named = namedSkipped(result.skipped, config, options.include ?? []);
  for (const k of result.skipped)
    if (named.has(k.id))
      diagnostics.push({ level: 'warning', code: 'check-skipped', message: `${k.id} (${k.name}) was selected but not run: ${skipReason(k.missing)}` });
  for (const w of exceptions.unexplained) {
    const r = w.resource;
    diagnostics.push({
      level: 'warning',
      code: 'waiver-without-reason',
      message: `${r.cluster ? `${r.cluster}: ` : ''}${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}: annotation ${w.annotation} gives no reason, so it waives nothing; say why the exception is acceptable`,
    });
  }
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
    resources: inventory.size,
    result,
    paths,
    ran,
    coverage,
    diagnostics,
    stats,
    named,
    exceptions: { expired: exceptions.expired, unused: exceptions.unused },
  };
}

/** The report of a checked inventory: its findings grouped and ranked, Top risks, counts. */
function reportOfChecked(checked: CheckedInventory, options: ScanOptions & InventoryScanOptions): ScanReport {
  const { result, paths, ran, coverage, diagnostics, stats, named, exceptions } = checked;
  // The engine's findings are this report's own: grouped in place, not copied.
  const ranked = grouped(result.findings, { totals: result.totals, checksRun: ran.length }, true);
  const topRisks = topRisksOfScanPaths(paths, ranked.findings, {
    ...(options.cluster ? { cluster: options.cluster.name } : {}),
    degraded: (coverage?.degraded ?? []).filter((d) => d.analysis === 'paths' || d.analysis === 'rbac' || d.analysis === 'network').flatMap((d) => d.missing),
  });
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'palisade', version: VERSION },
    generatedAt: new Date().toISOString(),
    sources: options.sources ?? [],
    resources: checked.resources,
    stats: {
      files: stats.files,
      documents: stats.documents,
      nonKubernetes: stats.nonKubernetes,
      parseErrors: stats.parseErrors,
      skippedFiles: stats.skippedFiles,
    },
    ...ranked,
    topRisks,
    perCheck: Object.fromEntries(result.perCheck),
    checks: ran.map(metaOf),
    ...(result.skipped.length > 0
      ? {
          skippedChecks: result.skipped.map((k) => ({ id: k.id, name: k.name, reason: skipReason(k.missing), ...(named.has(k.id) ? { selected: true } : {}) })),
        }
      : {}),
    exceptions: { expired: exceptions.expired, unused: exceptions.unused },
    diagnostics,
    ...(options.cluster
      ? {
          clusters: [
            {
              name: options.cluster.name,
              ...(options.cluster.server !== undefined ? { server: options.cluster.server } : {}),
              ...(options.cluster.kubernetesVersion !== undefined ? { kubernetesVersion: options.cluster.kubernetesVersion } : {}),
              resources: checked.resources,
              coveragePercent: coverage?.percent ?? 100,
            },
          ],
        }
      : {}),
    ...(coverage ? { coverage } : {}),
    ...incompleteSection(options.incomplete ?? []),
  };
}

/** The engine's result without its models, which {@link runInPasses} releases. */
type PassResult = Omit<EngineResult, 'models'>;

/**
 * Runs the checks in passes (see `passesOf` in core/models.ts): first, one pass per group of
 * checks that share models growing with the inventory (RBAC, network and the attack graph
 * built on them; scopes; pods; images), each releasing its models when it ends; last, the
 * checks that use no model or only `bounded` ones, which make most findings (about 80 % on a
 * generated 100,000-object set). One pass held every model and every finding at once: about
 * 270 MB of models on top of 390 MB of findings there. Top risks' paths are taken from the
 * attack graph before its pass ends. The report is the single pass's: findings are ranked by
 * a total order, counts and skipped checks keep the checks' order.
 */
function runInPasses(
  inventory: Inventory,
  options: EngineOptions,
  topRisks: number,
  onProgress: ((done: number, total: number) => void) | undefined,
): { readonly result: PassResult; readonly paths: ScanTopPaths } {
  const { early, late } = passesOf(options.checks, options.models ?? []);
  // Top risks' paths come from the pass that builds the attack graph; without one, from the
  // first pass (which then builds the graph for them).
  const graphPass = Math.max(
    0,
    early.findIndex((p) => p.models.has('paths')),
  );
  const passes = [...early.map((p) => p.checks), ...(late.length > 0 ? [late] : [])];
  if (passes.length === 0) passes.push([]);
  // One locator for every pass: a document with findings of several is indexed once; and
  // one copy of each finding part: an object's findings of every pass share its ref.
  const locator = options.locator ?? new Locator();
  const parts = options.parts ?? new FindingParts();
  const share = 1 / passes.length;
  const results: PassResult[] = [];
  let paths: ScanTopPaths = { status: 'off' };
  passes.forEach((checks, i) => {
    const progress = onProgress ? { onProgress: (done: number, total: number) => onProgress(Math.floor((i + done / total) * share * total), total) } : {};
    // Each pass is its own call, so that nothing here holds its models once it returns.
    const run = onePass(inventory, { ...options, checks, locator, parts, ...progress }, i === graphPass ? topRisks : 0);
    results.push(run.result);
    if (i === graphPass) paths = run.paths;
  });
  return { result: results.length === 1 ? (results[0] as PassResult) : mergePasses(options.checks, results), paths };
}

function onePass(inventory: Inventory, options: EngineOptions, topRisks: number): { readonly result: PassResult; readonly paths: ScanTopPaths } {
  const run = runChecks(inventory, options);
  return { result: { findings: run.findings, perCheck: run.perCheck, totals: run.totals, skipped: run.skipped }, paths: topPathsOfScan(run.models, topRisks) };
}

/** Passes' results as one pass over `checks` gives them: counts and skipped checks in the checks' order. */
function mergePasses(checks: readonly AnyCheck[], passes: readonly PassResult[]): PassResult {
  const perCheck = new Map<string, StatusCounts>();
  const skipped: SkippedCheck[] = [];
  const countsById = new Map(passes.flatMap((p) => [...p.perCheck]));
  const skippedById = new Map(passes.flatMap((p) => p.skipped).map((k) => [k.id, k]));
  for (const c of checks) {
    const counts = countsById.get(c.id);
    if (counts) perCheck.set(c.id, counts);
    const k = skippedById.get(c.id);
    if (k) skipped.push(k);
  }
  const totals = emptyCounts();
  for (const { totals: t } of passes) {
    totals.pass += t.pass;
    totals.fail += t.fail;
    totals.exempt += t.exempt;
    totals.error += t.error;
  }
  const findings: Finding[] = [];
  for (const p of passes) for (const f of p.findings) findings.push(f);
  return { findings, perCheck, totals, skipped };
}

/**
 * The skipped checks the selection named on purpose (`--include` or the configuration's
 * `include`): asked for, not run, so a warning and, under `--fail-on`, not a pass. Checks
 * skipped only because every check was selected are listed in the report, without noise.
 */
function namedSkipped(skipped: readonly SkippedCheck[], config: PalisadeConfig, include: readonly string[]): Set<string> {
  const inc = include.length > 0 ? include : config.include;
  if (inc.length === 0) return new Set();
  return new Set(skipped.filter((k) => inc.some((p) => globMatch(p, k.id) || globMatch(p, k.name))).map((k) => k.id));
}

function incompleteSection(reasons: readonly IncompleteReason[]): Pick<ScanReport, 'incomplete'> {
  const incomplete = incompleteOf(reasons);
  return incomplete ? { incomplete } : {};
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
  prepareChecks(options);
  const scanOptions = { ...options, sources: paths.map((p) => (p === '-' ? '<stdin>' : p)) };
  // The inventory is checked in a call of its own and released before the findings are ranked.
  const checked = await checkManifests(paths, scanOptions, maxFileSize);
  return reportOfChecked(checked.checked, checked.options);
}

async function checkManifests(
  paths: readonly string[],
  options: ScanOptions & InventoryScanOptions,
  maxFileSize: number | undefined,
): Promise<{ readonly checked: CheckedInventory; readonly options: ScanOptions & InventoryScanOptions }> {
  const loaded = await loadManifests(paths, loadOptions(options, maxFileSize, options.defaultNamespace));
  const o = { ...options, stats: loaded.stats, diagnostics: loaded.diagnostics, incomplete: loaded.incomplete };
  return { checked: checkInventory(loaded.inventory, o), options: o };
}

function loadOptions(
  options: Pick<ScanOptions, 'readStdin' | 'helmValues' | 'helmSet'>,
  maxFileSize: number | undefined,
  defaultNamespace: string | undefined,
): LoadOptions {
  return {
    ...(maxFileSize !== undefined ? { maxFileSize } : {}),
    ...(defaultNamespace !== undefined ? { defaultNamespace } : {}),
    ...(options.readStdin ? { readStdin: options.readStdin } : {}),
    ...(options.helmValues ? { helmValues: options.helmValues } : {}),
    ...(options.helmSet ? { helmSet: options.helmSet } : {}),
  };
}

/** What the checks read, for coverage weighted by it: their kinds and their models' reads. */
function coverageNeeds(checks: CoverageNeeds['checks']): CoverageNeeds {
  // Checks of node facts read what `palisade node` collects on a node, never what a cluster
  // serves: counting them as fully read would raise a cluster's coverage for nothing read.
  const fromCluster = checks.filter((c) => !(c.target.kind === 'resource' && c.target.kinds.every((k) => k === NODE_FACTS_KIND)));
  return { checks: fromCluster, models: builtinModels };
}

/**
 * One warning per cluster whose coverage is incomplete (the details are in the report's
 * coverage section), one per analysis built from incomplete data, and one per type whose list
 * failed (timeouts, dropped connections): those are worth retrying, unlike missing permissions.
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
    const checks = coverage.checks
      ? `; ${coverage.checks.total - coverage.checks.complete} of ${coverage.checks.total} checks could not read all they need and report errors`
      : '; checks that need them report errors';
    out.push({
      level: 'warning',
      code: 'coverage-incomplete',
      message: `${prefix}coverage ${coverage.percent}% of what the checks read (${coverage.typesPercent ?? coverage.percent}% of resource types): ${parts.join(', ')} resource types (${names})${checks}`,
    });
  }
  for (const d of coverage.degraded ?? []) out.push({ level: 'warning', code: 'analysis-degraded', message: `${prefix}${describeDegradedAnalysis(d)}` });
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
  /** What could not be read (file sources): the scan is incomplete. */
  readonly incomplete?: readonly IncompleteReason[];
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
  options: Pick<ScanOptions, 'config' | 'maxFileSize' | 'readStdin' | 'defaultNamespace' | 'helmValues' | 'helmSet'> = {},
): Promise<LoadedSource[]> {
  if (spec.kind === 'files') {
    const config = options.config ?? EMPTY_CONFIG;
    const maxFileSize = options.maxFileSize ?? config.maxFileSize;
    const loaded = await loadManifests(spec.paths, loadOptions(options, maxFileSize, spec.defaultNamespace ?? options.defaultNamespace));
    return [
      {
        inventory: loaded.inventory,
        sources: spec.paths.map((p) => (p === '-' ? '<stdin>' : p)),
        stats: loaded.stats,
        diagnostics: loaded.diagnostics,
        ...(loaded.incomplete.length > 0 ? { incomplete: loaded.incomplete } : {}),
      },
    ];
  }
  // Snapshot and cluster sources are loaded on first use: a scan of files does not pay for
  // their modules (HTTP, TLS, gzip) at startup.
  if (spec.kind === 'snapshot') {
    const { readSnapshot } = await import('./sources/snapshot.js');
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
  const { loadClusters } = await import('./sources/cluster/index.js');
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
  return mergeReports(loaded.map((l) => scanInventory(l.inventory, sourceOptions(l, options))));
}

/** What {@link scanSource} may do between loading and checking. */
export interface ScanSourceHooks {
  /**
   * The per-scan inputs the engine's models read (`scan --images` pulls and analyses the
   * images of the loaded inventories here); undefined: none.
   */
  readonly inputs?: (loaded: readonly LoadedSource[]) => Promise<ScanInputs | undefined>;
}

/**
 * Loads a source and scans it, like `scanLoaded(await loadSource(spec, options), options)`,
 * but the inventories are released once checked: the findings are ranked and the report is
 * built without the parsed objects alive. What `palisade scan` runs.
 *
 * @example
 * const report = await scanSource({ kind: 'files', paths: ['deploy/'] });
 */
export async function scanSource(spec: SourceSpec, options: ScanOptions = {}, hooks: ScanSourceHooks = {}): Promise<ScanReport> {
  const checked = await checkSource(spec, options, hooks);
  return mergeReports(checked.map((c) => reportOfChecked(c.checked, c.options)));
}

/** Loads and checks; the inventories live in this call only (V8 keeps a frame's values until it returns). */
async function checkSource(
  spec: SourceSpec,
  options: ScanOptions,
  hooks: ScanSourceHooks,
): Promise<{ readonly checked: CheckedInventory; readonly options: ScanOptions & InventoryScanOptions }[]> {
  const loaded = await loadSource(spec, options);
  const inputs = hooks.inputs ? await hooks.inputs(loaded) : undefined;
  const scanOptions = inputs ? { ...options, inputs } : options;
  return loaded.map((l) => {
    const o = sourceOptions(l, scanOptions);
    return { checked: checkInventory(l.inventory, o), options: o };
  });
}

/** A scan's options with what one loaded source says of itself (sources, stats, coverage, cluster). */
export function sourceOptions<T extends ScanOptions>(l: LoadedSource, options: T): T & InventoryScanOptions {
  return {
    ...options,
    sources: l.sources,
    diagnostics: l.diagnostics,
    ...(l.stats ? { stats: l.stats } : {}),
    ...(l.coverage ? { coverage: l.coverage } : {}),
    ...(l.cluster ? { cluster: l.cluster } : {}),
    ...(l.incomplete ? { incomplete: l.incomplete } : {}),
  };
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
  return scanSource({ kind: 'cluster', options: clusterOptions }, options);
}

/**
 * Scans a snapshot written by `palisade snapshot`: the same results as the live scan it was taken from.
 *
 * @example
 * const report = await scanSnapshot('prod.snapshot.json.gz');
 */
export async function scanSnapshot(file: string, options: ScanOptions = {}): Promise<ScanReport> {
  return scanSource({ kind: 'snapshot', file }, options);
}

/** The findings grouped by root cause and ranked, with the summary that counts them. */
function grouped(
  raw: readonly Finding[],
  counts: Pick<ScanReport['summary'], 'totals' | 'checksRun'>,
  inPlace = false,
): Pick<ScanReport, 'findings' | 'summary'> {
  const { findings, problems } = groupFindings(raw, { inPlace });
  return { findings, summary: { totals: counts.totals, failBySeverity: failBySeverity(findings), checksRun: counts.checksRun, problems } };
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
    ...grouped(findings, { totals: reports.map((r) => r.summary.totals).reduce(sumCounts), checksRun: first.summary.checksRun }),
    ...mergedTopRisks(reports),
    perCheck,
    exceptions: {
      expired: [...new Set(reports.flatMap((r) => r.exceptions.expired))],
      unused: first.exceptions.unused.filter((rule) => rest.every((r) => r.exceptions.unused.includes(rule))),
    },
    diagnostics,
    ...(clusters.length > 0 ? { clusters } : {}),
    ...(reports.some((r) => r.coverage) ? { coverage: computeCoverage(types, coverageNeeds(first.checks)) } : {}),
    ...incompleteSection(reports.flatMap((r) => r.incomplete?.reasons ?? [])),
  };
}

function mergedTopRisks(reports: readonly ScanReport[]): Pick<ScanReport, 'topRisks'> {
  const topRisks = mergeTopRisks(reports.map((r) => r.topRisks));
  return topRisks ? { topRisks } : {};
}

/** What a gate decides on. */
export interface GateOptions {
  /** Fail (exit 1) on a failing finding at or above this severity. */
  readonly failOn?: Severity;
  /** Fail (exit 1) when cluster coverage is below this percentage. */
  readonly minCoverage?: number;
  /** Let `failOn` pass although the scan is incomplete. */
  readonly allowIncomplete?: boolean;
}

/** The gate's verdict: the process exit code and why. */
export interface GateVerdict {
  /** 0 pass, 1 findings / coverage / incomplete input, 2 nothing was scanned. */
  readonly exitCode: 0 | 1 | 2;
  /** One line per reason the gate did not pass. */
  readonly reasons: readonly string[];
}

/**
 * Decides the exit code of a scan, the same way for every entry point:
 * - 2 when nothing was scanned (a manifest scan that found no Kubernetes object);
 * - 1 when a failing finding reaches `failOn`, coverage is below `minCoverage`, or, with
 *   `failOn`, the scan is incomplete (unreadable, unparsable, skipped or unrendered input, or
 *   checks that ended in `error`: forbidden data, a model that could not be built) and
 *   `allowIncomplete` is not set;
 * - 0 otherwise.
 *
 * @example
 * const { exitCode, reasons } = gateVerdict(report, { failOn: 'high' });
 */
export function gateVerdict(report: ScanReport, options: GateOptions = {}): GateVerdict {
  const fromFiles = report.clusters === undefined && report.coverage === undefined;
  if (fromFiles && report.resources === 0) {
    const why = report.incomplete ? ` (${describeIncomplete(report.incomplete)})` : '';
    return {
      exitCode: 2,
      reasons: [`nothing was scanned: no Kubernetes object found in ${report.sources.join(', ') || 'the given paths'}${why}`],
    };
  }
  const reasons: string[] = [];
  if (options.failOn && failsGate(report, options.failOn)) reasons.push(`failing findings at or above ${options.failOn}`);
  if (options.minCoverage !== undefined && failsCoverageGate(report, options.minCoverage))
    reasons.push(`coverage ${report.coverage?.percent ?? 100}% is below --fail-on-coverage-below ${options.minCoverage}`);
  if (options.failOn && report.incomplete && !options.allowIncomplete)
    reasons.push(`the scan is ${describeIncomplete(report.incomplete)}; fix the input or pass --allow-incomplete`);
  // A check the selection named but the scan could not run (no vulnerability database) was not checked.
  const notRun = (report.skippedChecks ?? []).filter((k) => k.selected === true);
  if (options.failOn && notRun.length > 0 && !options.allowIncomplete)
    reasons.push(
      `${notRun.length} selected check${notRun.length === 1 ? ' was' : 's were'} not run (${notRun.map((k) => `${k.id}: ${k.reason}`).join('; ')}); pass --allow-incomplete to accept it`,
    );
  // A check that could not evaluate (data forbidden, a model that could not be built, a check
  // that threw) did work the gate cannot vouch for: it never passes silently.
  const errors = report.summary.totals.error;
  if (options.failOn && errors > 0 && !options.allowIncomplete) {
    const checks = new Set(report.findings.filter((f) => f.status === 'error').map((f) => f.check)).size;
    reasons.push(
      `${checks} check${checks === 1 ? '' : 's'} could not be fully evaluated (${errors} error finding${errors === 1 ? '' : 's'}); see the errors in the report, or pass --allow-incomplete`,
    );
  }
  return { exitCode: reasons.length > 0 ? 1 : 0, reasons };
}
