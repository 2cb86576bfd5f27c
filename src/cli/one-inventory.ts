/**
 * The one inventory an analysis command (`rbac`, `network`, `paths`) works on: manifests, one
 * cluster of a snapshot, or one live cluster. Shared so the commands agree on what the source
 * flags mean and on their errors.
 */
import { PalisadeError } from '../core/errors.js';
import type { Inventory } from '../core/inventory.js';
import type { Diagnostic } from '../core/types.js';
import { loadSource } from '../scan.js';
import { type SourceFlags, sourceFromFlags } from './commands/snapshot.js';
import { printDiagnostics } from './diagnostics.js';

/** The source flags of an analysis command. */
export interface InventoryFlags {
  snapshot?: string;
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  requestTimeout: string;
  defaultNamespace?: string;
}

/** True when the flags ask for a live cluster: `--cluster`, `--kubeconfig`, or `--context` without `--snapshot`. */
export function isLive(flags: InventoryFlags): boolean {
  return flags.cluster === true || flags.kubeconfig !== undefined || (flags.context !== undefined && flags.snapshot === undefined);
}

/**
 * Loads the one inventory the command analyses; several clusters (a multi-cluster snapshot
 * without `--context`) and inputs that all do not exist are usage errors.
 *
 * @example
 * const { inventory } = await loadOneInventory(['deploy/'], flags, { command: 'palisade network', secrets: false });
 */
export async function loadOneInventory(
  paths: readonly string[],
  flags: InventoryFlags,
  options: { readonly command: string; readonly secrets: boolean },
): Promise<{ inventory: Inventory; diagnostics: readonly Diagnostic[] }> {
  const live = isLive(flags);
  const source: SourceFlags = {
    ...(live ? { cluster: true } : {}),
    ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}),
    context: live && flags.context !== undefined ? [flags.context] : [],
    namespace: [],
    excludeNamespace: [],
    secrets: options.secrets,
    requestTimeout: flags.requestTimeout,
    concurrency: '8',
    pageSize: '500',
    ...(flags.snapshot !== undefined ? { snapshot: flags.snapshot } : {}),
    ...(flags.defaultNamespace !== undefined ? { defaultNamespace: flags.defaultNamespace } : {}),
  };
  const loaded = await loadSource(sourceFromFlags(paths, source));
  const chosen = flags.snapshot !== undefined && flags.context !== undefined ? loaded.filter((l) => l.cluster?.name === flags.context) : loaded;
  if (chosen.length === 0) throw new PalisadeError('usage', `--context ${flags.context}: no such cluster in ${flags.snapshot}`);
  if (chosen.length > 1) {
    const names = chosen.map((l) => l.cluster?.name ?? '?').join(', ');
    throw new PalisadeError('usage', `${options.command} analyses one cluster at a time; choose one with --context (${names})`);
  }
  const one = chosen[0] as (typeof chosen)[number];
  const missing = one.diagnostics.filter((d) => d.code === 'path-not-found');
  if (missing.length > 0 && missing.length === paths.length) {
    printDiagnostics(one.diagnostics);
    throw new PalisadeError('path-not-found', 'nothing to analyse');
  }
  return { inventory: one.inventory, diagnostics: one.diagnostics };
}
