/**
 * The pods model as an engine-owned model: checks declare `uses: ['pods']` and read
 * `ctx.models.pods`.
 */
import { WORKLOAD_KINDS } from '../core/engine.js';
import type { ModelProvider } from '../core/models.js';
import { buildPodsModel, type PodsModel } from './model.js';

declare module '../core/models.js' {
  interface Models {
    /** Every pod spec with its containers and labels, indexed by label (`pods/model.ts`). */
    pods: PodsModel;
  }
}

/**
 * Builds the pods model once per scan.
 *
 * @example
 * runChecks(inventory, { checks, models: [podsModelProvider] });
 */
export const podsModelProvider: ModelProvider<'pods'> = {
  name: 'pods',
  reads: WORKLOAD_KINDS,
  build: (inventory) => buildPodsModel(inventory),
};
