import { sortFindings } from '../core/report.js';
import type { Reporter } from './types.js';

/** The full report as JSON; schema in docs/json-report.md. */
export const jsonReporter: Reporter = {
  name: 'json',
  description: 'Machine-readable report (schema: docs/json-report.md)',
  extension: 'json',
  render(report) {
    return `${JSON.stringify({ ...report, findings: sortFindings(report.findings) }, null, 2)}\n`;
  },
};
