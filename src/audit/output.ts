/**
 * Where alerts go: stdout in one format (table and JSON lines stream; SARIF is written when
 * the input ends) and the sinks. Counts alerts by severity for the exit code.
 */
import { atOrAbove, type AuditAlert } from '../audit-rules/engine.js';
import type { AnyAuditRule } from '../audit-rules/rule.js';
import type { Severity } from '../core/types.js';
import { type AlertFormat, jsonLine, sarifLog, TABLE_HEADER, tableRow } from './render.js';
import type { AlertSink } from './sinks.js';

export interface AlertWriterOptions {
  readonly format: AlertFormat;
  readonly minSeverity?: Severity;
  readonly write: (text: string) => void;
  readonly sinks: readonly AlertSink[];
  readonly rules: readonly AnyAuditRule[];
}

/**
 * Streams alerts to stdout and sinks.
 *
 * @example
 * const w = new AlertWriter({ format: 'json', write: (s) => process.stdout.write(s), sinks: [], rules });
 * w.add(alert); await w.finish();
 */
export class AlertWriter {
  readonly #o: AlertWriterOptions;
  readonly #sarif: AuditAlert[] = [];
  #headerDone = false;
  #pending = '';
  readonly bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  shown = 0;

  constructor(o: AlertWriterOptions) {
    this.#o = o;
  }

  add(a: AuditAlert): void {
    if (!a.exemption) this.bySeverity[a.severity]++;
    if (this.#o.minSeverity && !atOrAbove(a, this.#o.minSeverity)) return;
    this.shown++;
    for (const s of this.#o.sinks) if (!a.exemption) s.push(a);
    if (this.#o.format === 'sarif') {
      this.#sarif.push(a);
      return;
    }
    if (this.#o.format === 'table' && !this.#headerDone) {
      this.#pending += TABLE_HEADER;
      this.#headerDone = true;
    }
    this.#pending += this.#o.format === 'json' ? jsonLine(a) : tableRow(a);
    // Batch small writes; a live stream (watch, serve) calls flush after each batch of events.
    if (this.#pending.length > 64 * 1024) this.flush();
  }

  /** Writes what is buffered. */
  flush(): void {
    if (this.#pending === '') return;
    this.#o.write(this.#pending);
    this.#pending = '';
  }

  /** Whether any alert (exempt ones aside) is at or above `threshold`. */
  anyAtOrAbove(threshold: Severity): boolean {
    return (Object.entries(this.bySeverity) as [Severity, number][]).some(([s, n]) => n > 0 && atOrAbove({ severity: s }, threshold));
  }

  /** Flushes stdout (and writes the SARIF log), then waits for the sinks. */
  async finish(): Promise<void> {
    if (this.#o.format === 'sarif') this.#pending += `${JSON.stringify(sarifLog(this.#sarif, this.#o.rules), null, 2)}\n`;
    else if (this.#o.format === 'table' && this.shown === 0) this.#pending += 'No alerts.\n';
    this.flush();
    for (const s of this.#o.sinks) await s.flush();
  }
}
