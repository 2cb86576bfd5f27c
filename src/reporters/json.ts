import { FindingWriter } from '../core/finding.js';
import { isRanked, problemsOf } from '../core/grouping.js';
import { filterReport } from '../core/report.js';
import type { Finding } from '../core/types.js';
import type { Reporter } from './types.js';

/**
 * The full report as JSON; schema in docs/json-report.md. Findings come in the report's risk
 * order, problem by problem (`rank`, `groupId`, `primary`, `related`). The report is indented, each
 * finding on one line: readable, diff-friendly, and written in chunks so that a report of
 * hundreds of thousands of findings never has to exist as one string (V8 caps strings at
 * about 512 M characters).
 */
export const jsonReporter: Reporter = {
  name: 'json',
  description: 'Machine-readable report (schema: docs/json-report.md)',
  extension: 'json',
  render(report, options) {
    return [...jsonChunks(filterReport(report, options.minSeverity), options)].join('');
  },
  chunks: (report, options) => jsonChunks(filterReport(report, options.minSeverity), options),
};

// Findings are yielded in pieces of about this many characters. A piece above V8's regular
// object size (128 KiB) is allocated in the old generation and stays there until the next full
// collection: pieces of 2,000 findings (1.7 MB each, 500 MB per 100k objects) made the heap grow
// by the report's size before a collection ran. Smaller pieces die young.
const PIECE = 32 * 1024;

function* jsonChunks(report: Parameters<Reporter['render']>[0], _options: Parameters<Reporter['render']>[1]): Generator<string> {
  const { findings, ...rest } = report;
  const head = JSON.stringify(rest, null, 2);
  // Reopen the top-level object to append the findings as its last member.
  yield `${head.slice(0, head.lastIndexOf('}')).trimEnd()},\n  "findings": [`;
  // The library ranked the findings; a hand-built report is ranked here with the same rules.
  const sorted = isRanked(findings) ? findings : problemsOf(findings).flatMap((p) => [p.primary, ...p.related]);
  // Each finding as JSON.stringify writes it; the writer serialises shared check fields and
  // refs once instead of once per finding.
  const writer = new FindingWriter();
  let part: string[] = [];
  let size = 0;
  for (let j = 0; j < sorted.length; j++) {
    const line = `${j === 0 ? '' : ','}\n    ${writer.write(sorted[j] as Finding)}`;
    part.push(line);
    size += line.length;
    if (size >= PIECE) {
      yield part.join('');
      part = [];
      size = 0;
    }
  }
  if (part.length > 0) yield part.join('');
  yield sorted.length > 0 ? '\n  ]\n}\n' : ']\n}\n';
}
