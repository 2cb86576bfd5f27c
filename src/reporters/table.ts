import { sortFindings } from '../core/report.js';
import { SEVERITIES } from '../core/types.js';
import type { Reporter } from './types.js';

/** Human-readable report for terminals. */
export const tableReporter: Reporter = {
  name: 'table',
  description: 'Findings grouped by severity, with a summary (coloured on a TTY)',
  extension: 'txt',
  render(report) {
    const lines: string[] = [];
    for (const f of sortFindings(report.findings)) {
      if (f.status === 'pass') continue;
      const where = f.location ? `${f.location.file}:${f.location.line}` : '';
      lines.push(`${f.severity.toUpperCase().padEnd(8)} ${f.check} ${f.name}  ${f.message}  ${where}`);
    }
    const s = report.summary.failBySeverity;
    lines.push('', `${report.resources} resources, ${report.summary.checksRun} checks: ${SEVERITIES.map((k) => `${s[k]} ${k}`).join(', ')}`);
    return `${lines.join('\n')}\n`;
  },
};
