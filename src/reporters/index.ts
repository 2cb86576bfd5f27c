/**
 * The reporter registry: format name -> reporter. Commands look formats up here; adding a
 * format is adding an entry.
 */
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import { sarifReporter } from './sarif.js';
import { tableReporter } from './table.js';
import type { Reporter } from './types.js';

export type { RenderOptions, Reporter } from './types.js';

/**
 * Every output format, by the name used in `-o FORMAT[=FILE]`.
 *
 * @example
 * const text = reporters.sarif?.render(report, { color: false });
 */
export const reporters: Readonly<Record<string, Reporter>> = {
  table: tableReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  junit: junitReporter,
  markdown: markdownReporter,
  html: htmlReporter,
};

/**
 * Names of the available formats.
 *
 * @example
 * formatNames(); // ['table', 'json', 'sarif', 'junit', 'markdown', 'html']
 */
export function formatNames(): string[] {
  return Object.keys(reporters);
}
