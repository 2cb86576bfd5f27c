import { defineCheck, type Violation } from '../../core/check.js';
import { joinPointer } from '../../core/pointer.js';
import type { JsonObject, JsonValue, Severity } from '../../core/types.js';
import { isObject } from '../../core/object.js';

const strings = (v: JsonValue | undefined): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Resources whose admission control is a security boundary, by API group ('' is core). */
const SECURITY_RESOURCES: readonly (readonly [group: string, resource: string])[] = [
  ['', 'pods'],
  ['', 'pods/exec'],
  ['', 'pods/attach'],
  ['', 'pods/ephemeralcontainers'],
  ['', 'replicationcontrollers'],
  ['', 'secrets'],
  ['', 'serviceaccounts'],
  ['', 'serviceaccounts/token'],
  ['', 'namespaces'],
  ['', 'services'],
  ['', 'persistentvolumes'],
  ['apps', 'deployments'],
  ['apps', 'replicasets'],
  ['apps', 'statefulsets'],
  ['apps', 'daemonsets'],
  ['batch', 'jobs'],
  ['batch', 'cronjobs'],
  ['rbac.authorization.k8s.io', 'roles'],
  ['rbac.authorization.k8s.io', 'rolebindings'],
  ['rbac.authorization.k8s.io', 'clusterroles'],
  ['rbac.authorization.k8s.io', 'clusterrolebindings'],
  ['networking.k8s.io', 'networkpolicies'],
  ['admissionregistration.k8s.io', 'validatingwebhookconfigurations'],
  ['admissionregistration.k8s.io', 'mutatingwebhookconfigurations'],
  ['admissionregistration.k8s.io', 'validatingadmissionpolicies'],
  ['admissionregistration.k8s.io', 'validatingadmissionpolicybindings'],
  ['certificates.k8s.io', 'certificatesigningrequests'],
];

// Rule resource patterns: `*` (all resources), `*` + `/*` (with subresources), `pods/` + `*`, `*` + `/scale`.
function resourceMatches(pattern: string, resource: string): boolean {
  if (pattern === resource || pattern === '*/*') return true;
  if (pattern === '*') return !resource.includes('/');
  const [pr, ps] = pattern.split('/');
  const [rr, rs] = resource.split('/');
  if (ps === undefined || rs === undefined) return false;
  return (pr === '*' || pr === rr) && (ps === '*' || ps === rs);
}

/** Security resources a webhook's rules intercept on create, update or connect. */
function coveredResources(webhook: JsonObject): string[] {
  const out = new Set<string>();
  for (const rule of Array.isArray(webhook.rules) ? webhook.rules : []) {
    if (!isObject(rule)) continue;
    const ops = strings(rule.operations);
    if (!ops.some((o) => o === '*' || o === 'CREATE' || o === 'UPDATE' || o === 'CONNECT')) continue;
    const groups = strings(rule.apiGroups);
    const patterns = strings(rule.resources);
    for (const [group, resource] of SECURITY_RESOURCES) {
      if (!groups.includes('*') && !groups.includes(group)) continue;
      if (patterns.some((p) => resourceMatches(p, resource))) out.add(resource);
    }
  }
  return [...out];
}

/** Names a few resources and counts the rest, to keep messages readable; evidence lists them all. */
const summarise = (items: readonly string[]): string => (items.length <= 5 ? items.join(', ') : `${items.slice(0, 5).join(', ')} and ${items.length - 5} more`);

/** admissionregistration.k8s.io/v1 defaults failurePolicy to Fail; the removed v1beta1 defaulted to Ignore. */
const effectiveFailurePolicy = (apiVersion: string, webhook: JsonObject): string =>
  typeof webhook.failurePolicy === 'string' ? webhook.failurePolicy : apiVersion.endsWith('/v1beta1') ? 'Ignore' : 'Fail';

/** A policy webhook that fails open is switched off by anyone who can make it slow or unreachable. */
export default defineCheck({
  id: 'PAL-0210',
  name: 'webhook-fails-open-on-security-resources',
  title: 'Admission webhook fails open on security-relevant resources',
  severity: 'high',
  category: 'admission-control',
  frameworks: ['mitre:T1562.001', 'ms:MS-TA9015', 'cis:5.2.1', 'nsa:NSA-10'],
  docs: {
    description:
      'A ValidatingWebhookConfiguration or MutatingWebhookConfiguration with `failurePolicy: Ignore` (the default in the removed ' +
      'v1beta1 API; v1 defaults to Fail) intercepts security-relevant resources: pods and the workload controllers, exec/attach, ' +
      'Secrets, ServiceAccounts and tokens, RBAC objects, Namespaces, Services, PersistentVolumes, NetworkPolicies, CSRs or ' +
      'admission configuration itself (also through `*` wildcards). When the webhook is down, slow (past `timeoutSeconds`) or ' +
      'unreachable, the API server admits those requests unchecked: an attacker who can crash, overload or isolate the policy ' +
      'engine bypasses it. Validating webhooks are reported at high severity, mutating ones (which inject security defaults or ' +
      'sidecars) at medium.',
    remediation:
      'Set `failurePolicy: Fail` on policy webhooks, run the webhook with several replicas, a PodDisruptionBudget and priority, ' +
      'and exclude only what must keep working without it (for example kube-system, via `namespaceSelector`). Consider ' +
      'ValidatingAdmissionPolicy, which runs in the API server and cannot be unreachable.',
    references: [
      'https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#failure-policy',
      'https://kubernetes.io/docs/concepts/cluster-administration/admission-webhooks-good-practices/',
    ],
  },
  target: { kind: 'resource', kinds: ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'] },
  evaluate({ resource }) {
    const webhooks = resource.object.webhooks;
    if (!Array.isArray(webhooks)) return undefined;
    const mutating = resource.ref.kind === 'MutatingWebhookConfiguration';
    const out: Violation[] = [];
    webhooks.forEach((webhook, i) => {
      if (!isObject(webhook)) return;
      const policy = effectiveFailurePolicy(resource.ref.apiVersion, webhook);
      if (policy !== 'Ignore') return;
      const covered = coveredResources(webhook);
      if (covered.length === 0) return;
      const name = typeof webhook.name === 'string' ? webhook.name : `#${i}`;
      out.push({
        path: joinPointer('/webhooks', i, 'failurePolicy'),
        message:
          `${resource.ref.kind} ${resource.ref.name} webhook ${name} has failurePolicy Ignore${typeof webhook.failurePolicy === 'string' ? '' : ' (v1beta1 default)'}` +
          ` and intercepts ${summarise(covered)}: requests are admitted unchecked when it is unavailable`,
        evidence: { webhook: name, failurePolicy: policy, resources: covered },
        ...(mutating ? { severity: 'medium' as Severity } : {}),
      });
    });
    return out;
  },
});
