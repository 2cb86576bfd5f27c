/**
 * The network model as an engine-owned model: checks declare `uses: ['network']` and read
 * `ctx.models.network`.
 */
import { WORKLOAD_KINDS } from '../core/engine.js';
import type { ModelProvider } from '../core/models.js';
import { buildNetworkModel, NETWORK_KINDS, type NetworkModel } from './model.js';

declare module '../core/models.js' {
  interface Models {
    /** Workloads, policies, reachability, the matrix and exposure (`network/model.ts`). */
    network: NetworkModel;
  }
}

/**
 * Builds the network model once per scan.
 *
 * @example
 * runChecks(inventory, { checks, models: [networkModelProvider] });
 */
export const networkModelProvider: ModelProvider<'network'> = {
  name: 'network',
  reads: [...WORKLOAD_KINDS, ...NETWORK_KINDS],
  build: (inventory) => buildNetworkModel(inventory),
};
