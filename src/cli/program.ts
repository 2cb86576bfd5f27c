/**
 * The `palisade` command line: a thin shell that parses flags and calls the library.
 */
import { Command } from 'commander';
import { didYouMean } from '../config/suggest.js';
import { VERSION } from '../version.js';
import { registerAdmission } from './commands/admission.js';
import { registerAgent } from './commands/agent.js';
import { registerAudit } from './commands/audit.js';
import { registerChecks } from './commands/checks.js';
import { registerFix } from './commands/fix.js';
import { registerImage } from './commands/image.js';
import { registerDb } from './commands/db.js';
import { registerCompliance } from './commands/compliance.js';
import { registerInventory } from './commands/inventory.js';
import { registerNetwork } from './commands/network.js';
import { registerNode } from './commands/node.js';
import { registerPaths } from './commands/paths.js';
import { registerPss } from './commands/pss.js';
import { registerRbac } from './commands/rbac.js';
import { registerScan } from './commands/scan.js';
import { registerServe } from './commands/serve.js';
import { registerSnapshot } from './commands/snapshot.js';
import { registerVuln } from './commands/vuln.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('palisade')
    .description('Kubernetes security posture: misconfigurations, Pod Security Standards, CI gates')
    .version(VERSION, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerScan(program);
  registerFix(program);
  registerInventory(program);
  registerSnapshot(program);
  registerChecks(program);
  registerPss(program);
  registerRbac(program);
  registerNetwork(program);
  registerImage(program);
  registerAudit(program);
  registerDb(program);
  registerVuln(program);
  registerCompliance(program);
  registerNode(program);
  registerAdmission(program);
  registerPaths(program);
  registerServe(program);
  registerAgent(program);
  return program;
}

/**
 * Rejects an unknown command before commander parses: commander prints the global help (exit 0)
 * for `palisade frobnicate --help`, which would tell a script the command exists. The root program
 * only has flags without values (`-v`, `-h`), so the first operand is the command.
 *
 * @example
 * checkCommandName(buildProgram(), ['frobnicate', '--help']); // throws a usage error: unknown command 'frobnicate'
 */
export function checkCommandName(program: Command, args: readonly string[]): void {
  const first = args.find((a) => !a.startsWith('-'));
  if (first === undefined) return;
  const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  if (names.includes(first) || first === 'help') return;
  program.error(`error: unknown command '${first}'${didYouMean(first, names)}`, { exitCode: 2, code: 'commander.unknownCommand' });
}
