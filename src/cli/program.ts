/**
 * The `palisade` command line: a thin shell that parses flags and calls the library.
 */
import { Command } from 'commander';
import { VERSION } from '../version.js';
import { registerChecks } from './commands/checks.js';
import { registerInventory } from './commands/inventory.js';
import { registerPss } from './commands/pss.js';
import { registerRbac } from './commands/rbac.js';
import { registerScan } from './commands/scan.js';
import { registerSnapshot } from './commands/snapshot.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('palisade')
    .description('Kubernetes security posture: misconfigurations, Pod Security Standards, CI gates')
    .version(VERSION, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerScan(program);
  registerInventory(program);
  registerSnapshot(program);
  registerChecks(program);
  registerPss(program);
  registerRbac(program);
  return program;
}
