/**
 * The terminal report: failing problems by severity (most serious first) in the report's risk
 * order, each with the other checks that report the same root cause ("also: ..."); exempt
 * findings and errors in short sections of their own, the most affected resources, and a
 * summary box. Lines fit 100 columns; colour only when asked for.
 */
import { type Problem, problemsOf, SEVERITY_WEIGHT } from '../core/grouping.js';
import { describeDegradedAnalysis, describeTopRisks, filterReport, problemCounts, type ScanReport } from '../core/report.js';
import type { Finding, Severity } from '../core/types.js';
import { SEVERITIES } from '../core/types.js';
import { type Painter, padVisible, painter, visibleLength, wrap } from './ansi.js';
import {
  alsoChecks,
  coverageGaps,
  hiddenNote,
  isMultiCluster,
  locationLabel,
  oneLine,
  podsNote,
  problemsAndFindings,
  riskCutLabel,
  riskWhereLabel,
  fixCommand,
  targetLabel,
  topResources,
} from './shared.js';
import type { Reporter } from './types.js';

const WIDTH = 100;
const TOP_RESOURCES = 5;

/** What every section needs: the painter, and whether labels must name the cluster. */
interface Ctx {
  readonly p: Painter;
  readonly withCluster: boolean;
}

/** Splits problems (in rank order) into runs with the same primary check, which share a header. */
function runsByCheck(problems: readonly Problem[]): Problem[][] {
  const runs: Problem[][] = [];
  for (const p of problems) {
    const last = runs[runs.length - 1];
    if (last && last[0]?.primary.check === p.primary.check) last.push(p);
    else runs.push([p]);
  }
  return runs;
}

/** Shortens text to `max` characters, keeping both ends (names differ at either). */
function ellipsis(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const head = Math.ceil((max - 1) / 2);
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - (max - 1 - head)).join('')}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function heading(p: Painter, label: string, detail: string, severity?: Severity): string[] {
  const badge = severity ? p.badge(severity, label) : p.bold(label);
  return ['', `${badge}  ${detail}`, p.dim('─'.repeat(WIDTH))];
}

/** `  Kind ns/name [container]` with the location right-aligned, or on its own line when both do not fit. */
function targetLines({ p, withCluster }: Ctx, f: Finding): string[] {
  const target = wrap(oneLine(targetLabel(f, withCluster) + podsNote(f)), WIDTH, '  ', '      ');
  const loc = oneLine(locationLabel(f.location));
  if (loc === '') return target;
  const last = target[target.length - 1] ?? '';
  const gap = WIDTH - visibleLength(last) - [...loc].length;
  if (gap >= 2) return [...target.slice(0, -1), `${last}${' '.repeat(gap)}${p.dim(loc)}`];
  return [...target, ...wrap(`at ${loc}`, WIDTH, '    ').map((l) => p.dim(l))];
}

function checkHeader(p: Painter, f: Finding, count: number): string[] {
  const text = `${f.check} ${f.name} — ${oneLine(f.title)} (${count})`;
  const [first = '', ...rest] = wrap(text, WIDTH, '');
  // Only the id is bold, so the header reads as "which check" at a glance.
  const firstPainted = first.startsWith(f.check) ? p.bold(f.check) + first.slice(f.check.length) : first;
  return [firstPainted, ...rest.map((l) => `  ${l}`)];
}

function failingSection(ctx: Ctx, severity: Severity, problems: readonly Problem[]): string[] {
  const { p } = ctx;
  if (problems.length === 0) return [];
  const findings = problems.reduce((n, x) => n + 1 + x.related.length, 0);
  const lines = heading(p, severity.toUpperCase(), problemsAndFindings(problems.length, findings), severity);
  for (const run of runsByCheck(problems)) {
    const first = run[0];
    if (!first) continue;
    lines.push(...checkHeader(p, first.primary, run.length));
    for (const problem of run) {
      const f = problem.primary;
      lines.push(...targetLines(ctx, f));
      lines.push(...wrap(oneLine(f.message), WIDTH, '    '));
      lines.push(...alsoLines(p, problem));
      const fix = fixCommand(f);
      if (fix) lines.push(p.dim(`    fixable: ${fix}`));
    }
    lines.push('');
  }
  lines.pop();
  return lines;
}

/** `also: PAL-0005, PAL-0013`: the other checks that report the same root cause. */
function alsoLines(p: Painter, problem: Problem): string[] {
  const also = alsoChecks(problem);
  if (also.length === 0) return [];
  return wrap(`also: ${also.join(', ')}`, WIDTH, '    ', '          ').map((l) => p.dim(l));
}

function exemptSection({ p, withCluster }: Ctx, problems: readonly Problem[]): string[] {
  if (problems.length === 0) return [];
  const findings = problems.reduce((n, x) => n + 1 + x.related.length, 0);
  const lines = heading(p, 'EXEMPT', `${problemsAndFindings(problems.length, findings)}, not counted as failing`);
  for (const problem of problems) {
    const f = problem.primary;
    lines.push(
      ...wrap(`${f.check} ${f.name}  ${oneLine(targetLabel(f, withCluster))}`, WIDTH, '  ', '      ').map((l, i) =>
        i === 0 ? l.replace(f.check, p.bold(f.check)) : l,
      ),
    );
    const via = f.exemption ? ` (${f.exemption.source}${f.exemption.expires ? `, expires ${f.exemption.expires}` : ''})` : '';
    lines.push(...wrap(`reason: ${oneLine(f.exemption?.reason ?? 'none given')}${via}`, WIDTH, '    '));
    lines.push(...alsoLines(p, problem));
  }
  return lines;
}

function errorSection({ p, withCluster }: Ctx, report: ScanReport, errors: readonly Finding[]): string[] {
  const loadErrors = report.diagnostics.filter((d) => d.level === 'error');
  if (errors.length === 0 && loadErrors.length === 0) return [];
  const detail = [errors.length > 0 ? plural(errors.length, 'check error') : '', loadErrors.length > 0 ? plural(loadErrors.length, 'loading error') : '']
    .filter(Boolean)
    .join(', ');
  const lines = heading(p, 'ERRORS', detail);
  for (const f of errors) {
    lines.push(
      ...wrap(`${f.check} ${f.name}  ${oneLine(targetLabel(f, withCluster))}`, WIDTH, '  ', '      ').map((l, i) =>
        i === 0 ? l.replace(f.check, p.bold(f.check)) : l,
      ),
    );
    lines.push(...wrap(oneLine(f.message), WIDTH, '    '));
  }
  for (const d of loadErrors) {
    lines.push(`  ${p.bold(d.code)}${d.location ? `  ${p.dim(oneLine(locationLabel(d.location)))}` : ''}`);
    lines.push(...wrap(oneLine(d.message), WIDTH, '    '));
  }
  return lines;
}

function coverageSection({ p }: Ctx, report: ScanReport): string[] {
  const gaps = coverageGaps(report);
  if (gaps.length === 0) return [];
  const lines = heading(p, 'COVERAGE GAPS', `${plural(gaps.length, 'resource type')} not read completely; checks cannot see what was not read`);
  for (const g of gaps) lines.push(...wrap(oneLine(g.text), WIDTH, '  ', '    '));
  return lines;
}

function noticeSection({ p }: Ctx, report: ScanReport): string[] {
  const notices = report.diagnostics.filter((d) => d.level !== 'error');
  const unused = report.exceptions.unused;
  if (notices.length === 0 && unused.length === 0) return [];
  const lines = heading(p, 'NOTICES', plural(notices.length + unused.length, 'notice'));
  for (const d of notices) lines.push(...wrap(`${d.level}: ${oneLine(d.message)} [${d.code}]`, WIDTH, '  ', '    '));
  for (const r of unused) {
    const scope = [r.kind, r.namespace, r.name, r.container].filter((x) => x !== undefined).join('/');
    lines.push(
      ...wrap(
        `notice: exception for ${oneLine(r.check)}${scope ? ` on ${oneLine(scope)}` : ''} matched no finding (reason: ${oneLine(r.reason)})`,
        WIDTH,
        '  ',
        '    ',
      ),
    );
  }
  return lines;
}

function topSection({ p, withCluster }: Ctx, problems: readonly Problem[]): string[] {
  const top = topResources(problems, TOP_RESOURCES, withCluster).filter((r) => r.score > 0);
  if (top.length === 0) return [];
  const weights = SEVERITIES.filter((s) => SEVERITY_WEIGHT[s] > 0)
    .map((s) => `${s} ${SEVERITY_WEIGHT[s]}`)
    .join(', ');
  const lines = heading(p, 'TOP AFFECTED RESOURCES', `problems by weighted severity (${weights})`);
  const scoreWidth = Math.max(...top.map((r) => String(r.score).length));
  const counts = top.map((r) =>
    SEVERITIES.filter((s) => r.bySeverity[s] > 0)
      .map((s) => p.severity(s, `${r.bySeverity[s]} ${s}`))
      .join(', '),
  );
  // Labels get what the number, score and counts leave of the 100 columns.
  const room = WIDTH - '  1. '.length - '  score '.length - scoreWidth - 2 - Math.max(...counts.map(visibleLength));
  const labelWidth = Math.max(16, Math.min(room, Math.max(...top.map((r) => [...oneLine(r.label)].length))));
  top.forEach((r, i) => {
    lines.push(
      `  ${i + 1}. ${padVisible(ellipsis(oneLine(r.label), labelWidth), labelWidth)}  score ${String(r.score).padStart(scoreWidth)}  ${counts[i] ?? ''}`,
    );
  });
  return lines;
}

/**
 * Top risks, first of all: the attack paths that matter most, each with its conditions, its
 * hops and the change that cuts it. One line when there is nothing to list, and why.
 */
function topRisksSection({ p }: Ctx, report: ScanReport): string[] {
  const t = report.topRisks;
  // Reports built by hand (not by the library) have no such section.
  if (!t) return [];
  const lines = heading(p, 'TOP RISKS', oneLine(describeTopRisks(t)));
  t.risks.forEach((r, i) => {
    if (i > 0) lines.push('');
    const where = r.cluster !== undefined ? `${oneLine(r.cluster)}: ` : '';
    const head = wrap(`${i + 1}. score ${r.score.toFixed(1)}  ${where}${oneLine(r.entry.label)} => ${oneLine(r.sink.label)}`, WIDTH, '  ', '      ');
    lines.push(...head.map((l, j) => (j === 0 ? l.replace(/score [\d.]+/, (m) => p.bold(m)) : l)));
    lines.push(...wrap(oneLine(r.title), WIDTH, '     ', '     ').map((l) => p.severity(r.score >= 5 ? 'critical' : 'high', l)));
    r.hops.forEach((h, j) => {
      const at = riskWhereLabel(h);
      lines.push(
        ...wrap(`${j + 1}) ${oneLine(h.edge)} [${h.mitre}, ${h.ms}] -> ${oneLine(h.to)}${at ? `  (${oneLine(at)})` : ''}`, WIDTH, '       ', '          '),
      );
    });
    if (r.alsoFrom.length > 0)
      lines.push(...wrap(`also from: ${r.alsoFrom.map((a) => oneLine(a.label)).join('; ')}`, WIDTH, '     ', '       ').map((l) => p.dim(l)));
    lines.push(
      ...wrap(
        `cut: hop ${r.cut.hop + 1} (${oneLine(r.cut.edge)}, on ${r.cut.paths} of ${t.totalPaths} paths): ${oneLine(riskCutLabel(r))}`,
        WIDTH,
        '     ',
        '       ',
      ),
    );
    if (r.combinations.length > 0) lines.push(p.dim(`     reported as: ${r.combinations.map((c) => `${c.check} ${c.name}`).join(', ')}`));
  });
  for (const n of t.notes) lines.push(...wrap(`note: ${oneLine(n)}`, WIDTH, '  ', '    ').map((l) => p.dim(l)));
  return lines.map((l) => l.trimEnd());
}

/** Opt-in checks not run (`--images` not given), grouped by reason: `  (4 not run: run with --images)`. */
function skippedNote(p: Ctx['p'], report: ScanReport): string {
  const skipped = report.skippedChecks ?? [];
  if (skipped.length === 0) return '';
  const byReason = new Map<string, number>();
  for (const k of skipped) byReason.set(k.reason, (byReason.get(k.reason) ?? 0) + 1);
  return p.dim(`  (${[...byReason].map(([reason, n]) => `${n} not run: ${reason}`).join('; ')})`);
}

function summaryBox({ p }: Ctx, report: ScanReport, problems: readonly Problem[], exempt: number, checkErrors: number): string[] {
  const s = report.summary.failBySeverity;
  const failing = SEVERITIES.reduce((n, k) => n + s[k], 0);
  const loadErrors = report.diagnostics.filter((d) => d.level === 'error').length;
  const bySeverity = SEVERITIES.map((k) => (s[k] > 0 ? p.severity(k, `${s[k]} ${k}`) : p.dim(`0 ${k}`))).join('  ');
  const rows: [string, string][] = [
    [
      'Resources scanned',
      `${report.resources}${report.stats.files > 0 ? p.dim(`  (${plural(report.stats.files, 'file')}, ${plural(report.stats.documents, 'document')})`) : ''}`,
    ],
    ['Checks run', `${report.summary.checksRun}${skippedNote(p, report)}`],
    ['Failing findings', failing > 0 ? `${p.bold(String(failing))}  ${bySeverity}` : '0'],
    ['Problems', problemsRow(p, report, problems)],
    ['Exempt', String(exempt)],
    [
      'Errors',
      checkErrors + loadErrors > 0
        ? `${checkErrors + loadErrors}  ${p.dim(`(${plural(checkErrors, 'check error')}, ${plural(loadErrors, 'loading error')})`)}`
        : '0',
    ],
    ['Non-Kubernetes documents skipped', String(report.stats.nonKubernetes)],
    ['Parse errors', String(report.stats.parseErrors)],
  ];
  if (report.stats.skippedFiles > 0) rows.push(['Files skipped', String(report.stats.skippedFiles)]);
  if (report.incomplete) rows.push(['Incomplete', p.severity('high', `${plural(report.incomplete.paths, 'file')} could not be read`)]);
  const hidden = hiddenNote(report);
  if (hidden !== undefined) rows.push(['Not shown', hidden]);
  for (const c of report.clusters ?? []) {
    const version = c.kubernetesVersion ? `Kubernetes ${oneLine(c.kubernetesVersion)}, ` : '';
    const detail = p.dim(`(${version}${plural(c.resources, 'object')}, ${c.coveragePercent}% read)`);
    const name = ellipsis(oneLine(c.name), 60);
    // Context names can be long (EKS ARNs): the details then go on a line of their own.
    if ([...name].length + visibleLength(detail) > 58) rows.push(['Cluster', name], ['', detail]);
    else rows.push(['Cluster', `${name}  ${detail}`]);
  }
  if (report.coverage) {
    const gaps = report.coverage.types.filter((t) => t.status !== 'ok').length;
    const text = `${report.coverage.percent}%${gaps > 0 ? `  ${p.dim(`(${plural(gaps, 'resource type')} not fully read)`)}` : ''}`;
    rows.push(['Coverage', report.coverage.percent < 100 ? p.severity('medium', text) : text]);
    // Analyses built from incomplete data: what they rely on, one line per missing type.
    for (const d of report.coverage.degraded ?? []) {
      const where = d.cluster !== undefined && isMultiCluster(report) ? `${ellipsis(oneLine(d.cluster), 20)}: ` : '';
      rows.push(['Degraded', p.severity('medium', `${where}${describeDegradedAnalysis(d).replace(/:.*$/, '')} (${plural(d.checks, 'check')})`)]);
      for (const m of d.missing) rows.push(['', p.dim(ellipsis(oneLine(m), 60))]);
    }
  }
  if (report.exceptions.expired.length > 0) rows.push(['Expired exceptions', String(report.exceptions.expired.length)]);
  const keyWidth = Math.max(...rows.map(([k]) => k.length));
  const body = [p.bold('Summary'), '', ...rows.map(([k, v]) => `${k.padEnd(keyWidth)}  ${v}`)];
  const inner = Math.min(WIDTH - 4, Math.max(...body.map(visibleLength)));
  return ['', `┌${'─'.repeat(inner + 2)}┐`, ...body.map((l) => `│ ${padVisible(l, inner)} │`), `└${'─'.repeat(inner + 2)}┘`];
}

/** Failing problems per severity: what the findings come to once echoes are grouped. */
function problemsRow(p: Painter, report: ScanReport, problems: readonly Problem[]): string {
  const c = problemCounts(report, problems);
  if (c.problems === 0) return '0';
  const bySeverity = SEVERITIES.map((k) => (c.problemsBySeverity[k] > 0 ? p.severity(k, `${c.problemsBySeverity[k]} ${k}`) : p.dim(`0 ${k}`))).join('  ');
  return `${p.bold(String(c.problems))}  ${bySeverity}`;
}

/**
 * Renders the terminal report.
 *
 * @example
 * process.stdout.write(renderTable(report, { color: process.stdout.isTTY }));
 */
export function renderTable(report: ScanReport, options: { readonly color: boolean }): string {
  const ctx: Ctx = { p: painter(options.color), withCluster: isMultiCluster(report) };
  const problems = problemsOf(report.findings);
  const exempt = problems.filter((x) => x.primary.status === 'exempt');
  const errors: Finding[] = problems.filter((x) => x.primary.status === 'error').flatMap((x) => [x.primary, ...x.related]);
  const lines: string[] = [...topRisksSection(ctx, report)];
  for (const severity of SEVERITIES) {
    lines.push(
      ...failingSection(
        ctx,
        severity,
        problems.filter((x) => x.primary.status === 'fail' && x.primary.severity === severity),
      ),
    );
  }
  lines.push(...exemptSection(ctx, exempt));
  lines.push(...errorSection(ctx, report, errors));
  lines.push(...coverageSection(ctx, report));
  lines.push(...noticeSection(ctx, report));
  lines.push(...topSection(ctx, problems));
  lines.push(
    ...summaryBox(
      ctx,
      report,
      problems,
      exempt.reduce((n, x) => n + 1 + x.related.length, 0),
      errors.length,
    ),
  );
  // The first line is the blank line before the first heading.
  while (lines[0] === '') lines.shift();
  return `${lines.join('\n')}\n`;
}

/** Human-readable report for terminals. */
export const tableReporter: Reporter = {
  name: 'table',
  description: 'Problems by severity in risk order, echoes grouped under them, with a summary (coloured on a TTY)',
  extension: 'txt',
  render: (report, options) => renderTable(filterReport(report, options.minSeverity), options),
};
