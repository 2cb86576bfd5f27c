import { defineCheck, type Violation } from '../../core/check.js';
import { joinPointer } from '../../core/pointer.js';
import type { JsonObject, JsonValue } from '../../core/types.js';
import { isObject } from '../../core/object.js';

const strings = (v: JsonValue | undefined): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Does a webhook intercept pod creation? (`pods`, `*` or `*` + `/*` in the core group) */
function interceptsPodCreate(webhook: JsonObject): boolean {
  return (Array.isArray(webhook.rules) ? webhook.rules : []).some((rule) => {
    if (!isObject(rule)) return false;
    const groups = strings(rule.apiGroups);
    const ops = strings(rule.operations);
    const resources = strings(rule.resources);
    return (
      (groups.includes('') || groups.includes('*')) &&
      (ops.includes('CREATE') || ops.includes('*')) &&
      resources.some((r) => r === 'pods' || r === '*' || r === '*/*')
    );
  });
}

/**
 * Evaluates a metav1.LabelSelector against labels. An absent or empty selector matches
 * everything; an unknown operator is taken as not matching, so that no finding is invented.
 */
function selectorMatches(selector: JsonValue | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!isObject(selector)) return true;
  if (isObject(selector.matchLabels)) {
    for (const [k, v] of Object.entries(selector.matchLabels)) if (labels[k] !== v) return false;
  }
  for (const expr of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
    if (!isObject(expr) || typeof expr.key !== 'string') return false;
    const value = labels[expr.key];
    const values = strings(expr.values);
    switch (expr.operator) {
      case 'In':
        if (value === undefined || !values.includes(value)) return false;
        break;
      case 'NotIn':
        if (value !== undefined && values.includes(value)) return false;
        break;
      case 'Exists':
        if (value === undefined) return false;
        break;
      case 'DoesNotExist':
        if (value !== undefined) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

const hasEntries = (v: JsonValue | undefined): boolean =>
  isObject(v) && Object.values(v).some((x) => (Array.isArray(x) ? x.length > 0 : isObject(x) ? Object.keys(x).length > 0 : false));

/**
 * A webhook that must answer before any kube-system pod starts can deadlock the cluster:
 * if its own pods, CoreDNS or the CNI need rescheduling while it is down, nothing recovers.
 */
export default defineCheck({
  id: 'PAL-0212',
  name: 'webhook-intercepts-kube-system',
  title: 'Fail-closed admission webhook intercepts kube-system pods',
  severity: 'low',
  category: 'reliability',
  frameworks: [],
  docs: {
    description:
      'A ValidatingWebhookConfiguration or MutatingWebhookConfiguration with `failurePolicy: Fail` (the v1 default) intercepts pod ' +
      'creation and its `namespaceSelector` does not exclude kube-system (evaluated against the kube-system Namespace labels when ' +
      'the Namespace is scanned, otherwise against `kubernetes.io/metadata.name: kube-system`). When the webhook is unavailable no ' +
      'pod can be created in kube-system: CoreDNS, CNI and other control-plane add-ons cannot be rescheduled, and if the ' +
      'webhook depends on them the cluster cannot recover by itself. Webhooks with an `objectSelector` or `matchConditions` are ' +
      'not reported, since they may already exclude system pods.',
    remediation:
      "Exclude kube-system (and the webhook's own namespace) with a `namespaceSelector` such as " +
      '`matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [kube-system]}]`, or with `matchConditions`.',
    references: [
      'https://kubernetes.io/docs/concepts/cluster-administration/admission-webhooks-good-practices/#avoid-operating-on-the-kube-system-namespace',
      'https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#matching-requests-namespaceselector',
    ],
  },
  target: { kind: 'resource', kinds: ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'] },
  needs: ['Namespace'],
  evaluate({ resource, inventory }) {
    const webhooks = resource.object.webhooks;
    if (!Array.isArray(webhooks)) return undefined;
    const ns = inventory.get('Namespace', undefined, 'kube-system');
    const nsMeta = ns && isObject(ns.object.metadata) ? ns.object.metadata : {};
    const labels: Record<string, string> = { 'kubernetes.io/metadata.name': 'kube-system' };
    if (isObject(nsMeta.labels)) for (const [k, v] of Object.entries(nsMeta.labels)) if (typeof v === 'string') labels[k] = v;
    // The removed v1beta1 API defaulted to Ignore, which cannot block anything.
    const defaultPolicy = resource.ref.apiVersion.endsWith('/v1beta1') ? 'Ignore' : 'Fail';
    const out: Violation[] = [];
    webhooks.forEach((webhook, i) => {
      if (!isObject(webhook)) return;
      const policy = typeof webhook.failurePolicy === 'string' ? webhook.failurePolicy : defaultPolicy;
      if (policy !== 'Fail' || !interceptsPodCreate(webhook)) return;
      if (hasEntries(webhook.objectSelector) || (Array.isArray(webhook.matchConditions) && webhook.matchConditions.length > 0)) return;
      if (!selectorMatches(webhook.namespaceSelector, labels)) return;
      const name = typeof webhook.name === 'string' ? webhook.name : `#${i}`;
      out.push({
        path: joinPointer('/webhooks', i, 'namespaceSelector'),
        message: `${resource.ref.kind} ${resource.ref.name} webhook ${name} fails closed on pod creation and its namespaceSelector does not exclude kube-system`,
        evidence: { webhook: name, failurePolicy: policy, kubeSystemLabels: labels },
      });
    });
    return out;
  },
});
