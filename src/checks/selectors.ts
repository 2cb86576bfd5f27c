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
 * Labels the controllers add to the pods they create, never written in a template:
 * selecting on them (a Service per StatefulSet pod) is fine.
 */
const CONTROLLER_LABELS: ReadonlySet<string> = new Set([
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'controller-revision-hash',
  'pod-template-hash',
  'pod-template-generation',
  'job-name',
  'controller-uid',
  'batch.kubernetes.io/job-name',
  'batch.kubernetes.io/controller-uid',
  'batch.kubernetes.io/job-completion-index',
]);

/** The selector without requirements on labels that controllers add to pods. */
function withoutControllerLabels(s: Selector): Selector {
  if (s.kind !== 'labels') return s;
  return {
    kind: 'labels',
    matchLabels: Object.fromEntries(Object.entries(s.matchLabels).filter(([k]) => !CONTROLLER_LABELS.has(k))),
    expressions: s.expressions.filter((r) => !CONTROLLER_LABELS.has(r.key)),
  };
}

/** Custom resources (not of a built-in API group): operators create pods for them. */
function isCustomResource(apiVersion: string): boolean {
  const slash = apiVersion.indexOf('/');
  const group = slash === -1 ? '' : apiVersion.slice(0, slash);
  return group.includes('.') && !group.endsWith('.k8s.io');
}

/** The directory of a source file (`''` for none), which groups objects applied together. */
function directoryOf(resource: Resource): string {
  const file = resource.location?.file ?? '';
  const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return slash === -1 ? '' : file.slice(0, slash);
}

/**
 * Which objects of the namespace of `resource` belong with it: all of them, except that
 * namespace-less manifests only belong with namespace-less manifests of the same directory
 * (they are applied to one namespace together, unlike other projects' files in the same scan).
 *
 * @example
 * inventory.inNamespace('Secret', ref.namespace).filter(sameScope(inventory, resource));
 */
export function sameScope(inventory: Inventory, resource: Resource): (other: Resource) => boolean {
  if (resource.ref.namespace !== undefined || inventory.cluster !== undefined) return () => true;
  const dir = directoryOf(resource);
  return (other) => directoryOf(other) === dir;
}

/** Labels a selector may meet in one namespace, and whether any pod or pod template was seen. */
export interface NamespacePods {
  /** Labels of pods and pod templates. */
  readonly pods: readonly Readonly<Record<string, string>>[];
  /** Labels of custom resources, whose operators may create pods carrying them. */
  readonly operated: readonly Readonly<Record<string, string>>[];
}

/**
 * Labels of every pod and pod template in the namespace of `resource`, plus those of custom
 * resources there (an operator may create pods with them). Objects without a namespace are
 * grouped by the directory of their file (in a cluster, all of them together): they are
 * applied to one namespace together, unlike files of other projects in the same scan.
 *
 * @example
 * podsAround(inventory, service).pods; // [{ app: 'web' }, ...]
 */
export function podsAround(inventory: Inventory, resource: Resource): NamespacePods {
  const ns = resource.ref.namespace;
  const inScope = sameScope(inventory, resource);
  const pods: Record<string, string>[] = [];
  const operated: Record<string, string>[] = [];
  for (const kind of inventory.kinds()) {
    for (const r of inventory.inNamespace(kind, ns)) {
      if (!inScope(r)) continue;
      const specs = podSpecsOf(r);
      for (const p of specs) pods.push(labelsOf(p.metadata as JsonObject));
      if (specs.length === 0 && isCustomResource(r.ref.apiVersion)) operated.push(labelsOf(r.object.metadata));
    }
  }
  return { pods, operated };
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
  const { pods, operated } = podsAround(inventory, resource);
  if (pods.length === 0 && inventory.cluster === undefined) return undefined;
  const relaxed = withoutControllerLabels(s);
  return !pods.some((labels) => selectorMatches(relaxed, labels)) && !operated.some((labels) => selectorMatches(relaxed, labels));
}

/** The kinds whose objects run pods, for `needs`: without them a match cannot be confirmed. */
export const POD_KINDS: readonly string[] = ['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController'];

/** The docs sentence on scope, shared by the three checks. */
export const SELECTOR_SCOPE_DOCS =
  'Pods are those of Pods and of every pod template (Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, custom resources ' +
  'with a pod template such as Argo Rollouts) in the same namespace. In a cluster scan every namespace is complete (when the ' +
  'workload kinds could not be read, the check reports an error instead). In a manifest scan the scanned files are the whole ' +
  'picture only for namespaces where they hold at least one workload: other namespaces are skipped. Objects without a ' +
  'namespace are compared only with workloads without a namespace from the same directory (they are applied together). ' +
  'Labels that controllers add to pods (statefulset.kubernetes.io/pod-name, pod-template-hash, job-name...) are not required of ' +
  "templates, and a custom resource whose labels match (an operator's Prometheus or Alertmanager) counts as the pods' owner.";

/**
 * Where the pods were looked for, for messages: `in its namespace`, or for namespace-less
 * manifests `in its directory`.
 *
 * @example
 * scopeOf(inventory, service); // 'in its namespace'
 */
export function scopeOf(inventory: Inventory, resource: Resource): string {
  return resource.ref.namespace === undefined && inventory.cluster === undefined ? 'in its directory (no namespace)' : 'in its namespace';
}
