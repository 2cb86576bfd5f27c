/**
 * `palisade inventory`: prints the inventory summary of the same sources the scan reads.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { PalisadeError } from '../../core/errors.js';
import { summarizeInventory } from '../../summary/inventory.js';
import { renderInventoryText } from '../../reporters/inventory.js';
import { type LoadedSource, loadSource } from '../../scan.js';
import { printDiagnostics } from '../diagnostics.js';
import { startProgress } from '../progress.js';
import { addSourceOptions, type SourceFlags, sourceFromFlags } from './snapshot.js';

interface InventoryFlags extends SourceFlags {
  format: string;
  maxFileSize?: string;
  quiet?: boolean;
}

/** `palisade inventory`: prints what the sources hold. */
export function registerInventory(program: Command): void {
  const cmd = program
    .command('inventory')
    .description('list what is there: objects per kind and namespace, workloads and images, service accounts, exposed services, versions')
    .argument('[paths...]', 'manifests (files or directories; default .), unless --cluster, --context or --snapshot is given')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('-q, --quiet', 'do not print diagnostics on stderr');
  addSourceOptions(cmd, { snapshot: true });
  cmd.addHelpText(
    'after',
    `
Examples:
  palisade inventory deploy/
  palisade inventory --cluster -f json
  palisade inventory --all-contexts
  palisade inventory --snapshot cluster.snapshot.json.gz`,
  );
  cmd.action(async (paths: string[], flags: InventoryFlags) => {
    const progress = startProgress();
    let loaded: LoadedSource[];
    try {
      loaded = await loadSource(sourceFromFlags(paths, flags, progress));
    } finally {
      progress.done();
    }
    const diagnostics = loaded.flatMap((l) => l.diagnostics);
    if (!flags.quiet) printDiagnostics(diagnostics);
    const summary = summarizeInventory(loaded);
    process.stdout.write(flags.format === 'json' ? `${JSON.stringify(summary, null, 2)}\n` : renderInventoryText(summary));
    const missing = diagnostics.filter((d) => d.code === 'path-not-found');
    const files = loaded[0]?.stats?.files;
    if (missing.length > 0 && files === 0 && summary.total === 0) throw new PalisadeError('path-not-found', 'no readable path');
  });
}
