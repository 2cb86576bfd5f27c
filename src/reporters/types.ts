import type { ScanReport } from '../core/report.js';
import type { Severity } from '../core/types.js';

/** Rendering options shared by reporters. */
export interface RenderOptions {
  /** Use ANSI colours (table only). */
  readonly color: boolean;
  /**
   * Show only problems at or above this severity (`--min-severity`); the report says how many
   * were left out. Display only: gate with `failsGate` on the unfiltered report.
   */
  readonly minSeverity?: Severity;
}

/** A reporter turns a scan report into text (or bytes as text). */
export interface Reporter {
  readonly name: string;
  readonly description: string;
  /** File extension used in docs and defaults, without dot. */
  readonly extension: string;
  render(report: ScanReport, options: RenderOptions): string;
  /** The same text in pieces, for reports too large to hold as one string. */
  chunks?(report: ScanReport, options: RenderOptions): Iterable<string>;
}
