import { defineCheck } from '../../core/check.js';
import { addOperation } from '../../security-context/security-context.js';
import { describeObject } from '../../core/object.js';

/**
 * The name of the service account a pod runs as: `serviceAccountName`, the deprecated
 * `serviceAccount`, or `default`.
 */
function serviceAccountOf(spec: Readonly<Record<string, unknown>>): string {
  for (const key of ['serviceAccountName', 'serviceAccount']) {
    const v = spec[key];
    if (typeof v === 'string' && v !== '') return v;
  }
  return 'default';
}

/** A mounted token turns any code execution in the pod into an authenticated Kubernetes API client. */
export default defineCheck({
  id: 'PAL-0115',
  name: 'service-account-token-automount',
  title: 'Pod mounts a service account token automatically',
  severity: 'medium',
  category: 'identity',
  frameworks: ['cis:5.1.6', 'nsa:NSA-11', 'mitre:T1528', 'ms:MS-TA9016'],
  docs: {
    description:
      "Unless `automountServiceAccountToken` is `false`, Kubernetes mounts an API token of the pod's service account into every " +
      'container at `/var/run/secrets/kubernetes.io/serviceaccount`. Most applications never call the Kubernetes API, but an attacker ' +
      'who gets code execution reads the token and uses whatever RBAC the service account has. As in Kubernetes, the pod field wins; ' +
      'when the pod leaves it unset, the ServiceAccount object decides, and the check passes if that ServiceAccount (found in the scan, ' +
      'same namespace) sets `automountServiceAccountToken: false`. Tokens projected explicitly through a `serviceAccountToken` volume ' +
      'are a deliberate choice and are not reported.',
    remediation:
      'Set `automountServiceAccountToken: false` in the pod spec, or on the ServiceAccount for every pod that uses it. Workloads that do ' +
      'call the API should use a dedicated service account with minimal RBAC, or a projected `serviceAccountToken` volume with a short ' +
      'expiry and a specific audience.',
    references: [
      'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting',
      'https://kubernetes.io/docs/concepts/security/service-accounts/',
    ],
  },
  target: { kind: 'pod' },
  needs: ['ServiceAccount'],
  evaluate({ pod, resource, inventory }) {
    const own = pod.spec.automountServiceAccountToken;
    if (own === false) return undefined;
    const name = serviceAccountOf(pod.spec);
    const what = describeObject(resource.ref);
    const path = '/automountServiceAccountToken';
    if (own === true) {
      return {
        path,
        message: `${what} sets automountServiceAccountToken: true, so every container gets a token of service account "${name}"`,
        evidence: { serviceAccount: name },
      };
    }
    const sa = inventory.get('ServiceAccount', resource.ref.namespace, name);
    if (sa?.object.automountServiceAccountToken === false) return undefined;
    const why = sa
      ? `neither the pod nor ServiceAccount "${name}" sets automountServiceAccountToken: false`
      : `the pod does not set automountServiceAccountToken: false (ServiceAccount "${name}" is not in the scan)`;
    return {
      path,
      message: `${what} mounts a token of service account "${name}" into its containers: ${why}`,
      evidence: { serviceAccount: name },
      fix: [addOperation(resource.object, `${pod.pointer}${path}`, false)],
    };
  },
});
