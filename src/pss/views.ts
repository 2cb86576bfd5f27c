/**
 * The `pss` model: one {@link PodView} per pod spec for all the `pss-*` checks of a scan.
 * Each of the 19 checks runs one control on the same pod; building the view (container list,
 * pointers, security contexts) once per pod instead of once per control saves most of their
 * allocations. Only the views of the object being evaluated are kept: the engine evaluates
 * every check of one object before it moves on.
 */
import type { ModelProvider } from '../core/models.js';
import type { Resource } from '../core/types.js';
import type { PodSpecTarget } from '../core/workloads.js';
import { type PodView, podView } from './pod.js';

declare module '../core/models.js' {
  interface Models {
    /** Pod views shared by the `pss-*` checks (`pss/views.ts`). */
    pss: PodViews;
  }
}

/**
 * Pod views of the object being evaluated, by pod spec.
 *
 * @example
 * const views = new PodViews();
 * views.of(ctx.pod) === views.of(ctx.pod); // true: built once
 */
export class PodViews {
  #resource: Resource | undefined;
  readonly #views = new Map<PodSpecTarget, PodView>();

  /** The view of a pod spec, built on first use for its object. */
  of(pod: PodSpecTarget): PodView {
    if (pod.resource !== this.#resource) {
      this.#views.clear();
      this.#resource = pod.resource;
    }
    let view = this.#views.get(pod);
    if (view === undefined) {
      view = podView(pod);
      this.#views.set(pod, view);
    }
    return view;
  }
}

/**
 * Provides the `pss` model to checks that declare `uses: ['pss']`.
 *
 * @example
 * runChecks(inventory, { checks, models: [pssModelProvider] });
 */
export const pssModelProvider: ModelProvider<'pss'> = {
  name: 'pss',
  // A view is made from the evaluated pod alone: no other kind is read, so no gap degrades it.
  reads: [],
  build: () => new PodViews(),
  // It keeps the views of the object being evaluated only.
  bounded: true,
};
