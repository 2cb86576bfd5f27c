/**
 * CVSS vectors: v2, v3.0/v3.1 (base score computed from the vector) and v4.0 (parsed and
 * validated; its score is the one the advisory states, as computing it needs FIRST's
 * macro-vector table). Specs: https://www.first.org/cvss/v3.1/specification-document,
 * https://www.first.org/cvss/v2/guide, https://www.first.org/cvss/v4.0/specification-document.
 */
import type { Severity } from '../core/types.js';

export interface CvssScore {
  /** `2.0`, `3.0`, `3.1` or `4.0`. */
  readonly version: string;
  readonly vector: string;
  /** Base score, 0.0-10.0; undefined for a v4 vector whose score was not given. */
  readonly score?: number;
  readonly metrics: Readonly<Record<string, string>>;
}

const V3_REQUIRED: Readonly<Record<string, readonly string[]>> = {
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'R'],
  S: ['U', 'C'],
  C: ['H', 'L', 'N'],
  I: ['H', 'L', 'N'],
  A: ['H', 'L', 'N'],
};

const V2_REQUIRED: Readonly<Record<string, readonly string[]>> = {
  AV: ['L', 'A', 'N'],
  AC: ['H', 'M', 'L'],
  Au: ['M', 'S', 'N'],
  C: ['N', 'P', 'C'],
  I: ['N', 'P', 'C'],
  A: ['N', 'P', 'C'],
};

const V4_REQUIRED: Readonly<Record<string, readonly string[]>> = {
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  AT: ['N', 'P'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'P', 'A'],
  VC: ['H', 'L', 'N'],
  VI: ['H', 'L', 'N'],
  VA: ['H', 'L', 'N'],
  SC: ['H', 'L', 'N'],
  SI: ['H', 'L', 'N'],
  SA: ['H', 'L', 'N'],
};

function metricsOf(parts: readonly string[], required: Readonly<Record<string, readonly string[]>>): Record<string, string> | undefined {
  const metrics: Record<string, string> = {};
  for (const p of parts) {
    const [k, v, extra] = p.split(':');
    if (k === undefined || v === undefined || extra !== undefined || k in metrics) return undefined;
    metrics[k] = v;
  }
  for (const [k, allowed] of Object.entries(required)) {
    const v = metrics[k];
    if (v === undefined || !allowed.includes(v)) return undefined;
  }
  return metrics;
}

/** CVSS v3.1 Roundup: the smallest number with one decimal >= x, free of float artefacts. */
function roundup31(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

function roundup30(x: number): number {
  return Math.ceil(x * 10) / 10;
}

function v3Score(m: Readonly<Record<string, string>>, version: string): number {
  const av = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 }[m.AV as 'N'];
  const ac = { L: 0.77, H: 0.44 }[m.AC as 'L'];
  const changed = m.S === 'C';
  const pr = changed ? { N: 0.85, L: 0.68, H: 0.5 }[m.PR as 'N'] : { N: 0.85, L: 0.62, H: 0.27 }[m.PR as 'N'];
  const ui = { N: 0.85, R: 0.62 }[m.UI as 'N'];
  const cia = (v: string | undefined): number => ({ H: 0.56, L: 0.22, N: 0 })[v as 'H'];
  const iss = 1 - (1 - cia(m.C)) * (1 - cia(m.I)) * (1 - cia(m.A));
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const exploitability = 8.22 * av * ac * pr * ui;
  if (impact <= 0) return 0;
  const round = version === '3.0' ? roundup30 : roundup31;
  return changed ? round(Math.min(1.08 * (impact + exploitability), 10)) : round(Math.min(impact + exploitability, 10));
}

function v2Score(m: Readonly<Record<string, string>>): number {
  const av = { L: 0.395, A: 0.646, N: 1.0 }[m.AV as 'L'];
  const ac = { H: 0.35, M: 0.61, L: 0.71 }[m.AC as 'H'];
  const au = { M: 0.45, S: 0.56, N: 0.704 }[m.Au as 'M'];
  const cia = (v: string | undefined): number => ({ N: 0, P: 0.275, C: 0.66 })[v as 'N'];
  const impact = 10.41 * (1 - (1 - cia(m.C)) * (1 - cia(m.I)) * (1 - cia(m.A)));
  const exploitability = 20 * av * ac * au;
  const f = impact === 0 ? 0 : 1.176;
  return Math.round((0.6 * impact + 0.4 * exploitability - 1.5) * f * 10) / 10;
}

/**
 * Parses a CVSS vector; returns undefined when it is not a valid v2, v3.x or v4.0 base vector.
 * `statedScore` is used for v4 (and kept when a vector cannot be scored).
 *
 * @example
 * parseCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')?.score; // 9.8
 * parseCvss('AV:N/AC:L/Au:N/C:P/I:P/A:P')?.score; // 7.5 (v2)
 */
export function parseCvss(vector: string, statedScore?: number): CvssScore | undefined {
  const v = vector.trim();
  const m3 = /^CVSS:(3\.[01])\/(.+)$/.exec(v);
  if (m3 !== null) {
    const metrics = metricsOf((m3[2] as string).split('/'), V3_REQUIRED);
    if (metrics === undefined) return undefined;
    return { version: m3[1] as string, vector: v, score: v3Score(metrics, m3[1] as string), metrics };
  }
  const m4 = /^CVSS:4\.0\/(.+)$/.exec(v);
  if (m4 !== null) {
    const metrics = metricsOf((m4[1] as string).split('/'), V4_REQUIRED);
    if (metrics === undefined) return undefined;
    return { version: '4.0', vector: v, ...(statedScore !== undefined ? { score: statedScore } : {}), metrics };
  }
  const body = v.replace(/^\(|\)$/g, '').replace(/^CVSS:2\.0\//, '');
  const metrics = metricsOf(body.split('/'), V2_REQUIRED);
  if (metrics === undefined) return undefined;
  return { version: '2.0', vector: v, score: v2Score(metrics), metrics };
}

/**
 * The qualitative rating of a CVSS score (v3/v4 bands; v2 uses the same cut-offs in NVD).
 *
 * @example
 * severityFromScore(9.8); // 'critical'
 */
export function severityFromScore(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}
