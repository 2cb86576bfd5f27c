/**
 * The program of `palisade scan` alone, the command CI runs on every change: it loads the scan
 * command's modules only, not those of the posture server, the admission webhook, the audit
 * detector, the image and vulnerability commands (parsing and evaluating them was about a tenth of
 * the CPU of a small scan; see docs/benchmarks.md). `program.test.ts` checks that its scan command
 * is the full program's.
 */
import type { Command } from 'commander';
import { registerScan } from './commands/scan.js';
import { rootProgram } from './root.js';

/**
 * The root program with only the `scan` command.
 *
 * @example
 * await buildScanProgram().parseAsync(['node', 'palisade', 'scan', 'deploy/']);
 */
export function buildScanProgram(): Command {
  const program = rootProgram();
  registerScan(program);
  return program;
}
