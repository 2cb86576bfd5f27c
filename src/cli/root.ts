/**
 * The root of the `palisade` program, shared by the full program (`program.ts`) and the
 * scan-only one (`scan-program.ts`), and the choice between them.
 */
import { Command } from 'commander';
import { didYouMean } from '../config/suggest.js';
import { VERSION } from '../version.js';

/** The program without commands: name, description, `--version`, usage-error behaviour. */
export function rootProgram(): Command {
  return (
    new Command()
      .name('palisade')
      .description('Kubernetes security posture: misconfigurations, Pod Security Standards, CI gates')
      .version(VERSION, '-v, --version')
      .showHelpAfterError('(run with --help for usage)')
      // Options after a command name are that command's (`palisade pss --version v1.30`, `palisade
      // scan -v` is an unknown option), whichever commands are registered.
      .enablePositionalOptions()
      .exitOverride()
  );
}

/**
 * The command the arguments (`process.argv.slice(2)`) run: the root program only has flags
 * without values (`-v`, `-h`), so the first operand is the command.
 *
 * @example
 * commandOf(['--no-color', 'scan', 'deploy/']); // 'scan'
 */
export function commandOf(args: readonly string[]): string | undefined {
  return args.find((a) => !a.startsWith('-'));
}

/**
 * Whether the arguments run `palisade scan` and nothing of the root program, so that the
 * scan-only program parses them as the full one would: `scan` must come first, since flags
 * before it are the root's (`palisade -h scan` prints the global help, which lists every command).
 *
 * @example
 * runsScanOnly(['scan', 'deploy/']); // true
 * runsScanOnly(['-h', 'scan']); // false
 */
export function runsScanOnly(args: readonly string[]): boolean {
  return args[0] === 'scan';
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
  const first = commandOf(args);
  if (first === undefined) return;
  const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  if (names.includes(first) || first === 'help') return;
  program.error(`error: unknown command '${first}'${didYouMean(first, names)}`, { exitCode: 2, code: 'commander.unknownCommand' });
}
