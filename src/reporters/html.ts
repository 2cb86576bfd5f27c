/**
 * One self-contained HTML file: totals, charts drawn as inline SVG at generation time, and
 * a findings table with filters, sorting and expandable rows driven by a small inline
 * script. Nothing is loaded from the network (a Content-Security-Policy with hashes of the
 * inline style and script makes sure of it), so the file renders offline and can be
 * attached to a CI run as it is.
 *
 * Resource names and messages come from the scanned manifests and are attacker-controlled:
 * static markup escapes them, the data travels as JSON in a non-executable script element
 * (with `<` escaped), and the script only ever writes them with `textContent`.
 */
import { createHash } from 'node:crypto';
import type { CheckMeta } from '../core/check.js';
import { type Problem, problemsOf } from '../core/grouping.js';
import { describeTopRisks, filterReport, problemCounts, type ScanReport, type TopRisk } from '../core/report.js';
import type { Finding, Severity } from '../core/types.js';
import { SEVERITIES } from '../core/types.js';
import {
  coverageGaps,
  failingByCategory,
  fixCommand,
  fixDiffLines,
  frameworkLabel,
  hiddenNote,
  isMultiCluster,
  oneLine,
  type Ranked,
  topNamespaces,
  topResources,
} from './shared.js';
import type { Reporter } from './types.js';

/**
 * Escapes text for HTML element content and double- or single-quoted attributes.
 *
 * @example
 * escapeHtml('<img src=x onerror=alert(1)>'); // '&lt;img src=x onerror=alert(1)&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * JSON that is safe inside `<script type="application/json">`: `<`, `>` and `&` are
 * escaped so no `</script>` or `<!--` can end or alter the element; U+2028/2029 too, for
 * tools that would eval it.
 *
 * @example
 * jsonForScript({ n: '</script>' }); // '{"n":"\\u003c/script\\u003e"}'
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const TITLE: Readonly<Record<Severity, string>> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info' };
const SEVERITY_COLOR: Readonly<Record<Severity, string>> = {
  critical: '#8e24aa',
  high: '#d32f2f',
  medium: '#ef6c00',
  low: '#1976d2',
  info: '#78909c',
};
const ACCENT = '#3f6fb5';

/** Escaped text for static markup: one line, control and bidi characters made visible. */
const text = (s: string): string => escapeHtml(oneLine(s));

// ---------------------------------------------------------------------------- charts

interface Bar {
  readonly label: string;
  readonly value: number;
  /** One colour for the whole bar, or segments (e.g. by severity) that add up to `value`. */
  readonly color?: string;
  readonly segments?: readonly { readonly value: number; readonly color: string }[];
  /** Shown in the tooltip, e.g. the severity breakdown. */
  readonly detail?: string;
}

function truncate(label: string, max: number): string {
  const chars = [...label];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : label;
}

/**
 * A horizontal bar chart as inline SVG, scaled to its container through the viewBox.
 * Bars may be stacked from segments; the label is truncated (the tooltip has it whole).
 *
 * @example
 * barChart('By severity', [{ label: 'High', value: 3, color: '#d32f2f' }]);
 */
export function barChart(title: string, bars: readonly Bar[], empty = 'No failing findings', note = ''): string {
  const width = 560;
  const labelWidth = 230;
  const valueWidth = 56;
  const rowHeight = 26;
  const top = 6;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const plot = width - labelWidth - valueWidth;
  const height = top * 2 + Math.max(1, bars.length) * rowHeight;
  const rows = bars.map((b, i) => {
    const y = top + i * rowHeight;
    const scale = (v: number) => (v === 0 ? 0 : Math.max(2, Math.round((v / max) * plot)));
    const segments = b.segments ?? [{ value: b.value, color: b.color ?? ACCENT }];
    let x = labelWidth;
    const rects = segments
      .filter((seg) => seg.value > 0)
      .map((seg) => {
        const w = scale(seg.value);
        const r = `<rect x="${x}" y="${y + 5}" width="${w}" height="${rowHeight - 10}" fill="${seg.color}"/>`;
        x += w;
        return r;
      });
    const tip = `${b.label}: ${b.value}${b.detail ? ` (${b.detail})` : ''}`;
    return [
      `<g><title>${text(tip)}</title>`,
      `<text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end" class="chart-label">${text(truncate(b.label, 30))}</text>`,
      ...rects,
      `<text x="${x + 6}" y="${y + 17}" class="chart-value">${b.value}</text></g>`,
    ].join('');
  });
  const body = bars.length === 0 ? `<text x="${width / 2}" y="${top + 17}" text-anchor="middle" class="chart-empty">${text(empty)}</text>` : rows.join('');
  return [
    `<figure class="chart"><figcaption>${text(title)}${note ? ` <span class="note">${text(note)}</span>` : ''}</figcaption>`,
    `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${text(title)}" preserveAspectRatio="xMinYMin meet">${body}</svg>`,
    '</figure>',
  ].join('');
}

const bySeveritySegments = (counts: Readonly<Record<Severity, number>>) => SEVERITIES.map((s) => ({ value: counts[s], color: SEVERITY_COLOR[s] }));
const breakdown = (counts: Readonly<Record<Severity, number>>): string =>
  SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(', ');

function rankedBars(ranked: readonly Ranked[]): Bar[] {
  return ranked.map((r) => ({
    label: r.label,
    value: r.problems,
    segments: bySeveritySegments(r.bySeverity),
    detail: `${breakdown(r.bySeverity)}; ${r.findings} finding${r.findings === 1 ? '' : 's'}; weighted score ${r.score}`,
  }));
}

function categoryBars(findings: readonly Finding[]): Bar[] {
  const counts = new Map<string, Record<Severity, number>>();
  for (const f of findings) {
    if (f.status !== 'fail') continue;
    let c = counts.get(f.category);
    if (!c) {
      c = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
      counts.set(f.category, c);
    }
    c[f.severity]++;
  }
  return failingByCategory(findings).map(([label, value]) => {
    const c = counts.get(label) ?? { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
    return { label, value, segments: bySeveritySegments(c), detail: breakdown(c) };
  });
}

function charts(report: ScanReport, problems: readonly Problem[]): string {
  const s = report.summary.failBySeverity;
  const severityBars = SEVERITIES.map((k) => ({ label: TITLE[k], value: s[k], color: SEVERITY_COLOR[k] }));
  const anyFailing = severityBars.some((b) => b.value > 0);
  const ranking = 'failing problems, top 10, ranked by weighted severity';
  const multi = isMultiCluster(report);
  return [
    '<section class="charts-wrap" aria-label="Summary charts">',
    `<p class="legend">${SEVERITIES.map((k) => `<span class="key sev-${k}"></span>${TITLE[k]}`).join(' ')}</p>`,
    '<div class="charts">',
    barChart('Failing findings by severity', anyFailing ? severityBars : []),
    barChart('Failing findings by category', categoryBars(report.findings)),
    barChart('Most affected namespaces', rankedBars(topNamespaces(problems, 10, multi)), undefined, ranking),
    barChart('Most affected resources', rankedBars(topResources(problems, 10, multi)), undefined, ranking),
    '</div>',
    '</section>',
  ].join('\n');
}

// ---------------------------------------------------------------------------- static parts

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function tile(label: string, value: number | string, cls = ''): string {
  return `<div class="tile${cls ? ` ${cls}` : ''}"><div class="tile-value">${text(String(value))}</div><div class="tile-label">${text(label)}</div></div>`;
}

function header(report: ScanReport, problems: readonly Problem[], exempt: number, errors: number): string {
  const s = report.summary.failBySeverity;
  const failing = SEVERITIES.reduce((n, k) => n + s[k], 0);
  const sources = report.sources.length > 0 ? report.sources.map((x) => `<code>${text(x)}</code>`).join(', ') : 'none';
  const counts = problemCounts(report, problems);
  const hidden = hiddenNote(report);
  return [
    '<header>',
    '<h1>Palisade security report</h1>',
    `<p class="meta">Generated ${text(report.generatedAt)} by ${text(report.tool.name)} ${text(report.tool.version)} · sources: ${sources}</p>`,
    ...(report.clusters && report.clusters.length > 0
      ? [
          `<p class="meta">Cluster${report.clusters.length === 1 ? '' : 's'}: ${report.clusters
            .map(
              (c) =>
                `<code>${text(c.name)}</code> (${c.kubernetesVersion ? `Kubernetes ${text(c.kubernetesVersion)}, ` : ''}${plural(c.resources, 'object')}, ${c.coveragePercent}% read)`,
            )
            .join(', ')}</p>`,
        ]
      : []),
    `<p class="verdict ${failing > 0 ? 'bad' : 'good'}">${failing > 0 ? `${plural(counts.problems, 'failing problem')} (${plural(failing, 'finding')})` : 'No failing findings'}</p>`,
    ...(hidden !== undefined ? [`<p class="meta">Not shown: ${text(hidden)}; the counts below include them.</p>`] : []),
    ...(report.incomplete ? [`<p class="verdict bad">Incomplete: ${plural(report.incomplete.paths, 'file')} could not be read</p>`] : []),
    '<div class="tiles">',
    tile('resources scanned', report.resources),
    tile('checks run', report.summary.checksRun),
    tile('failing problems', counts.problems),
    ...SEVERITIES.map((k) => tile(k, s[k], `sev-tile sev-${k}${s[k] === 0 ? ' zero' : ''}`)),
    tile('exempt', exempt),
    tile('errors', errors, errors > 0 ? 'warn' : ''),
    tile('non-Kubernetes documents skipped', report.stats.nonKubernetes),
    tile('parse errors', report.stats.parseErrors, report.stats.parseErrors > 0 ? 'warn' : ''),
    ...(report.coverage ? [tile('coverage (of what the checks read)', `${report.coverage.percent}%`, report.coverage.percent < 100 ? 'warn' : '')] : []),
    '</div>',
    '</header>',
  ].join('\n');
}

/**
 * One attack path drawn as inline SVG: a chain of boxes (entry, each object reached, the sink)
 * joined by arrows labelled with the edge kind and its ATT&CK id; the hop that cuts the path
 * is drawn dashed and marked "cut". Generated here: no external asset, no script.
 *
 * @example
 * riskSvg(report.topRisks.risks[0]);
 */
export function riskSvg(r: TopRisk): string {
  const boxW = 150;
  const gap = 96;
  const boxH = 46;
  const top = 24;
  const labels = [r.hops[0]?.from ?? r.entry.label, ...r.hops.map((h) => h.to)];
  // Ids are unique in the page: every drawing has its own arrow head.
  const marker = `risk-arrow-${r.rank}${r.cluster !== undefined ? `-${r.cluster.replace(/[^A-Za-z0-9_-]/g, '_')}` : ''}`;
  const width = labels.length * boxW + (labels.length - 1) * gap + 4;
  const height = top + boxH + 26;
  const out: string[] = [];
  labels.forEach((label, i) => {
    const x = 2 + i * (boxW + gap);
    const fill = i === 0 ? '#fff2cc' : i === labels.length - 1 ? '#f4cccc' : '#e8eef8';
    const [a, b] = splitLabel(label);
    out.push(
      `<g><title>${text(label)}</title><rect x="${x}" y="${top}" width="${boxW}" height="${boxH}" rx="6" fill="${fill}" stroke="#667"/>`,
      `<text x="${x + boxW / 2}" y="${top + 19}" text-anchor="middle" class="risk-node">${text(a)}</text>`,
      b ? `<text x="${x + boxW / 2}" y="${top + 35}" text-anchor="middle" class="risk-node">${text(b)}</text>` : '',
      '</g>',
    );
    const hop = r.hops[i];
    if (i < labels.length - 1 && hop) {
      const x1 = x + boxW;
      const x2 = x1 + gap - 4;
      const y = top + boxH / 2;
      const cut = i === r.cut.hop;
      out.push(
        `<g><title>${text(`${hop.edge} (${hop.mitre}, ${hop.ms}): ${hop.evidence}`)}</title>`,
        `<line x1="${x1}" y1="${y}" x2="${x2}" y2="${y}" stroke="${cut ? '#c62828' : '#445'}" stroke-width="${cut ? 2.5 : 1.5}"${cut ? ' stroke-dasharray="5 3"' : ''} marker-end="url(#${marker})"/>`,
        `<text x="${(x1 + x2) / 2}" y="${y - 8}" text-anchor="middle" class="risk-edge">${text(truncate(hop.edge.replace(/^rbac:/, ''), 18))}</text>`,
        `<text x="${(x1 + x2) / 2}" y="${y + 16}" text-anchor="middle" class="risk-edge">${text(hop.mitre)}</text>`,
        cut ? `<text x="${(x1 + x2) / 2}" y="${top - 8}" text-anchor="middle" class="risk-cut">✂ cut</text>` : '',
        '</g>',
      );
    }
  });
  const defs = `<defs><marker id="${marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#445"/></marker></defs>`;
  return `<svg class="risk-path" viewBox="0 0 ${width} ${height}" width="${width}" role="img" aria-label="${text(r.title)}">${defs}${out.join('')}</svg>`;
}

/** A box label on at most two lines of about 22 characters. */
function splitLabel(label: string): [string, string] {
  const words = label.split(' ');
  let a = '';
  let i = 0;
  while (i < words.length && `${a} ${words[i]}`.trim().length <= 22) a = `${a} ${words[i++]}`.trim();
  if (a === '') return [truncate(label, 22), truncate(words.slice(1).join(' '), 22)];
  return [a, truncate(words.slice(i).join(' '), 22)];
}

/** Top risks, first on the page: each attack path drawn, with the change that cuts it. */
function topRisksSection(report: ScanReport): string {
  const t = report.topRisks;
  // Reports built by hand (not by the library) have no such section.
  if (!t) return '';
  const items = t.risks.map((r) => {
    const cut = r.cut.finding
      ? ` · finding <code>${text(`${r.cut.finding.check} ${r.cut.finding.name}`)}</code>${r.cut.finding.fixCommand ? ` (<code>${text(r.cut.finding.fixCommand)}</code>)` : ''}`
      : '';
    const where = r.cut.file !== undefined ? ` · <code>${text(`${r.cut.file}${r.cut.line !== undefined ? `:${r.cut.line}` : ''}`)}</code>` : '';
    return [
      '<li class="risk">',
      `<p class="risk-title"><span class="risk-score">${r.score.toFixed(1)}</span> ${r.cluster !== undefined ? `<code>${text(r.cluster)}</code> ` : ''}${text(r.title)}</p>`,
      `<div class="risk-drawing">${riskSvg(r)}</div>`,
      `<p class="risk-cut-text"><strong>Cut it</strong> at hop ${r.cut.hop + 1} (<code>${text(r.cut.edge)}</code>, on ${r.cut.paths} of ${t.totalPaths} paths): ${text(r.cut.how)}${where}${cut}</p>`,
      r.alsoFrom.length > 0 ? `<p class="meta">Also from: ${r.alsoFrom.map((a) => text(a.label)).join('; ')}</p>` : '',
      '</li>',
    ].join('');
  });
  return [
    '<section class="top-risks" id="top-risks">',
    '<h2>Top risks</h2>',
    `<p class="meta">${text(describeTopRisks(t))}</p>`,
    items.length > 0 ? `<ol class="risks">${items.join('\n')}</ol>` : '',
    ...t.notes.map((n) => `<p class="meta">Note: ${text(n)}</p>`),
    '</section>',
  ].join('\n');
}

function filters(findings: readonly Finding[]): string {
  // One row per problem: the filters count primaries.
  const bySeverity = new Map<Severity, number>();
  const categories = new Set<string>();
  const statuses = new Set<string>();
  for (const f of findings) {
    categories.add(f.category);
    statuses.add(f.status);
  }
  const statusOptions: [string, string][] = [
    ['fail', 'Failing'],
    ['exempt', 'Exempt'],
    ['error', 'Errors'],
    ['pass', 'Passing'],
  ];
  const initial = statuses.has('fail') ? 'fail' : 'all';
  for (const f of findings) if (initial === 'all' || f.status === initial) bySeverity.set(f.severity, (bySeverity.get(f.severity) ?? 0) + 1);
  return [
    '<div class="filters" role="search">',
    '<fieldset class="sev-filter"><legend>Severity</legend>',
    ...SEVERITIES.map(
      (k) =>
        `<label class="chip sev-${k}"><input type="checkbox" name="sev" value="${k}" checked> ${TITLE[k]} <span class="n">${bySeverity.get(k) ?? 0}</span></label>`,
    ),
    '</fieldset>',
    '<label class="field">Category <select id="f-cat"><option value="">All categories</option>',
    ...[...categories].sort().map((c) => `<option value="${text(c)}">${text(c)}</option>`),
    '</select></label>',
    '<label class="field">Status <select id="f-status">',
    ...statusOptions.filter(([v]) => statuses.has(v)).map(([v, l]) => `<option value="${v}"${v === initial ? ' selected' : ''}>${l}</option>`),
    `<option value="all"${initial === 'all' ? ' selected' : ''}>All statuses</option>`,
    '</select></label>',
    '<label class="field grow">Search <input id="f-q" type="search" placeholder="check, resource or message" autocomplete="off"></label>',
    '</div>',
  ].join('\n');
}

const COLUMNS: readonly [key: string, label: string][] = [
  ['sev', 'Severity'],
  ['status', 'Status'],
  ['check', 'Check'],
  ['res', 'Resource'],
  ['loc', 'Location'],
  ['msg', 'Message'],
];

function findingsTable(findings: readonly Finding[]): string {
  return [
    '<section class="findings" aria-labelledby="findings-title">',
    '<h2 id="findings-title">Findings</h2>',
    '<p class="meta">One row per problem: findings of other checks about the same root cause are listed under it (\u201calso\u201d), in the report\u2019s risk order.</p>',
    filters(findings),
    '<p class="count" id="count" aria-live="polite"></p>',
    '<div class="table-wrap"><table>',
    `<thead><tr>${COLUMNS.map(([k, l]) => `<th scope="col" data-col="${k}"><button type="button" data-sort="${k}">${l}</button></th>`).join('')}</tr></thead>`,
    '<tbody id="rows"></tbody>',
    '</table></div>',
    '<p id="empty" class="empty" hidden>No findings match the filters.</p>',
    '<nav class="pager" aria-label="Pages"><button type="button" id="prev">Previous</button><span id="page"></span><button type="button" id="next">Next</button></nav>',
    '<noscript><p class="empty">The findings table needs JavaScript. The charts above, and the JSON or SARIF reports, do not.</p></noscript>',
    '</section>',
  ].join('\n');
}

function problems(report: ScanReport): string {
  const items: string[] = [];
  for (const d of report.diagnostics) {
    items.push(`<li class="diag-${d.level}"><span class="tag">${text(d.level)}</span> ${text(d.message)} <code>${text(d.code)}</code></li>`);
  }
  for (const g of coverageGaps(report)) {
    items.push(
      `<li class="diag-${g.status === 'failed' ? 'error' : g.status === 'skipped' ? 'notice' : 'warning'}"><span class="tag">coverage: ${text(g.status)}</span> ${text(g.text)}</li>`,
    );
  }
  for (const r of report.exceptions.unused) {
    const scope = [r.kind, r.namespace, r.name, r.container].filter((x) => x !== undefined).join('/');
    items.push(
      `<li class="diag-notice"><span class="tag">unused exception</span> ${text(r.check)}${scope ? ` on ${text(scope)}` : ''}: ${text(r.reason)}</li>`,
    );
  }
  if (items.length === 0) return '';
  return ['<section class="problems"><h2>Loading problems and notices</h2><ul>', ...items, '</ul></section>'].join('\n');
}

// ---------------------------------------------------------------------------- data

/** The compact shape of a finding in the embedded JSON (short keys: 10k findings add up). */
interface FindingData {
  c: string;
  s: Severity;
  st: Finding['status'];
  g: string;
  a: string;
  k: string;
  ns?: string;
  n: string;
  /** Cluster (cluster scans). */
  cl?: string;
  ct?: string;
  /** Running pods owned by the workload. */
  ap?: number;
  p: string;
  m: string;
  f?: string;
  l?: number;
  col?: number;
  ds?: Severity;
  r?: string;
  v?: string;
  x?: string;
  /** Evidence values as JSON text. */
  ev?: Record<string, string>;
  /** Problem id and rank. */
  gid?: string;
  rk?: number;
  /** How to fix it automatically (`palisade fix ...`) and the fix as diff lines. */
  fx?: string;
  fd?: string[];
  /** The other findings of the problem: check, name, severity, message, pointer. */
  rel?: { c: string; n: string; s: Severity; m: string; p: string }[];
}

/** Multi-line prose with the same defusing as {@link oneLine}, line breaks kept. */
const prose = (s: string): string => s.split(/\r?\n/).map(oneLine).join('\n');

// Strings are defused here (control and bidi characters made visible), so that what the
// browser shows is what the manifest contains, in the order it contains it.
function findingData(f: Finding, problem?: Problem): FindingData {
  const rel = problem?.related.map((r) => ({ c: oneLine(r.check), n: oneLine(r.name), s: r.severity, m: oneLine(r.message), p: oneLine(r.pointer) }));
  return {
    c: oneLine(f.check),
    s: f.severity,
    st: f.status,
    g: oneLine(f.category),
    a: oneLine(f.resource.apiVersion),
    k: oneLine(f.resource.kind),
    ...(f.resource.namespace !== undefined ? { ns: oneLine(f.resource.namespace) } : {}),
    n: oneLine(f.resource.name),
    ...(f.resource.cluster !== undefined ? { cl: oneLine(f.resource.cluster) } : {}),
    ...(f.container !== undefined ? { ct: oneLine(f.container) } : {}),
    ...(f.affectedPods !== undefined ? { ap: f.affectedPods } : {}),
    p: oneLine(f.pointer),
    m: oneLine(f.message),
    ...(f.location ? { f: oneLine(f.location.file), l: f.location.line, col: f.location.column } : {}),
    ...(f.severity !== f.defaultSeverity ? { ds: f.defaultSeverity } : {}),
    ...(f.exemption ? { r: oneLine(f.exemption.reason), v: f.exemption.source, ...(f.exemption.expires ? { x: oneLine(f.exemption.expires) } : {}) } : {}),
    ...(f.evidence ? { ev: Object.fromEntries(Object.entries(f.evidence).map(([k, v]) => [oneLine(k), oneLine(JSON.stringify(v))])) } : {}),
    ...(problem ? { gid: problem.id, rk: problem.rank } : {}),
    ...(rel && rel.length > 0 ? { rel } : {}),
    ...fixData(f),
  };
}

function fixData(f: Finding): Pick<FindingData, 'fx' | 'fd'> {
  const how = fixCommand(f);
  return how ? { fx: how, fd: fixDiffLines(f).map(oneLine) } : {};
}

function checkData(c: CheckMeta): Record<string, unknown> {
  return {
    n: oneLine(c.name),
    t: oneLine(c.title),
    d: prose(c.docs.description),
    r: prose(c.docs.remediation),
    refs: (c.docs.references ?? []).map(oneLine),
    fw: c.frameworks.map((ref) => oneLine(frameworkLabel(ref))),
  };
}

function pageData(report: ScanReport, problems: readonly Problem[]): unknown {
  const checks: Record<string, unknown> = {};
  for (const c of report.checks) checks[c.id] = checkData(c);
  for (const f of report.findings) {
    if (!(f.check in checks))
      checks[f.check] = { n: oneLine(f.name), t: oneLine(f.title), d: '', r: '', refs: [], fw: f.frameworks.map((r) => oneLine(frameworkLabel(r))) };
  }
  return { multiCluster: isMultiCluster(report), checks, total: report.findings.length, findings: problems.map((p) => findingData(p.primary, p)) };
}

// ---------------------------------------------------------------------------- assets

const CSS = `
:root{--bg:#f6f7f9;--card:#fff;--fg:#1d2430;--muted:#5d6776;--line:#dde1e7;--accent:${ACCENT};
--critical:${SEVERITY_COLOR.critical};--high:${SEVERITY_COLOR.high};--medium:${SEVERITY_COLOR.medium};--low:${SEVERITY_COLOR.low};--info:${SEVERITY_COLOR.info}}
@media (prefers-color-scheme:dark){:root{--bg:#14171c;--card:#1d2128;--fg:#e4e7ec;--muted:#9aa3b1;--line:#323844}}
*{box-sizing:border-box}
.top-risks{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 18px;margin:16px 0}
.top-risks h2{margin:0 0 4px}
.risks{padding-left:22px}.risk{margin:12px 0}
.risk-title{margin:0 0 6px;font-weight:600}.risk-score{display:inline-block;min-width:2.6em;padding:1px 6px;border-radius:4px;background:var(--critical);color:#fff;text-align:center}
.risk-drawing{overflow-x:auto}.risk-path{max-width:none;height:auto}
.risk-node{font-size:11px;fill:#1d2430}.risk-edge{font-size:10px;fill:var(--muted)}.risk-cut{font-size:11px;font-weight:700;fill:#c62828}
.risk-cut-text{margin:4px 0}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1360px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:0 0 12px}
pre.diff{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:rgba(127,127,127,.08);padding:6px 8px;border-radius:4px;overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere}
pre.diff .add{color:#1a7f37}pre.diff .del{color:#cf222e}
code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:rgba(127,127,127,.12);padding:1px 4px;border-radius:3px;overflow-wrap:anywhere}
.meta{color:var(--muted);margin:0 0 8px}
.verdict{font-weight:600;font-size:16px;margin:0 0 16px}.verdict.bad{color:var(--high)}.verdict.good{color:#2e7d32}
.tiles{display:flex;flex-wrap:wrap;gap:10px;margin-bottom:24px}
.tile{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:110px}
.tile-value{font-size:22px;font-weight:650}.tile-label{color:var(--muted);font-size:12px}
.sev-tile{border-top:4px solid var(--sc)}.sev-tile .tile-value{color:var(--sc)}.sev-tile.zero .tile-value{color:var(--muted)}
.tile.warn .tile-value{color:var(--high)}
.sev-critical{--sc:var(--critical)}.sev-high{--sc:var(--high)}.sev-medium{--sc:var(--medium)}.sev-low{--sc:var(--low)}.sev-info{--sc:var(--info)}
.charts-wrap{margin-bottom:24px}.charts{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:16px}
@media (max-width:900px){.charts{grid-template-columns:1fr}}
.legend{margin:0 0 8px;color:var(--muted);font-size:12px}.legend .key{display:inline-block;width:10px;height:10px;border-radius:2px;background:var(--sc);margin:0 4px 0 10px;vertical-align:-1px}
.legend .key:first-child{margin-left:0}.chart .note{color:var(--muted);font-weight:400;font-size:12px}
.chart{margin:0;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.chart figcaption{font-weight:600;margin-bottom:6px}.chart svg{width:100%;height:auto;display:block}
.chart-label{font-size:12px;fill:var(--fg)}.chart-value{font-size:12px;fill:var(--muted)}.chart-empty{font-size:13px;fill:var(--muted)}
.findings,.problems{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px;margin-bottom:24px}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-end;margin-bottom:8px}
.filters fieldset{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:6px;align-items:center}
.filters legend{float:left;margin-right:6px;color:var(--muted);font-size:12px}
.chip{display:inline-flex;align-items:center;gap:4px;border:1px solid var(--line);border-left:4px solid var(--sc);border-radius:6px;padding:3px 8px;cursor:pointer;user-select:none}
.chip .n{color:var(--muted);font-size:12px}
.field{display:flex;flex-direction:column;font-size:12px;color:var(--muted);gap:2px}.field.grow{flex:1;min-width:220px}
select,input[type=search]{font:inherit;color:var(--fg);background:var(--card);border:1px solid var(--line);border-radius:6px;padding:5px 8px}
.count{color:var(--muted);margin:8px 0}
.table-wrap{overflow-x:auto}
table{width:100%;border-collapse:collapse;table-layout:fixed}
th{text-align:left;border-bottom:2px solid var(--line);padding:0}
th button{all:unset;display:block;width:100%;padding:6px 8px;font-weight:600;cursor:pointer;box-sizing:border-box}
th button:focus-visible,tr.row:focus-visible{outline:2px solid var(--accent);outline-offset:-2px}
th[aria-sort=ascending] button::after{content:" \\25B2";font-size:10px}th[aria-sort=descending] button::after{content:" \\25BC";font-size:10px}
th[data-col=sev]{width:96px}th[data-col=status]{width:80px}th[data-col=check]{width:19%}th[data-col=res]{width:22%}th[data-col=loc]{width:15%}
td{padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:anywhere}
tr.row{cursor:pointer}tr.row:hover{background:rgba(127,127,127,.07)}tr.row[aria-expanded=true]{background:rgba(63,111,181,.08)}
.sev{display:inline-block;min-width:64px;text-align:center;border-radius:10px;padding:1px 8px;font-size:12px;font-weight:600;color:#fff;background:var(--sc);text-transform:capitalize}
.st-exempt,.st-pass{color:var(--muted)}.st-error{color:var(--high);font-weight:600}
td .id{font-weight:600}td .slug{color:var(--muted)}td .also{color:var(--muted);font-size:12px}td.loc{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
tr.detail td{background:rgba(127,127,127,.05);padding:12px 16px 16px}
.detail h3{margin:0 0 8px;font-size:15px}.detail p{margin:0 0 8px}
.detail dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:8px 0 0}.detail dt{color:var(--muted)}.detail dd{margin:0}
.detail ul{margin:0;padding-left:18px}
.empty{color:var(--muted)}
.pager{display:flex;gap:12px;align-items:center;justify-content:flex-end;margin-top:10px}
.pager button{font:inherit;border:1px solid var(--line);background:var(--card);color:var(--fg);border-radius:6px;padding:4px 12px;cursor:pointer}
.pager button:disabled{opacity:.4;cursor:default}
.problems ul{margin:0;padding-left:0;list-style:none}.problems li{padding:4px 0;border-bottom:1px solid var(--line)}
.tag{display:inline-block;font-size:11px;font-weight:600;text-transform:uppercase;border-radius:4px;padding:0 6px;margin-right:6px;background:rgba(127,127,127,.15)}
.diag-error .tag{background:var(--high);color:#fff}.diag-warning .tag{background:var(--medium);color:#fff}
footer{color:var(--muted);font-size:12px;text-align:center;padding-bottom:24px}
@media print{.filters,.pager{display:none}body{background:#fff}}
`;

// Plain ES2017 without template literals (this file embeds it in one). Everything from the
// report is written with textContent or as attribute values chosen from fixed sets.
const SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('palisade-data').textContent);
  var RANK = { critical: 5, high: 4, medium: 3, low: 2, info: 1 };
  var STATUS = { fail: 'Failing', exempt: 'Exempt', error: 'Error', pass: 'Pass' };
  var PAGE = 500;
  var findings = data.findings;
  var $ = function (id) { return document.getElementById(id); };
  var cmp = function (a, b) { return a < b ? -1 : a > b ? 1 : 0; };
  findings.forEach(function (f, i) {
    var c = data.checks[f.c] || {};
    f.i = i;
    f.res = f.k + ' ' + (f.ns !== undefined ? f.ns + '/' : '') + f.n + (f.ct !== undefined ? ' [' + f.ct + ']' : '') +
      (data.multiCluster && f.cl !== undefined ? ' @ ' + f.cl : '') +
      (f.ap !== undefined ? ' (' + f.ap + ' running pod' + (f.ap === 1 ? '' : 's') + ')' : '');
    f.loc = f.f !== undefined ? f.f + ':' + f.l : '';
    f.also = (f.rel || []).map(function (r) { return r.c; }).filter(function (id, j, all) { return all.indexOf(id) === j; });
    f.q = [f.c, c.n, c.t, f.res, f.m, f.loc].concat((f.rel || []).map(function (r) { return r.c + ' ' + r.n; })).join(' ').toLowerCase();
  });
  var SORTS = {
    sev: function (a, b) { return (RANK[b.s] || 0) - (RANK[a.s] || 0); },
    status: function (a, b) { return cmp(a.st, b.st); },
    check: function (a, b) { return cmp(a.c, b.c); },
    res: function (a, b) { return cmp(a.res, b.res); },
    loc: function (a, b) { return cmp(a.f || '', b.f || '') || (a.l || 0) - (b.l || 0); },
    msg: function (a, b) { return cmp(a.m, b.m); }
  };
  var state = { sort: 'sev', dir: 1, page: 0, q: '', open: {} };

  function el(tag, cls, txt) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (txt !== undefined && txt !== null) e.textContent = String(txt);
    return e;
  }
  function sevClass(s) { return RANK[s] ? s : 'info'; }
  function prose(parent, txt) {
    String(txt || '').split(/\\n\\s*\\n/).forEach(function (para) {
      var p = el('p');
      para.split('\\u0060').forEach(function (part, i) { p.appendChild(i % 2 ? el('code', null, part) : document.createTextNode(part)); });
      parent.appendChild(p);
    });
  }
  function visible() {
    var sev = {};
    document.querySelectorAll('input[name=sev]').forEach(function (c) { sev[c.value] = c.checked; });
    var status = $('f-status').value, cat = $('f-cat').value;
    var terms = state.q.trim().toLowerCase().split(/\\s+/).filter(Boolean);
    // The severity chips count what the other filters leave, so they read as "how many of these".
    var counts = {};
    var out = findings.filter(function (f) {
      if (status !== 'all' && f.st !== status) return false;
      if (cat && f.g !== cat) return false;
      for (var i = 0; i < terms.length; i++) if (f.q.indexOf(terms[i]) < 0) return false;
      counts[f.s] = (counts[f.s] || 0) + 1;
      return !!sev[f.s];
    });
    document.querySelectorAll('input[name=sev]').forEach(function (c) {
      c.parentNode.querySelector('.n').textContent = String(counts[c.value] || 0);
    });
    var by = SORTS[state.sort];
    out.sort(function (a, b) { return state.dir * by(a, b) || a.i - b.i; });
    return out;
  }
  function row(f) {
    var c = data.checks[f.c] || {};
    var tr = el('tr', 'row');
    tr.tabIndex = 0;
    tr.setAttribute('data-i', String(f.i));
    tr.setAttribute('aria-expanded', state.open[f.i] ? 'true' : 'false');
    var sev = el('td');
    sev.appendChild(el('span', 'sev sev-' + sevClass(f.s), f.s));
    tr.appendChild(sev);
    tr.appendChild(el('td', 'st-' + (STATUS[f.st] ? f.st : 'fail'), STATUS[f.st] || f.st));
    var check = el('td');
    check.appendChild(el('span', 'id', f.c));
    check.appendChild(document.createTextNode(' '));
    check.appendChild(el('span', 'slug', c.n || ''));
    if (f.also.length) check.appendChild(el('div', 'also', 'also: ' + f.also.join(', ')));
    tr.appendChild(check);
    tr.appendChild(el('td', 'res', f.res));
    var loc = el('td', 'loc');
    // Break long paths after a slash rather than mid-name.
    f.loc.split('/').forEach(function (part, i, parts) {
      loc.appendChild(document.createTextNode(part + (i < parts.length - 1 ? '/' : '')));
      if (i < parts.length - 1) loc.appendChild(document.createElement('wbr'));
    });
    tr.appendChild(loc);
    tr.appendChild(el('td', 'msg', f.m));
    return tr;
  }
  function item(dl, label, value, code) {
    if (value === undefined || value === null || value === '') return;
    dl.appendChild(el('dt', null, label));
    var dd = el('dd');
    dd.appendChild(code ? el('code', null, value) : document.createTextNode(String(value)));
    dl.appendChild(dd);
  }
  function list(dl, label, values, links) {
    if (!values || !values.length) return;
    dl.appendChild(el('dt', null, label));
    var dd = el('dd'), ul = el('ul');
    values.forEach(function (v) {
      var li = el('li');
      if (links && /^https?:\\/\\//i.test(v)) {
        var a = el('a', null, v);
        a.href = v;
        a.rel = 'noopener noreferrer';
        a.target = '_blank';
        li.appendChild(a);
      } else li.textContent = v;
      ul.appendChild(li);
    });
    dd.appendChild(ul);
    dl.appendChild(dd);
  }
  function detail(f) {
    var c = data.checks[f.c] || {};
    var tr = el('tr', 'detail'), td = el('td');
    td.colSpan = 6;
    var box = el('div', 'detail');
    box.appendChild(el('h3', null, f.c + ' ' + (c.n || '') + (c.t ? ': ' + c.t : '')));
    if (c.d) prose(box, c.d);
    if (c.r && f.st !== 'pass') { box.appendChild(el('strong', null, 'Remediation')); prose(box, c.r); }
    if (f.fx) {
      box.appendChild(el('strong', null, 'Automatic fix: ' + f.fx));
      var pre = el('pre', 'diff');
      f.fd.forEach(function (l) { pre.appendChild(el('span', l.charAt(0) === '+' ? 'add' : 'del', l + '\\n')); });
      box.appendChild(pre);
    }
    var dl = el('dl');
    item(dl, 'Resource', f.a + ' ' + f.res);
    item(dl, 'Cluster', f.cl);
    item(dl, 'Pointer', f.p || '(the whole object)', true);
    item(dl, 'Location', f.f !== undefined ? f.f + ':' + f.l + ':' + f.col : 'no source position');
    item(dl, 'Severity', f.s + (f.ds ? ' (default ' + f.ds + ')' : ''));
    item(dl, 'Category', f.g);
    if (f.r !== undefined) item(dl, 'Exempt because', f.r + ' (' + f.v + (f.x ? ', expires ' + f.x : '') + ')');
    if (f.ev) list(dl, 'Evidence', Object.keys(f.ev).map(function (k) { return k + ': ' + f.ev[k]; }));
    if (f.rel) list(dl, 'Also reported by', f.rel.map(function (r) { return r.c + ' ' + r.n + ' (' + r.s + '): ' + r.m + (r.p !== f.p ? ' [' + (r.p || '(the whole object)') + ']' : ''); }));
    item(dl, 'Problem', f.gid !== undefined ? f.gid + ', rank ' + f.rk : undefined, true);
    list(dl, 'Frameworks', c.fw);
    list(dl, 'References', c.refs, true);
    box.appendChild(dl);
    td.appendChild(box);
    tr.appendChild(td);
    return tr;
  }
  function toggle(tr) {
    var i = Number(tr.getAttribute('data-i'));
    var next = tr.nextElementSibling;
    if (state.open[i]) {
      delete state.open[i];
      if (next && next.className === 'detail') next.remove();
    } else {
      state.open[i] = true;
      tr.after(detail(findings[i]));
    }
    tr.setAttribute('aria-expanded', state.open[i] ? 'true' : 'false');
  }
  function render() {
    var shown = visible();
    var pages = Math.max(1, Math.ceil(shown.length / PAGE));
    if (state.page >= pages) state.page = pages - 1;
    var start = state.page * PAGE, slice = shown.slice(start, start + PAGE);
    var frag = document.createDocumentFragment();
    slice.forEach(function (f) {
      frag.appendChild(row(f));
      if (state.open[f.i]) frag.appendChild(detail(f));
    });
    var body = $('rows');
    body.textContent = '';
    body.appendChild(frag);
    $('count').textContent = shown.length ? 'Showing ' + (start + 1) + '\\u2013' + (start + slice.length) + ' of ' + shown.length + ' problems (the report has ' + findings.length + ' problems, ' + data.total + ' findings)' : '';
    $('empty').hidden = shown.length > 0;
    $('page').textContent = 'Page ' + (state.page + 1) + ' of ' + pages;
    $('prev').disabled = state.page === 0;
    $('next').disabled = state.page >= pages - 1;
    document.querySelectorAll('th[data-col]').forEach(function (th) {
      var col = th.getAttribute('data-col');
      // Severity sorts most serious first by default; the other columns A to Z.
      var first = col === 'sev' ? 'descending' : 'ascending', other = col === 'sev' ? 'ascending' : 'descending';
      if (col === state.sort) th.setAttribute('aria-sort', state.dir === 1 ? first : other);
      else th.removeAttribute('aria-sort');
    });
  }
  function refilter() { state.page = 0; render(); }
  document.querySelectorAll('input[name=sev]').forEach(function (c) { c.addEventListener('change', refilter); });
  $('f-cat').addEventListener('change', refilter);
  $('f-status').addEventListener('change', refilter);
  var timer;
  $('f-q').addEventListener('input', function (e) {
    clearTimeout(timer);
    timer = setTimeout(function () { state.q = e.target.value; refilter(); }, 120);
  });
  document.querySelectorAll('th button[data-sort]').forEach(function (b) {
    b.addEventListener('click', function () {
      var key = b.getAttribute('data-sort');
      if (state.sort === key) state.dir = -state.dir;
      else { state.sort = key; state.dir = 1; }
      render();
    });
  });
  $('prev').addEventListener('click', function () { state.page--; render(); window.scrollTo(0, $('findings-title').offsetTop); });
  $('next').addEventListener('click', function () { state.page++; render(); window.scrollTo(0, $('findings-title').offsetTop); });
  var rows = $('rows');
  rows.addEventListener('click', function (e) {
    var tr = e.target.closest('tr.row');
    if (tr && !e.target.closest('a') && !String(window.getSelection() || '')) toggle(tr);
  });
  rows.addEventListener('keydown', function (e) {
    var tr = e.target.closest('tr.row');
    if (tr && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); toggle(tr); }
  });
  render();
})();
`;

const hash = (content: string): string => `'sha256-${createHash('sha256').update(content, 'utf8').digest('base64')}'`;

// ---------------------------------------------------------------------------- page

/**
 * Renders the HTML report.
 *
 * @example
 * await writeFile('palisade.html', renderHtml(report));
 */
export function renderHtml(report: ScanReport): string {
  const grouped = problemsOf(report.findings);
  const primaries = grouped.map((p) => p.primary);
  const exempt = report.findings.filter((f) => f.status === 'exempt').length;
  const errors = report.findings.filter((f) => f.status === 'error').length + report.diagnostics.filter((d) => d.level === 'error').length;
  const csp = ["default-src 'none'", `style-src ${hash(CSS)}`, `script-src ${hash(SCRIPT)}`, "img-src 'none'", "base-uri 'none'", "form-action 'none'"].join(
    '; ',
  );
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>Palisade report${report.sources.length > 0 ? `: ${text(report.sources.join(', '))}` : ''}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    header(report, grouped, exempt, errors),
    topRisksSection(report),
    charts(report, grouped),
    findingsTable(primaries),
    problems(report),
    '</main>',
    `<footer>${text(report.tool.name)} ${text(report.tool.version)} · report schema ${text(report.schemaVersion)} · this file works offline and loads nothing from the network</footer>`,
    `<script type="application/json" id="palisade-data">${jsonForScript(pageData(report, grouped))}</script>`,
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** A self-contained HTML report. */
export const htmlReporter: Reporter = {
  name: 'html',
  description: 'Self-contained HTML report with charts, filters and sorting (works offline)',
  extension: 'html',
  render: (report, options) => renderHtml(filterReport(report, options.minSeverity)),
};
