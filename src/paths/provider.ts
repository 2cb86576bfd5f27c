/**
 * The attack graph as an engine-owned model: checks declare `uses: ['paths']` and read
 * `ctx.models.paths`. It is built on the scan's RBAC and network models, so neither is built twice.
 */
import type { ModelProvider } from '../core/models.js';
import { NETWORK_KINDS } from '../network/model.js';
import { networkModelProvider } from '../network/provider.js';
import { rbacModelProvider } from '../rbac/provider.js';
import { type AttackGraph, buildAttackGraph } from './graph.js';

declare module '../core/models.js' {
  interface Models {
    /** The attack graph and its paths (`paths/graph.ts`). */
    paths: AttackGraph;
  }
}

/**
 * Builds the attack graph once per scan. Image vulnerability results are not part of a scan's
 * inventory yet, so the graph built here says "image data: not provided".
 *
 * @example
 * runChecks(inventory, { checks, models: [rbacModelProvider, networkModelProvider, pathsModelProvider] });
 */
export const pathsModelProvider: ModelProvider<'paths'> = {
  name: 'paths',
  reads: [...new Set([...rbacModelProvider.reads, ...networkModelProvider.reads, ...NETWORK_KINDS])],
  build: (inventory, models) => buildAttackGraph(inventory, models('rbac'), models('network')),
};
