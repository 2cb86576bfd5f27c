/**
 * The compliance report as one self-contained, printable HTML page: a summary chart (an inline
 * SVG bar of the status counts, no script and no external asset), then every control with its
 * status, reason and evidence. All text from the scan is escaped.
 */
import type { ComplianceReport, ControlResult, ControlStatus } from '../frameworks/compliance.js';
import { escapeHtml } from './html.js';
import { resourceLabel } from './shared.js';

const COLOR: Readonly<Record<ControlStatus, string>> = {
  pass: '#2e7d32',
  fail: '#c62828',
  error: '#6a1b9a',
  manual: '#ef6c00',
  'not-applicable': '#9e9e9e',
};
const LABEL: Readonly<Record<ControlStatus, string>> = {
  pass: 'Pass',
  fail: 'Fail',
  error: 'Error',
  manual: 'Manual',
  'not-applicable': 'Not applicable',
};
const ORDER: readonly ControlStatus[] = ['pass', 'fail', 'error', 'manual', 'not-applicable'];

function countOf(r: ComplianceReport, s: ControlStatus): number {
  const m = r.summary;
  return s === 'not-applicable' ? m.notApplicable : m[s];
}

/** A stacked horizontal bar of the status counts, with a legend. */
function chart(r: ComplianceReport): string {
  const width = 600;
  const total = Math.max(1, r.summary.total);
  let x = 0;
  const bars: string[] = [];
  for (const s of ORDER) {
    const n = countOf(r, s);
    if (n === 0) continue;
    const w = (n / total) * width;
    bars.push(`<rect x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="28" fill="${COLOR[s]}"><title>${LABEL[s]}: ${n}</title></rect>`);
    x += w;
  }
  const legend = ORDER.map(
    (s, i) =>
      `<g transform="translate(${i * 120},44)"><rect width="12" height="12" fill="${COLOR[s]}"/><text x="18" y="11">${LABEL[s]} ${countOf(r, s)}</text></g>`,
  ).join('');
  return `<svg class="chart" role="img" aria-label="control status counts" viewBox="0 0 ${width} 62" width="${width}" height="62" xmlns="http://www.w3.org/2000/svg">${bars.join('')}${legend}</svg>`;
}

function evidence(c: ControlResult): string {
  if (c.resources.length === 0) return '';
  const items = c.resources
    .slice(0, 50)
    .map(
      (e) =>
        `<li><code>${escapeHtml(resourceLabel(e.resource, e.resource.cluster !== undefined))}</code> ${escapeHtml(e.message)}${
          e.status === 'exempt' ? ` <em>(exempt: ${escapeHtml(e.exemption ?? '')})</em>` : e.status === 'error' ? ' <em>(error)</em>' : ''
        }</li>`,
    );
  if (c.resources.length > 50) items.push(`<li>... and ${c.resources.length - 50} more (see the JSON report)</li>`);
  return `<ul class="evidence">${items.join('')}</ul>`;
}

function section(r: ComplianceReport): string {
  const rows = r.controls.map(
    (c) =>
      `<tr class="${c.status}"><td><span class="badge" style="background:${COLOR[c.status]}">${LABEL[c.status]}</span></td><td>${escapeHtml(c.id)}</td><td>${escapeHtml(
        c.title,
      )}${c.section !== undefined ? `<div class="section">${escapeHtml(c.section)}</div>` : ''}</td><td>${escapeHtml(c.reason)}${evidence(c)}</td></tr>`,
  );
  const s = r.summary;
  return `<section>
<h1>${escapeHtml(r.framework.title)} ${escapeHtml(r.framework.version)}</h1>
<p class="meta">Generated ${escapeHtml(r.generatedAt)} from ${escapeHtml(r.sources.join(', ') || 'the scan')}${
    r.platform ? `; managed platform ${escapeHtml(r.platform.name)} (${escapeHtml(r.platform.evidence)})` : ''
  }</p>
<p class="score">Score <strong>${s.score === null ? 'n/a' : `${s.score}%`}</strong> · ${s.total} controls: ${s.pass} pass, ${s.fail} fail, ${s.error} error, ${s.manual} manual, ${s.notApplicable} not applicable</p>
${chart(r)}
<table><thead><tr><th>Status</th><th>Control</th><th>Title</th><th>Reason and evidence</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>
</section>`;
}

/**
 * Renders compliance reports as one HTML page.
 *
 * @example
 * writeFileSync('cis.html', renderComplianceHtml([report]));
 */
export function renderComplianceHtml(reports: readonly ComplianceReport[]): string {
  const title = reports.map((r) => `${r.framework.title} ${r.framework.version}`).join(', ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Palisade compliance: ${escapeHtml(title)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#212121}
h1{font-size:1.5rem;margin:0 0 .25rem}
.meta{color:#616161;margin:0 0 .5rem}.score{font-size:1.1rem}
table{border-collapse:collapse;width:100%;margin-top:1rem}
th,td{border-bottom:1px solid #e0e0e0;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f5f5f5}
.badge{color:#fff;border-radius:3px;padding:1px 6px;font-size:12px;white-space:nowrap}
.section{color:#757575;font-size:12px}.evidence{margin:.25rem 0 0 1rem;padding:0;font-size:13px}
code{font-size:12px}.chart text{font-size:12px;fill:#424242}
section{page-break-after:always}
@media print{body{margin:1cm}th{background:none}tr{page-break-inside:avoid}.badge{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
</style></head><body>
${reports.map(section).join('\n')}
</body></html>
`;
}
