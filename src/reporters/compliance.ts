/**
 * Compliance report formats: table, JSON, Markdown, HTML, CSV and JUnit, a registry as the scan
 * reporters are. Every format renders the same {@link ComplianceReport}: the same statuses,
 * counts and score (docs/compliance.md), so formats never disagree.
 */
import type { ComplianceReport, ControlResult, ControlStatus } from '../frameworks/compliance.js';
import { painter } from './ansi.js';
import { renderComplianceHtml } from './compliance-html.js';
import { xmlAttr, xmlText } from './junit.js';
import { mdEscape } from './markdown.js';
import { oneLine, resourceLabel } from './shared.js';

/** A compliance format. */
export interface ComplianceReporter {
  readonly name: string;
  readonly description: string;
  readonly extension: string;
  render(reports: readonly ComplianceReport[], options: { readonly color: boolean }): string;
}

const LABEL: Readonly<Record<ControlStatus, string>> = {
  pass: 'PASS',
  fail: 'FAIL',
  error: 'ERROR',
  manual: 'MANUAL',
  'not-applicable': 'N/A',
};

/** `87.5%`, or `n/a` when nothing was assessed. */
export function scoreLabel(score: number | null): string {
  return score === null ? 'n/a' : `${score}%`;
}

/** One line of counts, identical in every format. */
export function countsLine(r: ComplianceReport): string {
  const s = r.summary;
  return `${s.total} controls: ${s.pass} pass, ${s.fail} fail, ${s.error} error, ${s.manual} manual, ${s.notApplicable} not applicable; score ${scoreLabel(s.score)}`;
}

function heading(r: ComplianceReport): string {
  return `${r.framework.title} ${r.framework.version}`;
}

/** Up to `limit` evidence lines of a control. */
function evidenceLines(c: ControlResult, limit: number): string[] {
  const lines = c.resources.slice(0, limit).map((e) => {
    const what = `${resourceLabel(e.resource, e.resource.cluster !== undefined)}`;
    const tag = e.status === 'exempt' ? ` (exempt: ${e.exemption ?? ''})` : e.status === 'error' ? ' (error)' : '';
    return `${what}: ${e.message}${tag}`;
  });
  if (c.resources.length > limit) lines.push(`... and ${c.resources.length - limit} more`);
  return lines.map(oneLine);
}

function renderTable(reports: readonly ComplianceReport[], options: { readonly color: boolean }): string {
  const p = painter(options.color);
  // 16-colour SGR codes, as the scan table, so the user's terminal theme applies.
  const sgr = (code: string) => (t: string) => (p.enabled ? `\u001b[${code}m${t}\u001b[0m` : t);
  const paint: Readonly<Record<ControlStatus, (s: string) => string>> = {
    pass: sgr('32'),
    fail: sgr('1;31'),
    error: sgr('1;35'),
    manual: sgr('33'),
    'not-applicable': p.dim,
  };
  const out: string[] = [];
  for (const r of reports) {
    out.push(p.bold(heading(r)));
    if (r.platform) out.push(`Managed platform: ${r.platform.name} (${oneLine(r.platform.evidence)})`);
    let section: string | undefined;
    for (const c of r.controls) {
      if (c.section !== undefined && c.section !== section) {
        section = c.section;
        out.push('', p.bold(section));
      }
      out.push(`  ${paint[c.status](LABEL[c.status].padEnd(6))} ${c.id.padEnd(9)} ${oneLine(c.title)}`);
      if (c.status !== 'pass') out.push(`         ${p.dim(oneLine(c.reason))}`);
      for (const e of evidenceLines(c, 5)) out.push(`         - ${e}`);
    }
    out.push('', p.bold(countsLine(r)), '');
  }
  return out.join('\n');
}

function renderJson(reports: readonly ComplianceReport[]): string {
  return `${JSON.stringify(reports.length === 1 ? reports[0] : { reports }, null, 2)}\n`;
}

function renderMarkdown(reports: readonly ComplianceReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(`# ${heading(r)}`, '', `**${countsLine(r)}**`, '');
    if (r.platform) out.push(`Managed platform: ${r.platform.name} (${mdEscape(r.platform.evidence)}).`, '');
    out.push('| Status | Control | Title | Reason | Evidence |', '|---|---|---|---|---|');
    for (const c of r.controls)
      out.push(`| ${LABEL[c.status]} | ${mdEscape(c.id)} | ${mdEscape(c.title)} | ${mdEscape(c.reason)} | ${evidenceLines(c, 3).map(mdEscape).join('<br>')} |`);
    out.push('');
  }
  return out.join('\n');
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break; a leading =+-@ is defused for spreadsheets. */
function csvField(value: string): string {
  const v = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function renderCsv(reports: readonly ComplianceReport[]): string {
  const rows = [['framework', 'version', 'control', 'section', 'title', 'status', 'reason', 'checks', 'failing_resources']];
  for (const r of reports)
    for (const c of r.controls)
      rows.push([
        r.framework.id,
        r.framework.version,
        c.id,
        c.section ?? '',
        c.title,
        c.status,
        c.reason,
        c.checks.map((k) => k.id).join(' '),
        c.resources
          .filter((e) => e.status === 'fail')
          .map((e) => resourceLabel(e.resource, e.resource.cluster !== undefined))
          .join('; '),
      ]);
  return `${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

function renderJunit(reports: readonly ComplianceReport[]): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const total = (k: 'total' | 'fail' | 'error') => reports.reduce((a, r) => a + r.summary[k], 0);
  const skipped = reports.reduce((a, r) => a + r.summary.manual + r.summary.notApplicable, 0);
  out.push(`<testsuites name="palisade compliance" tests="${total('total')}" failures="${total('fail')}" errors="${total('error')}" skipped="${skipped}">`);
  for (const r of reports) {
    const s = r.summary;
    out.push(`  <testsuite name="${xmlAttr(heading(r))}" tests="${s.total}" failures="${s.fail}" errors="${s.error}" skipped="${s.manual + s.notApplicable}">`);
    for (const c of r.controls) {
      const name = xmlAttr(`${c.id} ${c.title}`);
      const cls = xmlAttr(`${r.framework.id}${c.section !== undefined ? `.${c.section}` : ''}`);
      if (c.status === 'pass') {
        out.push(`    <testcase name="${name}" classname="${cls}"/>`);
        continue;
      }
      out.push(`    <testcase name="${name}" classname="${cls}">`);
      const body = xmlText([c.reason, ...evidenceLines(c, 50)].join('\n'));
      if (c.status === 'fail') out.push(`      <failure message="${xmlAttr(c.reason)}" type="fail">${body}</failure>`);
      else if (c.status === 'error') out.push(`      <error message="${xmlAttr(c.reason)}" type="error">${body}</error>`);
      else out.push(`      <skipped message="${xmlAttr(`${c.status}: ${c.reason}`)}"/>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}

/**
 * Every compliance format, by the name used in `-o FORMAT[=FILE]`.
 *
 * @example
 * complianceReporters.csv?.render([report], { color: false });
 */
export const complianceReporters: Readonly<Record<string, ComplianceReporter>> = {
  table: { name: 'table', description: 'controls grouped by section, for terminals', extension: 'txt', render: renderTable },
  json: { name: 'json', description: 'the report object (docs/compliance.md)', extension: 'json', render: renderJson },
  markdown: { name: 'markdown', description: 'a table per framework', extension: 'md', render: renderMarkdown },
  html: {
    name: 'html',
    description: 'a printable page with a summary chart, no external assets',
    extension: 'html',
    render: (reports) => renderComplianceHtml(reports),
  },
  csv: { name: 'csv', description: 'one row per control', extension: 'csv', render: renderCsv },
  junit: { name: 'junit', description: 'a test case per control, for CI', extension: 'xml', render: renderJunit },
};
