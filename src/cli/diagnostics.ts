import type { Diagnostic } from '../core/types.js';

/** Prints diagnostics on stderr, one line each. */
export function printDiagnostics(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) process.stderr.write(`palisade: ${d.level}: ${d.message}\n`);
}
