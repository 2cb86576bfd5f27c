/**
 * `fixLoaded`: the fixes of loaded sources, proven by a second scan (`palisade fix`). Apart from
 * `scan.ts` so that a scan does not load the YAML editing code (the `yaml` package) that only
 * fixing needs.
 */
import { builtinModels } from './checks/models.js';
import { EMPTY_CONFIG } from './config/config.js';
import { runChecks } from './core/engine.js';
import { ExceptionMatcher } from './core/exceptions.js';
import { sourceFileOf } from './core/finding.js';
import { Inventory } from './core/inventory.js';
import type { ScanReport } from './core/report.js';
import type { Resource, Severity } from './core/types.js';
import { type FixOutcome, objectKey, planFixes } from './fix/fix.js';
import {
  type LoadedSource,
  mergeReports,
  overridesFor,
  prepareChecks,
  type ScanOptions,
  scanInventory,
  sourceOptions,
  targetKubernetesVersion,
} from './scan.js';
import { addManifestText } from './sources/files.js';

/** Options of {@link fixLoaded}: a scan's options plus which fixes to apply. */
export interface FixRunOptions extends ScanOptions {
  /** Also apply the fixes marked "review" (`--unsafe-fixes`). */
  readonly unsafe?: boolean;
  /** Only fix findings at or above this severity. */
  readonly minSeverity?: Severity;
  /**
   * Reads a manifest file to edit in place; returns undefined for a name that is not an editable
   * file (`<stdin>`, rendered charts). Injected by the CLI, which owns the file system policy.
   */
  readonly readText: (file: string) => string | undefined;
}

/** The scan of the unchanged sources and the proven fixes of each loaded inventory. */
export interface FixRun {
  readonly report: ScanReport;
  readonly outcomes: readonly FixOutcome[];
}

/**
 * Plans the fixes of loaded sources and proves them with a second scan by the same engine, with
 * the same checks, configuration and exceptions (see `src/fix/fix.ts`). Writes nothing: the
 * caller writes `outcome.files`, prints diffs or emits patches.
 *
 * @example
 * const loaded = await loadSource({ kind: 'files', paths: ['deploy/'] });
 * const { outcomes } = fixLoaded(loaded, { readText: (f) => readFileSync(f, 'utf8') });
 */
export function fixLoaded(loaded: readonly LoadedSource[], options: FixRunOptions): FixRun {
  const outcomes: FixOutcome[] = [];
  const reports: ScanReport[] = [];
  for (const l of loaded) {
    const report = scanInventory(l.inventory, sourceOptions(l, options));
    reports.push(report);
    const byKey = new Map<string, Resource>();
    for (const r of l.inventory.all) byKey.set(objectKey(r.ref, r.location?.file), r);
    const remediation = new Map(report.checks.map((c) => [c.id, c.docs.remediation]));
    const checks = prepareChecks(options);
    // Checks that judge an object by itself: the ones that carry fixes. Models other than the
    // per-pod PSS view, and cluster-wide checks, would be built for nothing on a one-object inventory.
    const localChecks = checks.filter((c) => c.target.kind !== 'cluster' && (c.uses ?? []).every((m) => m === 'pss') && (c.needs ?? []).length === 0);
    const config = options.config ?? EMPTY_CONFIG;
    const { severity, params } = overridesFor(checks, config);
    const exceptions = new ExceptionMatcher(config.exceptions, options.today ?? new Date().toISOString().slice(0, 10), config.nonWaivable);
    const kubernetesVersion = targetKubernetesVersion(options.kubernetesVersion, l.cluster?.kubernetesVersion);
    // An empty inventory read as the source's was (its cluster, its default namespace).
    const emptyLike = (): Inventory =>
      new Inventory({
        ...(l.inventory.cluster !== undefined ? { cluster: l.inventory.cluster } : {}),
        ...(l.inventory.defaultNamespace !== undefined ? { defaultNamespace: l.inventory.defaultNamespace } : {}),
      });
    // The engine with the scan's severities, parameters, exceptions and target version.
    const engine = (inv: Inventory, selected: typeof checks) =>
      runChecks(inv, {
        checks: selected,
        models: builtinModels,
        severityOverrides: severity,
        params,
        exceptions,
        ...(kubernetesVersion !== undefined ? { kubernetesVersion } : {}),
      }).findings;
    outcomes.push(
      planFixes({
        findings: report.findings,
        selection: { ...(options.unsafe ? { unsafe: true } : {}), ...(options.minSeverity ? { minSeverity: options.minSeverity } : {}) },
        readText: options.readText,
        objectOf: (f) => byKey.get(objectKey(f.resource, sourceFileOf(f)))?.object,
        remediationOf: (id) => remediation.get(id) ?? '',
        checkObject: (object) => {
          const inv = emptyLike();
          inv.add({ object });
          return engine(inv, localChecks);
        },
        rescan: ({ texts, objects }) => {
          const inv = emptyLike();
          for (const r of l.inventory.all) {
            const file = r.location?.file;
            if (file !== undefined && texts.has(file)) continue;
            const patched = objects.get(objectKey(r.ref, file));
            inv.add({
              object: patched ?? r.object,
              ...(r.location ? { location: r.location } : {}),
              ...(patched === undefined && r.positions ? { positions: r.positions } : {}),
            });
          }
          const stats = { files: 0, documents: 0, resources: 0, nonKubernetes: 0, parseErrors: 0, skippedFiles: 0 };
          for (const [file, text] of texts) addManifestText(inv, text, file, [], stats);
          // The engine alone, as the first scan ran it: the report's grouping is not needed to compare.
          return engine(inv, checks);
        },
      }),
    );
  }
  return { report: mergeReports(reports), outcomes };
}
