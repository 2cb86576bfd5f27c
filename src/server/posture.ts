/**
 * The posture score of a cluster (and of all clusters together), shown by the dashboard's
 * overview and `GET /api/v1/summary`. docs/server.md documents the formula:
 *
 *   score = round(100 × R / (R + Σ w(s) × open(s)))
 *
 * where R is the number of objects the last full scan read (at least 1) and the weights are
 * critical 10, high 5, medium 2, low 1, info 0. A cluster with no open finding scores 100;
 * one weighted finding per object scores 50; ten per object about 9. Dividing by the
 * cluster's size makes a large cluster with a few findings score better than a small one with
 * the same findings, and the score never reaches 0, so progress stays visible.
 */
import { SEVERITIES, type Severity } from '../core/types.js';

/** Weight of one open finding per severity. */
export const SEVERITY_WEIGHTS: Readonly<Record<Severity, number>> = { critical: 10, high: 5, medium: 2, low: 1, info: 0 };

/** Open findings per severity, all zero. */
export function zeroCounts(): Record<Severity, number> {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}

/**
 * The posture score, 0..100.
 *
 * @example
 * postureScore({ critical: 1, high: 0, medium: 0, low: 0, info: 0 }, 90); // 90
 */
export function postureScore(open: Readonly<Record<Severity, number>>, resources: number): number {
  const r = Math.max(1, resources);
  let weighted = 0;
  for (const s of SEVERITIES) weighted += SEVERITY_WEIGHTS[s] * (open[s] ?? 0);
  return Math.round((100 * r) / (r + weighted));
}
