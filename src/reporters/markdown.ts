/**
 * A Markdown report sized for a pull-request comment: a summary line, a count table, then
 * one collapsible section per severity with one row per problem (in the report's risk order,
 * the other checks that report the same root cause in the last column). GitHub rejects comments over 65,536 characters,
 * so rows are dropped (with a note saying how many) once the budget is spent.
 */
import { type Problem, problemsOf } from '../core/grouping.js';
import { describeTopRisks, filterReport, problemCounts, type ScanReport } from '../core/report.js';
import type { Finding, Severity } from '../core/types.js';
import { SEVERITIES } from '../core/types.js';
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
  severityBreakdown,
  fixCommand,
  fixDiffLines,
  targetLabel,
} from './shared.js';
import type { Reporter } from './types.js';

/** GitHub's limit for issue and pull-request comments, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

// Room kept for the closing sections and the truncation note.
const RESERVE = 4_000;

const TITLE: Readonly<Record<Severity, string>> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info' };

/**
 * Escapes text for a Markdown table cell or list item: HTML and inline Markdown syntax
 * become literal (with `[` and `]` escaped no link can form), `|` cannot split the cell,
 * and `@` cannot mention anyone (a zero-width space follows it), since resource names and
 * messages come from the scanned manifests. Line-start syntax (`#`, `-`) needs no escape:
 * data never starts a line.
 *
 * @example
 * mdEscape('a|b <i>'); // 'a\\|b &lt;i&gt;'
 */
export function mdEscape(text: string): string {
  return oneLine(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/@/g, '@\u200b');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function summaryLine(report: ScanReport, problems: readonly Problem[], exempt: number, errors: number): string {
  const failing = SEVERITIES.reduce((n, s) => n + report.summary.failBySeverity[s], 0);
  const scope = `${plural(report.resources, 'resource')} scanned by ${plural(report.summary.checksRun, 'check')}`;
  const extra = [exempt > 0 ? `${exempt} exempt` : '', errors > 0 ? plural(errors, 'error') : ''].filter(Boolean).join(', ');
  const counts = problemCounts(report, problems);
  const head =
    failing > 0
      ? `**${plural(counts.problems, 'failing problem')}** (${severityBreakdown(counts.problemsBySeverity)}), reported by ${plural(failing, 'finding')}`
      : '**No failing findings**';
  const incomplete = report.incomplete ? ` **Incomplete: ${plural(report.incomplete.paths, 'file')} could not be read.**` : '';
  return `${head} in ${scope}${extra ? `; ${extra}` : ''}.${incomplete}`;
}

function countTable(report: ScanReport, problems: readonly Problem[]): string[] {
  const s = report.summary.failBySeverity;
  const p = problemCounts(report, problems).problemsBySeverity;
  return ['| Severity | Problems | Findings |', '| :-- | --: | --: |', ...SEVERITIES.map((k) => `| ${TITLE[k]} | ${p[k]} | ${s[k]} |`)];
}

const TABLE_HEAD: readonly string[] = ['| Check | Resource | Location | Message | Also reported by | Fix |', '| :-- | :-- | :-- | :-- | :-- | :-- |'];

function row(problem: Problem, withCluster: boolean): string {
  const f = problem.primary;
  const loc = locationLabel(f.location);
  const also = alsoChecks(problem);
  return `| ${mdEscape(`${f.check} ${f.name}`)} | ${mdEscape(targetLabel(f, withCluster) + podsNote(f))} | ${loc ? mdEscape(loc) : '–'} | ${mdEscape(f.message)} | ${also.length > 0 ? mdEscape(also.join(', ')) : '–'} | ${fixLabel(f)} |`;
}

/** The Fix column: `auto` (`palisade fix`), `review` (`--unsafe-fixes`) or `manual`. */
function fixLabel(f: Finding): string {
  return f.fixable === true ? '`auto`' : f.fixable === 'unsafe' ? '`review`' : 'manual';
}

/** One fix as a collapsed diff of the fields it changes. */
function fixItem(f: Finding, withCluster: boolean): string {
  const how = fixCommand(f) ?? '';
  return [
    `- ${mdEscape(`${f.check} ${f.name}`)} on ${mdEscape(targetLabel(f, withCluster))} (\`${how}\`):`,
    '',
    '  ```diff',
    ...fixDiffLines(f).map((l) => `  ${l.replace(/```/g, '`\u200b``')}`),
    '  ```',
  ].join('\n');
}

/**
 * Top risks: one table row per attack path (score, path, the change that cuts it), or the
 * one line saying why there is none. First in the comment, before the findings.
 */
function topRisksLines(report: ScanReport): string[] {
  const t = report.topRisks;
  // Reports built by hand (not by the library) have no such section.
  if (!t) return [];
  const lines = ['### Top risks', '', mdEscape(describeTopRisks(t)), ''];
  if (t.risks.length === 0) return lines;
  lines.push('| # | Score | Attack path | Cut it |', '| --: | --: | :-- | :-- |');
  for (const r of t.risks) {
    const path = [
      `**${mdEscape(r.title)}**`,
      `${mdEscape(r.hops[0]?.from ?? r.entry.label)}`,
      ...r.hops.map((h) => `→ \`${mdEscape(h.edge)}\` ${mdEscape(h.to)}`),
    ].join('<br>');
    const also = r.alsoFrom.length > 0 ? `<br>_also from ${r.alsoFrom.length} more entr${r.alsoFrom.length === 1 ? 'y' : 'ies'}_` : '';
    const cut = `hop ${r.cut.hop + 1} \`${mdEscape(r.cut.edge)}\`: ${mdEscape(riskCutLabel(r))}`;
    lines.push(`| ${r.rank} | ${r.score.toFixed(1)} | ${r.cluster !== undefined ? `${mdEscape(r.cluster)}: ` : ''}${path}${also} | ${cut} |`);
  }
  lines.push('');
  for (const n of t.notes) lines.push(`_Note: ${mdEscape(n)}_`, '');
  return lines;
}

/** What `--min-severity` left out, as a paragraph. */
function hiddenLines(report: ScanReport): string[] {
  const note = hiddenNote(report);
  return note === undefined ? [] : [`Not shown: ${mdEscape(note)}; the counts below include them.`, ''];
}

/** Cluster and coverage lines, for cluster and snapshot scans. */
function clusterLines(report: ScanReport): string[] {
  const lines: string[] = [];
  const clusters = report.clusters ?? [];
  if (clusters.length > 0) {
    const list = clusters.map(
      (c) =>
        `${mdEscape(c.name)} (${c.kubernetesVersion ? `Kubernetes ${mdEscape(c.kubernetesVersion)}, ` : ''}${plural(c.resources, 'object')}, ${c.coveragePercent}% read)`,
    );
    lines.push(`Cluster${clusters.length === 1 ? '' : 's'}: ${list.join(', ')}.`);
  }
  if (report.coverage) {
    const gaps = report.coverage.types.filter((t) => t.status !== 'ok').length;
    lines.push(
      `Coverage: **${report.coverage.percent}%** of what the checks read${gaps > 0 ? ` (${plural(gaps, 'type')} not read completely: checks cannot see what was not read)` : ''}.`,
    );
  }
  // One paragraph each: consecutive lines would be joined into one.
  return lines.flatMap((l) => [l, '']);
}

/** Tracks how much of the comment size limit is used. */
class Budget {
  private used = 0;
  constructor(
    private readonly limit: number,
    private readonly out: string[],
  ) {}
  push(...lines: string[]): void {
    for (const l of lines) this.used += l.length + 1;
    this.out.push(...lines);
  }
  /** Room left, in characters. */
  get left(): number {
    return this.limit - this.used;
  }
}

const cost = (lines: readonly string[]): number => lines.reduce((n, l) => n + l.length + 1, 0);

/**
 * A collapsible section: as many items as fit (after `head`, e.g. a table header), then a
 * note with the number left out. Returns that number.
 */
function section(budget: Budget, summary: string, open: boolean, head: readonly string[], items: readonly string[]): number {
  budget.push(`<details${open ? ' open' : ''}><summary><strong>${summary}</strong></summary>`, '');
  // Room for the closing lines and a possible note is kept back.
  let room = budget.left - cost(head) - 120;
  const fitted: string[] = [];
  for (const item of items) {
    if (item.length + 1 > room) break;
    fitted.push(item);
    room -= item.length + 1;
  }
  if (fitted.length > 0) budget.push(...head, ...fitted);
  const omitted = items.length - fitted.length;
  if (omitted > 0) budget.push(...(fitted.length > 0 ? [''] : []), `_${omitted} of ${items.length} not shown: comment size limit._`);
  budget.push('', '</details>', '');
  return omitted;
}

/**
 * Renders the Markdown report.
 *
 * @example
 * await writeFile('comment.md', renderMarkdown(report));
 */
export function renderMarkdown(report: ScanReport, limit: number = GITHUB_COMMENT_LIMIT): string {
  const problems = problemsOf(report.findings);
  const exempt = problems.filter((p) => p.primary.status === 'exempt');
  const errors = problems.filter((p) => p.primary.status === 'error').flatMap((p) => [p.primary, ...p.related]);
  const exemptFindings = exempt.reduce((n, p) => n + 1 + p.related.length, 0);
  const loadErrors = report.diagnostics.filter((d) => d.level === 'error');
  const out: string[] = [];
  const budget = new Budget(limit - RESERVE, out);
  let omitted = 0;

  const withCluster = isMultiCluster(report);
  budget.push(
    '## Palisade scan results',
    '',
    summaryLine(report, problems, exemptFindings, errors.length + loadErrors.length),
    '',
    ...topRisksLines(report),
    ...hiddenLines(report),
    ...clusterLines(report),
    ...countTable(report, problems),
    '',
  );

  let first = true;
  for (const severity of SEVERITIES) {
    const group = problems.filter((p) => p.primary.status === 'fail' && p.primary.severity === severity);
    if (group.length === 0) continue;
    const findings = group.reduce((n, p) => n + 1 + p.related.length, 0);
    // The most serious non-empty section starts open: it is what a reviewer needs first.
    omitted += section(
      budget,
      `${TITLE[severity]}: ${problemsAndFindings(group.length, findings)}`,
      first,
      TABLE_HEAD,
      group.map((p) => row(p, withCluster)),
    );
    first = false;
  }

  const fixable = problems.filter((p) => fixCommand(p.primary) !== undefined);
  if (fixable.length > 0) {
    omitted += section(
      budget,
      `Automatic fixes: ${plural(fixable.length, 'problem')} (\`palisade fix\`; \`review\` ones with \`--unsafe-fixes\`)`,
      false,
      [],
      fixable.map((p) => fixItem(p.primary, withCluster)),
    );
  }

  if (exempt.length > 0) {
    const items = exempt.map((p) => {
      const f = p.primary;
      const source = f.exemption ? ` (${f.exemption.source}${f.exemption.expires ? `, expires ${f.exemption.expires}` : ''})` : '';
      const also = alsoChecks(p);
      return `- ${mdEscape(`${f.check} ${f.name}`)} on ${mdEscape(targetLabel(f, withCluster))}: ${mdEscape(f.exemption?.reason ?? 'no reason given')}${source}${also.length > 0 ? ` (also: ${mdEscape(also.join(', '))})` : ''}`;
    });
    omitted += section(budget, `Exempt: ${problemsAndFindings(exempt.length, exemptFindings)}`, false, [], items);
  }

  if (errors.length + loadErrors.length > 0) {
    const items = [
      ...errors.map((f) => `- ${mdEscape(`${f.check} ${f.name}`)} on ${mdEscape(targetLabel(f, withCluster))}: ${mdEscape(f.message)}`),
      ...loadErrors.map((d) => `- ${mdEscape(d.code)}: ${mdEscape(d.message)}`),
    ];
    omitted += section(budget, `Errors (${items.length})`, false, [], items);
  }

  const gaps = coverageGaps(report);
  if (gaps.length > 0) {
    omitted += section(
      budget,
      `Coverage gaps (${gaps.length})`,
      false,
      [],
      gaps.map((g) => `- ${mdEscape(g.text)}`),
    );
  }

  if (omitted > 0) {
    out.push(
      '> [!NOTE]',
      `> ${plural(omitted, 'row')} not shown to keep this comment under GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString('en-US')}-character limit. The full list is in the JSON, SARIF or HTML report.`,
      '',
    );
  }
  out.push(`<sub>palisade ${mdEscape(report.tool.version)}</sub>`);
  return `${out.join('\n')}\n`;
}

/** Markdown for pull-request comments. */
export const markdownReporter: Reporter = {
  name: 'markdown',
  description: 'Markdown summary for pull-request comments (fits GitHub\u2019s 65,536-character limit)',
  extension: 'md',
  render: (report, options) => renderMarkdown(filterReport(report, options.minSeverity)),
};
