/**
 * Vulnerability reports (`palisade vuln match`, and the image commands): a table for people,
 * JSON for tools, SARIF 2.1.0 for code-scanning services. Findings a VEX statement suppresses
 * are listed apart with the statement, never dropped silently.
 */
import { createHash } from 'node:crypto';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { type Severity, SEVERITIES, severityRank } from '../core/types.js';
import type { PackageVulnerability } from '../packages/packages.js';
import { VERSION } from '../version.js';
import { padVisible, painter, visibleLength } from './ansi.js';
import { artifactLocation, INFORMATION_URI, SARIF_LEVEL, SARIF_SCHEMA_URI } from './sarif.js';

export type VulnFormat = 'table' | 'json' | 'sarif';

/** What a vulnerability report shows. */
export interface VulnReport {
  /** The input that was matched (an SBOM or package list path, an image reference). */
  readonly target: string;
  readonly vulnerabilities: readonly PackageVulnerability[];
  /** Packages the matcher could not fully judge, and why. */
  readonly unmatched: readonly { readonly purl: string; readonly reason: string }[];
  readonly packages: number;
  readonly database?: { readonly path: string; readonly builtAt: string; readonly ageDays: number };
}

/** Sort: most severe first, then KEV, then EPSS, then id. */
function order(a: PackageVulnerability, b: PackageVulnerability): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    Number(b.kev ?? false) - Number(a.kev ?? false) ||
    (b.epss ?? 0) - (a.epss ?? 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) ||
    (a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : 0)
  );
}

/** Counts of active (not suppressed) findings per severity. */
export function severityCounts(vulns: readonly PackageVulnerability[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const v of vulns) if (v.vex === undefined && (v.status === 'fixed' || v.status === 'affected')) counts[v.severity]++;
  return counts;
}

/**
 * Renders a vulnerability report.
 *
 * @example
 * process.stdout.write(renderVulnReport(report, 'table', { color: false }));
 */
export function renderVulnReport(report: VulnReport, format: VulnFormat, options: { color?: boolean } = {}): string {
  if (format === 'json') return `${JSON.stringify(toJson(report), null, 2)}\n`;
  if (format === 'sarif') return `${JSON.stringify(toSarif(report), null, 2)}\n`;
  return toTable(report, options.color ?? false);
}

function toJson(report: VulnReport): Record<string, unknown> {
  const sorted = [...report.vulnerabilities].sort(order);
  return {
    target: report.target,
    packages: report.packages,
    ...(report.database !== undefined ? { database: report.database } : {}),
    summary: severityCounts(sorted),
    vulnerabilities: sorted.filter((v) => v.vex === undefined),
    suppressed: sorted.filter((v) => v.vex !== undefined),
    unmatched: report.unmatched,
  };
}

function toTable(report: VulnReport, color: boolean): string {
  const p = painter(color);
  const sorted = [...report.vulnerabilities].sort(order);
  const active = sorted.filter((v) => v.vex === undefined);
  const suppressed = sorted.filter((v) => v.vex !== undefined);
  const lines: string[] = [];
  if (active.length > 0) {
    const rows = active.map((v) => [
      v.id,
      v.severitySource === 'none' ? p.dim('UNKNOWN') : p.severity(v.severity, v.severity.toUpperCase()),
      v.packageName,
      v.installedVersion,
      v.status === 'fixed' ? (v.fixedVersion ?? '') : v.status === 'affected' ? p.dim('no fix') : v.status,
      [v.kev ? 'KEV' : '', v.epss !== undefined ? `EPSS ${(v.epss * 100).toFixed(1)}%` : ''].filter((x) => x !== '').join(' '),
      truncate(v.summary ?? v.note ?? '', 60),
    ]);
    lines.push(...grid(['ID', 'SEVERITY', 'PACKAGE', 'INSTALLED', 'FIXED IN', 'EXPLOIT', 'SUMMARY'], rows, p.bold));
  }
  if (suppressed.length > 0) {
    lines.push('', p.bold(`Suppressed by VEX (${suppressed.length}):`));
    for (const v of suppressed) {
      const vex = v.vex as NonNullable<PackageVulnerability['vex']>;
      const why = [vex.status, vex.justification].filter((x) => x !== undefined).join(': ');
      lines.push(`  ${v.id} ${v.packageName} ${v.installedVersion}: ${why}${vex.statement !== undefined ? ` - ${vex.statement}` : ''} (${vex.source})`);
    }
  }
  if (report.unmatched.length > 0) {
    lines.push('', p.bold(`Not fully checked (${report.unmatched.length}):`));
    for (const u of report.unmatched.slice(0, 20)) lines.push(`  ${u.purl}: ${u.reason}`);
    if (report.unmatched.length > 20) lines.push(`  ... and ${report.unmatched.length - 20} more (see -f json)`);
  }
  const counts = severityCounts(sorted);
  const total = active.filter((v) => v.status === 'fixed' || v.status === 'affected').length;
  const parts = SEVERITIES.filter((s) => counts[s] > 0).map((s) => p.severity(s, `${counts[s]} ${s}`));
  const fixable = active.filter((v) => v.status === 'fixed').length;
  lines.push(
    '',
    `${report.target}: ${report.packages} packages, ${total} vulnerabilit${total === 1 ? 'y' : 'ies'}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}, ${fixable} with a fix${suppressed.length > 0 ? `, ${suppressed.length} suppressed by VEX` : ''}`,
  );
  return `${lines.join('\n').replace(/^\n+/, '')}\n`;
}

function truncate(text: string, width: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > width ? `${t.slice(0, width - 1)}…` : t;
}

function grid(header: readonly string[], rows: readonly string[][], bold: (s: string) => string): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : padVisible(c, widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [bold(line(header)), ...rows.map(line)];
}

/** The score GitHub reads as the alert's severity: the CVSS base score when known. */
function securitySeverity(v: PackageVulnerability): string {
  if (v.cvss !== undefined) return v.cvss.score.toFixed(1);
  return { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' }[v.severity];
}

function toSarif(report: VulnReport): Log {
  const sorted = [...report.vulnerabilities].sort(order);
  const rules = new Map<string, ReportingDescriptor>();
  const results: Result[] = [];
  for (const v of sorted) {
    if (!rules.has(v.id)) {
      rules.set(v.id, {
        id: v.id,
        name: v.id,
        shortDescription: { text: v.summary !== undefined ? truncate(v.summary, 200) : v.id },
        ...(v.id.startsWith('CVE-')
          ? { helpUri: `https://nvd.nist.gov/vuln/detail/${v.id}` }
          : { helpUri: `https://osv.dev/vulnerability/${encodeURIComponent(v.id)}` }),
        properties: { 'security-severity': securitySeverity(v), tags: ['security', 'vulnerability', ...(v.kev ? ['kev'] : [])], severity: v.severity },
      });
    }
    const fix = v.status === 'fixed' && v.fixedVersion !== undefined ? `fixed in ${v.fixedVersion}` : 'no fix published';
    results.push({
      ruleId: v.id,
      level: SARIF_LEVEL[v.severity],
      message: { text: `${v.packageName} ${v.installedVersion} is affected by ${v.id} (${v.severity}${v.kev ? ', known exploited' : ''}): ${fix}.` },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(report.target) }, logicalLocations: [{ name: v.purl, kind: 'package' }] }],
      partialFingerprints: { 'palisadeVulnerability/v1': createHash('sha256').update(`${v.id}\n${v.purl}`).digest('hex') },
      properties: {
        purl: v.purl,
        status: v.status,
        ...(v.fixedVersion !== undefined ? { fixedVersion: v.fixedVersion } : {}),
        ...(v.cvss !== undefined ? { cvss: v.cvss } : {}),
        ...(v.epss !== undefined ? { epss: v.epss } : {}),
      },
      ...(v.vex !== undefined
        ? {
            suppressions: [
              {
                kind: 'external',
                justification: [v.vex.status, v.vex.justification, v.vex.statement].filter((x) => x !== undefined).join(': '),
              },
            ],
          }
        : {}),
    } as Result);
  }
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'palisade', version: VERSION, informationUri: INFORMATION_URI, rules: [...rules.values()] } }, results }],
  };
}
