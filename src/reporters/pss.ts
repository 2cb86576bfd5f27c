/**
 * Renderings of the `palisade pss` report: JSON (the documented shape) and a terminal table.
 */
import { describeObject } from '../core/object.js';
import type { ResourceRef } from '../core/types.js';
import type { PssLocation, PssReport } from '../pss/report.js';
import { painter } from './ansi.js';
import { oneLine } from './shared.js';

/**
 * Renders the report as JSON (the documented `palisade pss -f json` shape).
 *
 * @example
 * process.stdout.write(renderPssJson(report));
 */
export function renderPssJson(report: PssReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

function objectLabel(ref: ResourceRef): string {
  return oneLine(describeObject(ref));
}

function locationLabel(loc: PssLocation | undefined): string {
  return loc ? oneLine(`${loc.file}:${loc.line}`) : '';
}

/**
 * Renders the report for a terminal: one line per object, its violations indented below.
 *
 * @example
 * process.stdout.write(renderPssTable(report, process.stdout.isTTY === true));
 */
export function renderPssTable(report: PssReport, color: boolean): string {
  const p = painter(color);
  const green = (t: string): string => (color ? `\u001b[1;32m${t}\u001b[0m` : t);
  const labels = report.results.map((r) => objectLabel(r.resource));
  const width = Math.max(0, ...labels.map((l) => [...l].length));
  const lines: string[] = [];
  report.results.forEach((r, i) => {
    const verdict = r.allowed ? green('ALLOWED') : p.severity('high', 'DENIED ');
    lines.push(`${verdict}  ${(labels[i] ?? '').padEnd(width)}  ${p.dim(locationLabel(r.location))}`.trimEnd());
    for (const v of r.violations) {
      const at = v.location && v.location.line !== r.location?.line ? p.dim(`  (line ${v.location.line})`) : '';
      lines.push(`    ${p.bold(oneLine(v.title))} [${v.control}]: ${oneLine(v.reason)}${at}`);
    }
  });
  const { objects, allowed, denied } = report.summary;
  const version = report.version === report.effectiveVersion ? report.version : `${report.version} = ${report.effectiveVersion}`;
  if (objects === 0) lines.push('no objects with a pod spec found');
  lines.push(
    '',
    `${objects} object${objects === 1 ? '' : 's'} checked against Pod Security Standard "${report.level}" (${version}): ${allowed} allowed, ${denied} denied`,
  );
  return `${lines.join('\n')}\n`;
}
