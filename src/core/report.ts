/**
 * The scan report: everything reporters need, as plain data. The JSON reporter prints it
 * as it is (schema in docs/json-report.md).
 */
import type { CheckMeta } from './check.js';
import type { StatusCounts } from './engine.js';
import type { ExceptionRule } from './exceptions.js';
import type { Diagnostic, Finding, Severity } from './types.js';
import { SEVERITIES, severityRank } from './types.js';

export const REPORT_SCHEMA_VERSION = '1';

/** What a scan produced. */
export interface ScanReport {
  readonly schemaVersion: string;
  readonly tool: { readonly name: string; readonly version: string };
  /** ISO timestamp of the scan. */
  readonly generatedAt: string;
  /** Paths (or `<stdin>`) scanned. */
  readonly sources: readonly string[];
  /** Kubernetes objects scanned (List items counted, non-Kubernetes documents not). */
  readonly resources: number;
  readonly stats: {
    readonly files: number;
    readonly documents: number;
    readonly nonKubernetes: number;
    readonly parseErrors: number;
    readonly skippedFiles: number;
  };
  /** Findings that are not passes (and passes too with `includePassed`). */
  readonly findings: readonly Finding[];
  readonly summary: {
    readonly totals: StatusCounts;
    /** Failing findings per severity. */
    readonly failBySeverity: Readonly<Record<Severity, number>>;
    readonly checksRun: number;
  };
  /** Per check id: status counts. */
  readonly perCheck: Readonly<Record<string, StatusCounts>>;
  /** The checks that ran (metadata only). */
  readonly checks: readonly CheckMeta[];
  readonly exceptions: { readonly expired: readonly ExceptionRule[]; readonly unused: readonly ExceptionRule[] };
  readonly diagnostics: readonly Diagnostic[];
}

/** Counts failing findings per severity. */
export function failBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const out = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) if (f.status === 'fail') out[f.severity]++;
  return out;
}

/** True when a failing finding is at or above the threshold. */
export function failsGate(report: Pick<ScanReport, 'findings'>, threshold: Severity): boolean {
  const min = severityRank(threshold);
  return report.findings.some((f) => f.status === 'fail' && severityRank(f.severity) >= min);
}

/** Sorts findings: severity (most serious first), then check id, resource, pointer. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      a.check.localeCompare(b.check) ||
      (a.resource.namespace ?? '').localeCompare(b.resource.namespace ?? '') ||
      a.resource.kind.localeCompare(b.resource.kind) ||
      a.resource.name.localeCompare(b.resource.name) ||
      a.pointer.localeCompare(b.pointer),
  );
}
