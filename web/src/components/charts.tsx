/**
 * No inline `style` anywhere: the server's Content-Security-Policy (`default-src 'self'`)
 * blocks style attributes, so sizes and colours are SVG attributes or CSS classes.
 *
 * Charts drawn as plain SVG (ADR 0022: no chart library). Every chart carries its numbers in
 * the markup too: each point is an element with `data-key`, `data-count` and a `<title>`, and a
 * table of the same data sits under it, so screen readers and tests read the values, not pixels.
 */
import type { TrendPoint } from '../../../src/store/types.js';
import { SEVERITIES, time } from '../format.js';

const SEVERITY_COLOURS: Readonly<Record<string, string>> = {
  critical: '#9f1239',
  high: '#b91c1c',
  medium: '#92400e',
  low: '#1d4ed8',
  info: '#4b5563',
};
// AA contrast (>= 4.5:1) on white, told apart by hue and, in the chart, by marker shape.
const PALETTE = ['#1d4ed8', '#9f1239', '#047857', '#7c3aed', '#92400e', '#0e7490', '#be185d', '#4b5563'];

export function colourOf(key: string, index: number): string {
  return SEVERITY_COLOURS[key] ?? PALETTE[index % PALETTE.length] ?? '#000';
}

/** One column of the trend: the open findings per key after one scan. */
export interface TrendColumn {
  readonly scanId: string;
  readonly at: string;
  readonly cluster: string;
  readonly values: Readonly<Record<string, number>>;
}

/**
 * Turns the API's points into columns, one per scan in time order. Over several clusters a
 * column is the fleet total after that scan: each cluster counts with its latest scan so far.
 * A key without a point after a scan had no open findings then.
 */
export function trendColumns(points: readonly TrendPoint[]): { keys: string[]; columns: TrendColumn[] } {
  const byScan = new Map<string, { at: string; cluster: string; values: Map<string, number> }>();
  const keySet = new Set<string>();
  for (const p of points) {
    keySet.add(p.key);
    let s = byScan.get(p.scanId);
    if (!s) {
      s = { at: p.at, cluster: p.cluster, values: new Map() };
      byScan.set(p.scanId, s);
    }
    s.values.set(p.key, (s.values.get(p.key) ?? 0) + p.count);
  }
  const keys = [...keySet].sort((a, b) => {
    const ia = (SEVERITIES as readonly string[]).indexOf(a);
    const ib = (SEVERITIES as readonly string[]).indexOf(b);
    if (ia !== -1 || ib !== -1) return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib);
    return a.localeCompare(b);
  });
  const scans = [...byScan.entries()].sort((a, b) => a[1].at.localeCompare(b[1].at) || a[0].localeCompare(b[0]));
  const latest = new Map<string, Map<string, number>>();
  const columns: TrendColumn[] = [];
  for (const [scanId, s] of scans) {
    latest.set(s.cluster, s.values);
    const values: Record<string, number> = {};
    for (const k of keys) {
      let sum = 0;
      for (const v of latest.values()) sum += v.get(k) ?? 0;
      values[k] = sum;
    }
    columns.push({ scanId, at: s.at, cluster: s.cluster, values });
  }
  return { keys, columns };
}

/** Axis labels as precise as the time span needs: seconds apart scans get seconds. */
function axisLabel(columns: readonly TrendColumn[]): (iso: string) => string {
  const times = columns.map((c) => Date.parse(c.at)).filter((t) => !Number.isNaN(t));
  const span = times.length > 1 ? Math.max(...times) - Math.min(...times) : 0;
  const iso = (at: string) => new Date(at).toISOString();
  if (span < 3_600_000) return (at) => `${iso(at).slice(11, 19)}`;
  if (span < 3 * 86_400_000) return (at) => `${iso(at).slice(5, 10)} ${iso(at).slice(11, 16)}`;
  return (at) => iso(at).slice(0, 10);
}

function niceMax(n: number): number {
  if (n <= 5) return 5;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

const MARKERS = ['circle', 'square', 'diamond', 'triangle'] as const;

function Marker({ shape, x, y, colour }: { shape: (typeof MARKERS)[number]; x: number; y: number; colour: string }) {
  if (shape === 'square') return <rect x={x - 4} y={y - 4} width={8} height={8} fill={colour} />;
  if (shape === 'diamond') return <path d={`M${x} ${y - 5}L${x + 5} ${y}L${x} ${y + 5}L${x - 5} ${y}Z`} fill={colour} />;
  if (shape === 'triangle') return <path d={`M${x} ${y - 5}L${x + 5} ${y + 4}L${x - 5} ${y + 4}Z`} fill={colour} />;
  return <circle cx={x} cy={y} r={4.5} fill={colour} />;
}

/** Line chart of open findings per key over scans. */
export function TrendChart({ points, title }: { points: readonly TrendPoint[]; title: string }) {
  const { keys, columns } = trendColumns(points);
  if (columns.length === 0) return <p class="empty">No scans recorded yet: the trend appears after the first scan.</p>;
  const W = 720;
  const H = 260;
  const m = { top: 16, right: 16, bottom: 40, left: 44 };
  const iw = W - m.left - m.right;
  const ih = H - m.top - m.bottom;
  const max = niceMax(Math.max(0, ...columns.flatMap((c) => keys.map((k) => c.values[k] ?? 0))));
  const x = (i: number) => m.left + (columns.length === 1 ? iw / 2 : (i * iw) / (columns.length - 1));
  const y = (v: number) => m.top + ih - (v / max) * ih;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => Math.round(t * max));
  const labelEvery = Math.max(1, Math.ceil(columns.length / 6));
  const label = axisLabel(columns);
  return (
    <figure class="chart" data-chart="trend">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title}: ${columns.length} scans, table below`} class="trend">
        {ticks.map((t) => (
          <g key={`t${t}`}>
            <line x1={m.left} x2={W - m.right} y1={y(t)} y2={y(t)} class="grid" />
            <text x={m.left - 6} y={y(t) + 4} text-anchor="end" class="axis">
              {t}
            </text>
          </g>
        ))}
        {columns.map((c, i) =>
          i % labelEvery === 0 || i === columns.length - 1 ? (
            <text
              key={c.scanId}
              x={x(i)}
              y={H - m.bottom + 18}
              text-anchor={columns.length > 1 && i === 0 ? 'start' : columns.length > 1 && i === columns.length - 1 ? 'end' : 'middle'}
              class="axis"
            >
              {label(c.at)}
            </text>
          ) : null,
        )}
        {keys.map((k, ki) => {
          const colour = colourOf(k, ki);
          const shape = MARKERS[ki % MARKERS.length] ?? 'circle';
          return (
            <g key={k} data-series={k}>
              <polyline fill="none" stroke={colour} stroke-width={2} points={columns.map((c, i) => `${x(i)},${y(c.values[k] ?? 0)}`).join(' ')} />
              {columns.map((c, i) => (
                <g key={c.scanId} class="point" data-key={k} data-count={c.values[k] ?? 0} data-scan={c.scanId} data-at={c.at}>
                  <title>{`${k}: ${c.values[k] ?? 0} open after the scan of ${time(c.at)}`}</title>
                  <Marker shape={shape} x={x(i)} y={y(c.values[k] ?? 0)} colour={colour} />
                </g>
              ))}
            </g>
          );
        })}
      </svg>
      <ul class="legend">
        {keys.map((k, ki) => (
          <li key={k}>
            <svg class="swatch" width="12" height="12" aria-hidden="true">
              <rect width="12" height="12" rx="2" fill={colourOf(k, ki)} />
            </svg>{' '}
            {k}
          </li>
        ))}
      </ul>
      <details>
        <summary>Show the data as a table</summary>
        <table class="data">
          <caption class="sr-only">{title}</caption>
          <thead>
            <tr>
              <th scope="col">scan</th>
              {keys.map((k) => (
                <th scope="col" class="num" key={k}>
                  {k}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {columns.map((c) => (
              <tr key={c.scanId}>
                <th scope="row">
                  {time(c.at, true)} ({c.cluster})
                </th>
                {keys.map((k) => (
                  <td key={k} class="num">
                    {c.values[k] ?? 0}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** Horizontal bars, one per severity, with the count written beside each bar. */
export function SeverityBars({ open, label }: { open: Readonly<Record<string, number>>; label: string }) {
  const max = Math.max(1, ...SEVERITIES.map((s) => open[s] ?? 0));
  return (
    <table class="bars" aria-label={label}>
      <tbody>
        {SEVERITIES.map((s) => (
          <tr key={s} data-severity={s}>
            <th scope="row">
              <a href={`#/findings?severity=${s}&status=open`}>{s}</a>
            </th>
            <td class="num">{open[s] ?? 0}</td>
            <td class="bar-cell" aria-hidden="true">
              <svg class="bar" width="100%" height="14" aria-hidden="true">
                <rect width={`${((open[s] ?? 0) / max) * 100}%`} height="14" rx="2" fill={colourOf(s, 0)} />
              </svg>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The posture score (0..100) as a ring. */
export function ScoreRing({ score }: { score: number }) {
  const r = 42;
  const c = 2 * Math.PI * r;
  const v = Math.max(0, Math.min(100, score));
  const colour = v >= 80 ? '#047857' : v >= 50 ? '#92400e' : '#9f1239';
  return (
    <svg viewBox="0 0 100 100" width="120" height="120" role="img" aria-label={`posture score ${Math.round(v)} of 100`} class="score">
      <circle cx={50} cy={50} r={r} fill="none" stroke="#e5e7eb" stroke-width={10} />
      <circle cx={50} cy={50} r={r} fill="none" stroke={colour} stroke-width={10} stroke-dasharray={`${(v / 100) * c} ${c}`} transform="rotate(-90 50 50)" />
      <text x={50} y={57} text-anchor="middle" class="score-text">
        {Math.round(v)}
      </text>
    </svg>
  );
}
