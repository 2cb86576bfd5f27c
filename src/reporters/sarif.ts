/**
 * SARIF 2.1.0 for code-scanning services (GitHub code scanning, Azure DevOps, SonarQube).
 * Follows GitHub's conventions: `security-severity` and `security` tag on rules, relative
 * URIs against `SRCROOT`, and stable `partialFingerprints` so alerts survive line moves.
 *
 * Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
import { createHash } from 'node:crypto';
import type { Location, Log, Notification, ReportingDescriptor, Result, Run } from 'sarif';
import type { CheckMeta } from '../core/check.js';
import type { ScanReport } from '../core/report.js';
import { type Problem, problemsOf } from '../core/grouping.js';
import { describeCoverageGap, describeTopRisks, filterReport } from '../core/report.js';
import type { CoverageStatus, Diagnostic, Finding, Severity, SourceLocation } from '../core/types.js';
import { frameworkLabel, webReferences } from './shared.js';
import type { Reporter } from './types.js';

/** Where users learn about the tool (SARIF `tool.driver.informationUri`). */
export const INFORMATION_URI = 'https://www.npmjs.com/package/kube-palisade';

/** The `$schema` written in the log: the `$id` of the official 2.1.0 schema. */
export const SARIF_SCHEMA_URI = 'https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json';

/** The partialFingerprints key; bump the version if the hashed fields ever change. */
export const FINGERPRINT_KEY = 'palisadeFinding/v1';

/**
 * GitHub code scanning maps `security-severity` to its own levels: over 9.0 critical,
 * 7.0 to 8.9 high, 4.0 to 6.9 medium, 0.1 to 3.9 low, 0 none.
 */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

/** SARIF levels: GitHub fails a check run on `error` by default. */
export const SARIF_LEVEL: Readonly<Record<Severity, Result.level>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/**
 * The artifact location of a source file: relative paths (the usual case: paths given on
 * the command line) resolve against `SRCROOT`, absolute ones become `file:` URIs, and
 * stdin gets the placeholder `stdin`.
 *
 * @example
 * artifactLocation('deploy/my app.yaml'); // { uri: 'deploy/my%20app.yaml', uriBaseId: 'SRCROOT' }
 */
export function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  if (file === '<stdin>' || file === '-') return { uri: 'stdin' };
  const path = file.replace(/\\/g, '/');
  const encode = (p: string) => p.split('/').map(encodeURIComponent).join('/');
  if (path.startsWith('/')) return { uri: `file://${encode(path)}` };
  const drive = /^([A-Za-z]):\/(.*)$/.exec(path);
  if (drive) return { uri: `file:///${drive[1]}:/${encode(drive[2] ?? '')}` };
  return { uri: encode(path.replace(/^(\.\/)+/, '')), uriBaseId: 'SRCROOT' };
}

/**
 * A hash of what identifies a finding (check, object, container, pointer), but not its
 * line, so an alert keeps its identity when the file around it changes. apiVersion is left
 * out too: migrating `extensions/v1beta1` to `apps/v1` is not a new problem.
 *
 * @example
 * findingFingerprint(finding); // '3f5c…' (64 hex digits)
 */
export function findingFingerprint(f: Pick<Finding, 'check' | 'resource' | 'container' | 'pointer'>): string {
  const identity = [f.check, f.resource.kind, f.resource.namespace ?? '', f.resource.name, f.container ?? '', f.pointer];
  // Only cluster scans name a cluster; appending it leaves manifest fingerprints unchanged.
  if (f.resource.cluster !== undefined) identity.push(f.resource.cluster);
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex');
}

function physical(loc: SourceLocation): Location['physicalLocation'] {
  return {
    artifactLocation: artifactLocation(loc.file),
    region: { startLine: Math.max(1, loc.line), startColumn: Math.max(1, loc.column) },
  };
}

/**
 * `namespace/Kind/name` (or `Kind/name` without a namespace) as the logical location,
 * prefixed with `cluster/` for objects read from a cluster.
 */
function location(f: Finding): Location {
  const { kind, namespace, name, cluster } = f.resource;
  const fqn = `${cluster !== undefined ? `${cluster}/` : ''}${namespace ? `${namespace}/` : ''}${kind}/${name}`;
  return {
    ...(f.location ? { physicalLocation: physical(f.location) } : {}),
    logicalLocations: [{ name, fullyQualifiedName: fqn, kind: 'resource' }],
  };
}

function helpText(check: CheckMeta): { text: string; markdown: string } {
  const refs = check.docs.references ?? [];
  const frameworks = check.frameworks.map(frameworkLabel);
  const text = [
    check.docs.remediation,
    refs.length > 0 ? `References:\n${refs.map((r) => `- ${r}`).join('\n')}` : '',
    frameworks.length > 0 ? `Frameworks:\n${frameworks.map((r) => `- ${r}`).join('\n')}` : '',
  ];
  const markdown = [
    `**Remediation**\n\n${check.docs.remediation}`,
    refs.length > 0 ? `**References**\n\n${refs.map((r) => (/^https?:\/\//i.test(r) ? `- <${r}>` : `- ${r}`)).join('\n')}` : '',
    frameworks.length > 0 ? `**Frameworks**\n\n${frameworks.map((r) => `- ${r}`).join('\n')}` : '',
  ];
  return { text: text.filter(Boolean).join('\n\n'), markdown: markdown.filter(Boolean).join('\n\n') };
}

function rule(check: CheckMeta): ReportingDescriptor {
  const helpUri = webReferences(check)[0];
  return {
    id: check.id,
    name: check.name,
    ...(check.aliases && check.aliases.length > 0 ? { deprecatedIds: [...check.aliases] } : {}),
    shortDescription: { text: check.title },
    fullDescription: { text: check.docs.description, markdown: check.docs.description },
    help: helpText(check),
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: SARIF_LEVEL[check.severity] },
    properties: {
      tags: [...new Set(['security', 'kubernetes', check.category, ...check.frameworks])],
      'security-severity': SECURITY_SEVERITY[check.severity],
      precision: 'very-high',
    },
  };
}

/** A rule for a finding whose check is missing from `report.checks` (should not happen, but ids must resolve). */
function ruleFromFinding(f: Finding): CheckMeta {
  return {
    id: f.check,
    name: f.name,
    title: f.title,
    severity: f.defaultSeverity,
    category: f.category,
    frameworks: f.frameworks,
    docs: { description: f.title, remediation: 'See the check documentation.' },
    target: { kind: 'cluster' },
  };
}

/**
 * Links the findings of one problem: the primary lists the others, each other one points back
 * at the primary, as related locations (ids are 1-based positions in the problem).
 */
function relatedLocations(f: Finding, problem: Problem | undefined): Location[] {
  if (!problem || problem.related.length === 0) return [];
  const members = [problem.primary, ...problem.related];
  const others = f === problem.primary ? problem.related : [problem.primary];
  return others.map((o) => ({
    id: members.indexOf(o) + 1,
    ...location(o),
    message: { text: `${o === problem.primary ? 'grouped under' : 'also reported by'} ${o.check} ${o.name}: ${o.message}` },
  }));
}

function result(f: Finding, ruleIndex: number, problem?: Problem): Result {
  const related = relatedLocations(f, problem);
  return {
    ruleId: f.check,
    ruleIndex,
    level: SARIF_LEVEL[f.severity],
    message: { text: f.message },
    locations: [location(f)],
    ...(related.length > 0 ? { relatedLocations: related } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: findingFingerprint(f) },
    ...(f.status === 'exempt'
      ? {
          suppressions: [
            {
              // An annotation lives in the manifest itself; a config exception lives elsewhere.
              kind: f.exemption?.source === 'annotation' ? 'inSource' : 'external',
              justification: f.exemption?.reason ?? '',
            },
          ],
        }
      : {}),
    properties: {
      pointer: f.pointer,
      resource: { ...f.resource },
      ...(f.container !== undefined ? { container: f.container } : {}),
      ...(f.affectedPods !== undefined ? { affectedPods: f.affectedPods } : {}),
      severity: f.severity,
      ...(f.severity !== f.defaultSeverity ? { defaultSeverity: f.defaultSeverity } : {}),
      ...(f.exemption?.expires ? { exemptionExpires: f.exemption.expires } : {}),
      ...(f.evidence ? { evidence: { ...f.evidence } } : {}),
      ...(problem ? { groupId: problem.id, rank: problem.rank, primary: f === problem.primary } : {}),
    },
  };
}

const NOTIFICATION_LEVEL: Readonly<Record<Diagnostic['level'], Notification.level>> = { error: 'error', warning: 'warning', notice: 'note' };

function diagnosticNotification(d: Diagnostic): Notification {
  return {
    level: NOTIFICATION_LEVEL[d.level],
    message: { text: d.message },
    descriptor: { id: d.code },
    ...(d.location ? { locations: [{ physicalLocation: physical(d.location) }] } : {}),
  };
}

// A type that failed to load (timeout, server error) leaves the analysis incomplete; a
// forbidden or partial one is the usual RBAC situation, worth a warning.
const COVERAGE_LEVEL: Readonly<Record<CoverageStatus, Notification.level>> = {
  ok: 'none',
  partial: 'warning',
  forbidden: 'warning',
  failed: 'error',
  skipped: 'note',
};

function coverageNotifications(report: ScanReport): Notification[] {
  const multi = (report.clusters?.length ?? 0) > 1;
  return (report.coverage?.types ?? [])
    .filter((t) => t.status !== 'ok')
    .map((t) => ({
      level: COVERAGE_LEVEL[t.status],
      message: { text: `${multi && t.cluster ? `${t.cluster}: ` : ''}${describeCoverageGap(t)}` },
      descriptor: { id: `coverage-${t.status}` },
    }));
}

function errorNotification(f: Finding, ruleIndex: number): Notification {
  return {
    level: 'error',
    message: { text: f.message },
    descriptor: { id: 'check-error' },
    associatedRule: { id: f.check, index: ruleIndex },
    locations: [location(f)],
  };
}

/**
 * Builds the SARIF log object.
 *
 * @example
 * const log = toSarif(report);
 * log.runs[0]?.results?.length;
 */
export function toSarif(report: ScanReport): Log {
  const metas = [...report.checks];
  const known = new Set(metas.map((c) => c.id));
  for (const f of report.findings) {
    if (known.has(f.check)) continue;
    known.add(f.check);
    metas.push(ruleFromFinding(f));
  }
  metas.sort((a, b) => a.id.localeCompare(b.id));
  const index = new Map(metas.map((c, i) => [c.id, i]));
  const problems = problemsOf(report.findings);
  const sorted = problems.flatMap((p) => [p.primary, ...p.related]);
  const problemOf = new Map<Finding, Problem>();
  for (const p of problems) for (const f of [p.primary, ...p.related]) problemOf.set(f, p);
  const results = sorted.filter((f) => f.status === 'fail' || f.status === 'exempt').map((f) => result(f, index.get(f.check) ?? -1, problemOf.get(f)));
  const notifications = [
    ...sorted.filter((f) => f.status === 'error').map((f) => errorNotification(f, index.get(f.check) ?? -1)),
    ...report.diagnostics.map(diagnosticNotification),
    ...coverageNotifications(report),
  ];
  const failed = notifications.some((n) => n.level === 'error') || report.incomplete !== undefined;
  const run: Run = {
    tool: {
      driver: {
        name: report.tool.name,
        version: report.tool.version,
        semanticVersion: report.tool.version,
        informationUri: INFORMATION_URI,
        rules: metas.map(rule),
      },
    },
    invocations: [
      {
        // Not "did the tool crash" but "is the analysis complete": a crashed check or an
        // unreadable file means some objects were not (fully) analysed.
        executionSuccessful: !failed,
        endTimeUtc: report.generatedAt,
        ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
      },
    ],
    results,
    properties: {
      // First, as in every format: the attack paths that matter most (docs/json-report.md),
      // and one line saying what the section holds (or why it is empty).
      ...(report.topRisks
        ? { topRisksSummary: describeTopRisks(report.topRisks), topRisks: JSON.parse(JSON.stringify(report.topRisks)) as Record<string, unknown> }
        : {}),
      sources: [...report.sources],
      resources: report.resources,
      checksRun: report.summary.checksRun,
      ...(report.clusters ? { clusters: report.clusters.map((c) => ({ ...c })) } : {}),
      ...(report.coverage ? { coveragePercent: report.coverage.percent, coverageCounts: { ...report.coverage.counts } } : {}),
      ...(report.incomplete ? { incomplete: { paths: report.incomplete.paths, reasons: report.incomplete.reasons.map((r) => ({ ...r })) } } : {}),
    },
  };
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

/** SARIF 2.1.0 for code scanning. */
export const sarifReporter: Reporter = {
  name: 'sarif',
  description: 'SARIF 2.1.0 for GitHub code scanning and other SARIF viewers',
  extension: 'sarif',
  render: (report, options) => `${JSON.stringify(toSarif(filterReport(report, options.minSeverity)), null, 2)}\n`,
};
