/**
 * The pods model: every pod spec of the inventory (Pods, controllers' templates, custom
 * resources with pod templates) with its containers and labels, indexed by label pair so that
 * matching a selector (a Service's, later a NetworkPolicy's) looks at the pods carrying one of
 * its labels only: linear in the number of objects. Built once per scan by the engine.
 */
import type { Inventory } from '../core/inventory.js';
import { isObject } from '../core/object.js';
import type { Resource } from '../core/types.js';
import { type ContainerTarget, containersOf, type PodSpecTarget, podSpecsOf } from '../core/workloads.js';

/** One pod spec of the inventory. */
export interface PodEntry {
  readonly resource: Resource;
  readonly pod: PodSpecTarget;
  readonly containers: readonly ContainerTarget[];
  /** The pod (template) labels with string values. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The pod specs of one scan.
 *
 * @example
 * const pods = buildPodsModel(inventory);
 * pods.matching({ app: 'web' }).map((p) => p.resource.ref.name); // ['web']
 */
export interface PodsModel {
  /** Every pod spec, in inventory order. */
  readonly all: readonly PodEntry[];
  /**
   * Pod specs whose labels include every pair of `selector`, in any namespace (callers decide
   * which namespaces apply). An empty selector matches every pod spec, as a label selector does.
   */
  matching(selector: Readonly<Record<string, string>>): readonly PodEntry[];
}

/**
 * Builds the pods model from an inventory. Pure.
 *
 * @example
 * runChecks(inventory, { checks, models: [podsModelProvider] });
 */
export function buildPodsModel(inventory: Inventory): PodsModel {
  const all: PodEntry[] = [];
  const byLabel = new Map<string, PodEntry[]>();
  for (const resource of inventory.all) {
    for (const pod of podSpecsOf(resource)) {
      const labels: Record<string, string> = {};
      if (isObject(pod.metadata.labels)) for (const [k, v] of Object.entries(pod.metadata.labels)) if (typeof v === 'string') labels[k] = v;
      const entry: PodEntry = { resource, pod, containers: containersOf(pod), labels };
      all.push(entry);
      for (const [k, v] of Object.entries(labels)) {
        const key = `${k}=${v}`;
        let list = byLabel.get(key);
        if (!list) {
          list = [];
          byLabel.set(key, list);
        }
        list.push(entry);
      }
    }
  }
  return {
    all,
    matching(selector) {
      const pairs = Object.entries(selector);
      const first = pairs[0];
      if (!first) return all;
      const candidates = byLabel.get(`${first[0]}=${first[1]}`) ?? [];
      return pairs.length === 1 ? candidates : candidates.filter((p) => pairs.every(([k, v]) => p.labels[k] === v));
    },
  };
}
