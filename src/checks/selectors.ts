/**
 * Label selectors and the pod templates they can select, for the checks that report
 * selectors matching nothing. Semantics follow `metav1.LabelSelector`
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors).
 */
import { isObject } from '../core/object.js';
import type { JsonValue, Resource } from '../core/types.js';
import type { ScopeModel } from './scope-model.js';

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
  // `for...in` over the selector's own plain map: no entries array per call (it runs once per
  // selector and pod of a namespace).
  const wanted = s.matchLabels;
  for (const k in wanted) if (labels[k] !== wanted[k]) return false;
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
 * Whether a selector of `resource` selects no pod of its scope: `undefined` when that cannot
 * be known. A cluster inventory holds every workload (checks declare `needs` so that unread
 * kinds make them errors); a set of manifests is trusted only for scopes where it holds at
 * least one workload, since the workloads of other namespaces live elsewhere.
 *
 * @example
 * selectsNoPod(ctx.models.scopes, service, parseSelector(service.object.spec.selector, true)); // true, false or undefined
 */
export function selectsNoPod(scopes: ScopeModel, resource: Resource, s: Selector): boolean | undefined {
  if (s.kind !== 'labels') return undefined;
  const scope = scopes.scopeOf(resource);
  const { operated } = scope;
  let pods = scope.pods;
  if (pods.length === 0 && !scopes.cluster) return undefined;
  const relaxed = withoutControllerLabels(s);
  // A matching pod has the selector's first label: only those are candidates.
  if (relaxed.kind === 'labels')
    for (const k in relaxed.matchLabels) {
      pods = scope.podsWithLabel(k, relaxed.matchLabels[k] as string);
      break;
    }
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
 * Where the pods were looked for, for messages.
 *
 * @example
 * scopeOf(ctx.models.scopes, service); // 'in its namespace'
 */
export function scopeOf(scopes: ScopeModel, resource: Resource): string {
  return resource.ref.namespace !== undefined ? 'in its namespace' : scopes.cluster ? 'in the cluster' : 'in its directory (no namespace)';
}
