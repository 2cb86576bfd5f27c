/**
 * `palisade paths`: the attack paths of one cluster (manifests, a snapshot or a live cluster),
 * ranked, every hop explained; `--chokepoints` lists the fixes that cut the most paths. A thin
 * shell over `src/paths/`: it builds the same models a scan builds, once.
 */
import { Option, type Command } from 'commander';
import { builtinModels } from '../../checks/models.js';
import { PalisadeError } from '../../core/errors.js';
import { ScanModels } from '../../core/models.js';
import { type AttackGraph, ENTRY_KINDS, type EntryKind, SINK_KINDS, type SinkKind } from '../../paths/graph.js';
import { PATHS_FORMATS, type PathsFormat, renderChokePoints, renderPaths } from '../../reporters/paths.js';
import { printDiagnostics } from '../diagnostics.js';
import { collectList } from '../flags.js';
import { addCommonOptions, type CommonFlags, loadInventory } from './network.js';

interface PathsFlags extends CommonFlags {
  from: string[];
  to: string[];
  maxHops?: string;
  limit: string;
  chokepoints?: boolean;
  format: PathsFormat;
}

function kindsOf<T extends string>(values: readonly string[], allowed: readonly T[], flag: string): T[] | undefined {
  if (values.length === 0) return undefined;
  for (const v of values)
    if (!(allowed as readonly string[]).includes(v)) throw new PalisadeError('usage', `${flag} ${v}: expected one of ${allowed.join(', ')}`);
  return values as T[];
}

function count(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new PalisadeError('usage', `${flag} ${text}: expected a positive whole number`);
  return Number(text);
}

/**
 * Registers `palisade paths`.
 *
 * @example
 * registerPaths(program);
 */
export function registerPaths(program: Command): void {
  addCommonOptions(
    program
      .command('paths')
      .description(
        'list the attack paths from entry points (internet, a compromised pod, an identity) to cluster-admin, node root, Secrets and cloud credentials',
      )
      .argument('[paths...]', 'manifest files or directories (default .)')
      .addOption(
        new Option('--from <entry>', `entry points: ${ENTRY_KINDS.join(', ')}; repeatable or comma-separated (default all)`).argParser(collectList).default([]),
      )
      .addOption(new Option('--to <sink>', `sinks: ${SINK_KINDS.join(', ')}; repeatable or comma-separated (default all)`).argParser(collectList).default([]))
      .option('--max-hops <n>', 'leave out paths longer than N hops')
      .option('--limit <n>', 'print the N best paths', '20')
      .option('--chokepoints', 'list the edges that most paths go through (the fixes that cut the most paths)')
      .addOption(new Option('-f, --format <format>', 'output format (dot and mermaid draw the paths)').choices([...PATHS_FORMATS]).default('table')),
  )
    .addHelpText(
      'after',
      `
Each path is the most likely way from one entry point to one sink; every hop names the object and
field that enables it and its MITRE ATT&CK and Microsoft threat-matrix technique. Paths are ranked by
score = likelihood x impact (docs/attack-paths.md). Exit codes: 0 no path, 1 paths found, 2 usage
error, 3 runtime error.

Examples:
  palisade paths deploy/
  palisade paths --from internet --to cluster-admin,node-root --snapshot prod.snapshot.json.gz
  palisade paths --chokepoints --cluster
  palisade paths -f dot deploy/ | dot -Tsvg > paths.svg`,
    )
    .action(async (paths: string[], flags: PathsFlags) => {
      const from = kindsOf(flags.from, ENTRY_KINDS, '--from');
      const to = kindsOf(flags.to, SINK_KINDS, '--to');
      const maxHops = count(flags.maxHops, '--max-hops');
      const limit = count(flags.limit, '--limit') as number;
      if (flags.chokepoints && (flags.format === 'dot' || flags.format === 'mermaid'))
        throw new PalisadeError('usage', '--chokepoints prints a table or JSON; use -f table or -f json');
      const { inventory, diagnostics } = await loadInventory(paths, flags, 'palisade paths');
      if (!flags.quiet) printDiagnostics(diagnostics);
      const built = new ScanModels(inventory, builtinModels).get('paths');
      if (!built.ok) throw new Error(built.reason);
      const graph = built.value as AttackGraph;
      const found = graph.paths({
        ...(from ? { from: from as EntryKind[] } : {}),
        ...(to ? { to: to as SinkKind[] } : {}),
        ...(maxHops !== undefined ? { maxHops } : {}),
      });
      if (flags.chokepoints) process.stdout.write(renderChokePoints(graph.chokePoints(found, limit), flags.format === 'json' ? 'json' : 'table'));
      else process.stdout.write(renderPaths(found.slice(0, limit), graph.notes, flags.format, found.length));
      process.exitCode = found.length > 0 ? 1 : 0;
    });
}
