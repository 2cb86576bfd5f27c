/**
 * The reporter registry: format name -> reporter. Commands look formats up here; adding a
 * format is adding an entry.
 */
import { jsonReporter } from './json.js';
import { tableReporter } from './table.js';
import type { Reporter } from './types.js';

export type { RenderOptions, Reporter } from './types.js';

export const reporters: Readonly<Record<string, Reporter>> = {
  table: tableReporter,
  json: jsonReporter,
};

/** Names of the available formats. */
export function formatNames(): string[] {
  return Object.keys(reporters);
}
