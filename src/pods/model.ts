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
  /**
   * {@link matching} restricted to the pod specs of one namespace and those without a namespace
   * (manifests that name none), in inventory order: what a namespaced selector (a Service's) can
   * select, without walking the matches of every other namespace.
   */
  matchingIn(namespace: string, selector: Readonly<Record<string, string>>): readonly PodEntry[];
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
  // The same per namespace ('' for none): `namespace \0 key=value`.
  const byNamespaceLabel = new Map<string, PodEntry[]>();
  const order = new Map<PodEntry, number>();
  const add = (index: Map<string, PodEntry[]>, key: string, entry: PodEntry): void => {
    const list = index.get(key);
    if (list) list.push(entry);
    else index.set(key, [entry]);
  };
  for (const resource of inventory.all) {
    for (const pod of podSpecsOf(resource)) {
      const labels: Record<string, string> = {};
      if (isObject(pod.metadata.labels)) for (const [k, v] of Object.entries(pod.metadata.labels)) if (typeof v === 'string') labels[k] = v;
      const entry: PodEntry = { resource, pod, containers: containersOf(pod), labels };
      order.set(entry, all.length);
      all.push(entry);
      const ns = resource.ref.namespace ?? '';
      for (const [k, v] of Object.entries(labels)) {
        add(byLabel, `${k}=${v}`, entry);
        add(byNamespaceLabel, `${ns}\u0000${k}=${v}`, entry);
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
    matchingIn(namespace, selector) {
      const pairs = Object.entries(selector);
      const first = pairs[0];
      const inNs = (ns: string): readonly PodEntry[] =>
        first ? (byNamespaceLabel.get(`${ns}\u0000${first[0]}=${first[1]}`) ?? []) : all.filter((p) => (p.resource.ref.namespace ?? '') === ns);
      const here = inNs(namespace);
      const none = namespace === '' ? [] : inNs('');
      const candidates = none.length === 0 ? here : [...here, ...none].sort((a, b) => (order.get(a) as number) - (order.get(b) as number));
      return pairs.length <= 1 ? candidates : candidates.filter((p) => pairs.every(([k, v]) => p.labels[k] === v));
    },
  };
}
