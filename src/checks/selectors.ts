/**
 * Label selectors and the pod templates they can select, for the checks that report
 * selectors matching nothing. Semantics follow `metav1.LabelSelector`
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors).
 */
import type { Inventory } from '../core/inventory.js';
import { isObject } from '../core/object.js';
import type { JsonObject, JsonValue, Resource } from '../core/types.js';
import { podSpecsOf } from '../core/workloads.js';

/** A parsed label selector; `invalid` when it cannot be read (a mistyped field). */
export type Selector =
  | { readonly kind: 'labels'; readonly matchLabels: Readonly<Record<string, string>>; readonly expressions: readonly Requirement[] }
  | { readonly kind: 'invalid'; readonly reason: string };

interface Requirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values: readonly string[];
}

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/**
 * Reads a `LabelSelector` (`matchLabels` and `matchExpressions`), or with `plain` a Service's
 * plain label map.
 *
 * @example
 * parseSelector({ matchLabels: { app: 'web' } }); // { kind: 'labels', matchLabels: { app: 'web' }, expressions: [] }
 */
export function parseSelector(value: JsonValue | undefined, plain = false): Selector {
  if (!isObject(value)) return { kind: 'invalid', reason: 'not an object' };
  const labels = plain ? value : value.matchLabels;
  const matchLabels: Record<string, string> = {};
  if (labels !== undefined && labels !== null) {
    if (!isObject(labels)) return { kind: 'invalid', reason: 'matchLabels is not a map' };
    for (const [k, v] of Object.entries(labels)) {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return { kind: 'invalid', reason: `label ${k} has no scalar value` };
      matchLabels[k] = String(v);
    }
  }
  const expressions: Requirement[] = [];
  const exprs = plain ? undefined : value.matchExpressions;
  if (Array.isArray(exprs)) {
    for (const e of exprs) {
      if (!isObject(e) || typeof e.key !== 'string' || typeof e.operator !== 'string' || !OPERATORS.has(e.operator))
        return { kind: 'invalid', reason: 'a matchExpressions entry has no key or a bad operator' };
      const values = Array.isArray(e.values) ? e.values.map((v) => String(v)) : [];
      expressions.push({ key: e.key, operator: e.operator as Requirement['operator'], values });
    }
  }
  return { kind: 'labels', matchLabels, expressions };
}

/**
 * True when the selector has no requirement at all (which selects everything for a
 * LabelSelector, and nothing for a Service).
 *
 * @example
 * isEmptySelector(parseSelector({})); // true
 */
export function isEmptySelector(s: Selector): boolean {
  return s.kind === 'labels' && Object.keys(s.matchLabels).length === 0 && s.expressions.length === 0;
}

/**
 * Whether a label set satisfies the selector.
 *
 * @example
 * selectorMatches(parseSelector({ matchLabels: { app: 'web' } }), { app: 'web', tier: 'fe' }); // true
 */
export function selectorMatches(s: Selector, labels: Readonly<Record<string, string>>): boolean {
  if (s.kind !== 'labels') return false;
  for (const [k, v] of Object.entries(s.matchLabels)) if (labels[k] !== v) return false;
  for (const r of s.expressions) {
    const has = Object.hasOwn(labels, r.key);
    const value = labels[r.key];
    if (r.operator === 'Exists' && !has) return false;
    if (r.operator === 'DoesNotExist' && has) return false;
    if (r.operator === 'In' && (!has || !r.values.includes(value as string))) return false;
    if (r.operator === 'NotIn' && has && r.values.includes(value as string)) return false;
  }
  return true;
}

/**
 * Labels of an object's metadata (or a template's), as strings.
 *
 * @example
 * labelsOf({ labels: { app: 'web' } }); // { app: 'web' }
 */
export function labelsOf(metadata: JsonValue | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const labels = isObject(metadata) ? metadata.labels : undefined;
  if (isObject(labels)) for (const [k, v] of Object.entries(labels)) if (v !== null && typeof v !== 'object') out[k] = String(v);
  return out;
}

/**
 * Labels of every pod and pod template in one namespace (`undefined`: objects without one).
 * Custom resources with pod templates count, as `podSpecsOf` recognises them.
 *
 * @example
 * podLabelsIn(inventory, 'shop'); // [{ app: 'web' }, ...]
 */
export function podLabelsIn(inventory: Inventory, namespace: string | undefined): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const kind of inventory.kinds()) {
    for (const resource of inventory.inNamespace(kind, namespace)) {
      for (const p of podSpecsOf(resource)) out.push(labelsOf(p.metadata as JsonObject));
    }
  }
  return out;
}

/**
 * Describes a selector for messages: `app=web, tier in (a,b)`.
 *
 * @example
 * describeSelector(parseSelector({ matchLabels: { app: 'web' } })); // 'app=web'
 */
export function describeSelector(s: Selector): string {
  if (s.kind !== 'labels') return '(invalid)';
  const parts = Object.entries(s.matchLabels).map(([k, v]) => `${k}=${v}`);
  for (const r of s.expressions) {
    if (r.operator === 'Exists') parts.push(r.key);
    else if (r.operator === 'DoesNotExist') parts.push(`!${r.key}`);
    else parts.push(`${r.key} ${r.operator === 'In' ? 'in' : 'notin'} (${r.values.join(',')})`);
  }
  return parts.join(', ');
}

/**
 * Whether a selector of `resource` selects no pod of its namespace: `undefined` when that
 * cannot be known. A cluster inventory holds every workload (checks declare `needs` so that
 * unread kinds make them errors); a set of manifests is trusted only for namespaces where it
 * holds at least one workload, since the workloads of other namespaces live elsewhere.
 * Objects without a namespace are compared only with workloads without one.
 *
 * @example
 * selectsNoPod(inventory, service, parseSelector(service.object.spec.selector, true)); // true, false or undefined
 */
export function selectsNoPod(inventory: Inventory, resource: Resource, s: Selector): boolean | undefined {
  if (s.kind !== 'labels') return undefined;
  const pods = podLabelsIn(inventory, resource.ref.namespace);
  if (pods.length === 0 && inventory.cluster === undefined) return undefined;
  return !pods.some((labels) => selectorMatches(s, labels));
}

/** The kinds whose objects run pods, for `needs`: without them a match cannot be confirmed. */
export const POD_KINDS: readonly string[] = ['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController'];

/** The docs sentence on scope, shared by the three checks. */
export const SELECTOR_SCOPE_DOCS =
  'Pods are those of Pods and of every pod template (Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, custom resources ' +
  'with a pod template such as Argo Rollouts) in the same namespace. In a cluster scan every namespace is complete (when the ' +
  'workload kinds could not be read, the check reports an error instead). In a manifest scan the scanned files are the whole ' +
  'picture only for namespaces where they hold at least one workload: other namespaces are skipped. Objects without a ' +
  'namespace are compared only with workloads without a namespace from the same scan.';
