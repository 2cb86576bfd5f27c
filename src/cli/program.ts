/**
 * The `palisade` command line: a thin shell that parses flags and calls the library.
 */
import { Command } from 'commander';
import { VERSION } from '../version.js';
import { registerChecks } from './commands/checks.js';
import { registerPss } from './commands/pss.js';
import { registerScan } from './commands/scan.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('palisade')
    .description('Kubernetes security posture: misconfigurations, Pod Security Standards, CI gates')
    .version(VERSION, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerScan(program);
  registerChecks(program);
  registerPss(program);
  return program;
}
