#!/usr/bin/env node
/**
 * Entry point of the `palisade` binary: runs the program and maps errors to exit codes
 * (2 usage/config, 3 runtime). Known errors print one line; unknown ones a stack.
 */
import { CommanderError } from 'commander';
import { PalisadeError } from '../core/errors.js';
import { checkCommandName, runsScanOnly } from './root.js';

async function main(argv: readonly string[]): Promise<void> {
  try {
    // `palisade scan` loads its own modules only; anything else (help included) every command's.
    const program = runsScanOnly(argv.slice(2)) ? (await import('./scan-program.js')).buildScanProgram() : (await import('./program.js')).buildProgram();
    checkCommandName(program, argv.slice(2));
    await program.parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; every other parse problem is a usage error.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    if (err instanceof PalisadeError) {
      process.stderr.write(`palisade: ${err.message}\n`);
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(`palisade: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 3;
  }
}

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  // A closed pipe (palisade scan | head) is not an error.
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

await main(process.argv);
