import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Command } from 'commander';
import { buildProgram } from './program.js';
import { checkCommandName, commandOf, runsScanOnly } from './root.js';
import { buildScanProgram } from './scan-program.js';

/** Everything commander knows of a command: its help, and each option's flags, default and choices. */
function shape(c: Command): unknown {
  return {
    help: c.helpInformation(),
    options: c.options.map((o) => ({ flags: o.flags, default: o.defaultValue as unknown, choices: o.argChoices })),
    commands: c.commands.map(shape),
  };
}

describe('the scan-only program', () => {
  it('has the full program root and the very same scan command', () => {
    const full = buildProgram();
    const scanOnly = buildScanProgram();
    assert.deepEqual(
      scanOnly.commands.map((c) => c.name()),
      ['scan'],
    );
    const fullScan = full.commands.find((c) => c.name() === 'scan');
    assert.ok(fullScan);
    assert.deepEqual(shape(scanOnly.commands[0] as Command), shape(fullScan));
    assert.deepEqual(
      scanOnly.options.map((o) => o.flags),
      full.options.map((o) => o.flags),
    );
    assert.equal(scanOnly.name(), full.name());
    assert.equal(scanOnly.description(), full.description());
  });

  it('parses as the full program does: usage errors and root options after the command', async () => {
    const outcome = async (program: Command, args: string[]): Promise<string> => {
      const write = process.stderr.write;
      process.stderr.write = (() => true) as typeof process.stderr.write;
      try {
        await program.parseAsync(['node', 'palisade', ...args]);
        return 'parsed';
      } catch (err) {
        return `${(err as { code?: string }).code}: ${(err as Error).message}`;
      } finally {
        process.stderr.write = write;
      }
    };
    for (const args of [
      ['scan', '-v'],
      ['scan', '--bogus'],
      ['scan', '--fail-on', 'nope'],
      ['scan', '-o'],
    ]) {
      assert.equal(await outcome(buildScanProgram(), args), await outcome(buildProgram(), args), args.join(' '));
    }
  });

  it("is chosen only when scan is the first argument (flags before it are the root program's)", () => {
    assert.equal(runsScanOnly(['scan', 'deploy/', '-h']), true);
    assert.equal(runsScanOnly(['scan']), true);
    for (const args of [['-h', 'scan'], ['--help', 'scan'], ['-v', 'scan'], ['help', 'scan'], ['audit', 'scan'], []]) {
      assert.equal(runsScanOnly(args), false, args.join(' '));
    }
    assert.equal(commandOf(['-h', 'scan']), 'scan');
  });

  it('still rejects unknown commands with a suggestion from every command', () => {
    assert.throws(
      () => checkCommandName(buildProgram(), ['sacn']),
      (err: Error) => /unknown command 'sacn'/.test(err.message),
    );
  });
});
