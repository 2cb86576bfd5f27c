import { defineCheck } from '../../core/check.js';
import type { JsonValue } from '../../core/types.js';

const SA_NAME_ANNOTATION = 'kubernetes.io/service-account.name';

const annotation = (metadata: JsonValue | undefined, key: string): string | undefined => {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return undefined;
  const a = metadata.annotations;
  if (typeof a !== 'object' || a === null || Array.isArray(a)) return undefined;
  const v = a[key];
  return typeof v === 'string' ? v : undefined;
};

/** These tokens never expire and are not bound to a pod: one leak is permanent access. */
export default defineCheck({
  id: 'PAL-0220',
  name: 'legacy-service-account-token-secret',
  title: 'Long-lived service account token Secret',
  severity: 'medium',
  category: 'identity',
  frameworks: ['mitre:T1528', 'mitre:T1550.001', 'ms:MS-TA9016', 'cis:5.1.6'],
  docs: {
    description:
      'A Secret of type `kubernetes.io/service-account-token` makes the token controller store a service account token in it. ' +
      'Unlike the projected tokens pods receive since Kubernetes 1.22, this token never expires, is not bound to a pod, and ' +
      'stays valid until the Secret is deleted; it is readable by everyone who can read Secrets in the namespace and is ' +
      'often copied into CI systems and kubeconfigs. Kubernetes 1.24+ no longer creates these Secrets automatically and ' +
      'labels unused ones for cleanup.',
    remediation:
      'Use short-lived tokens: projected service account token volumes in pods, `kubectl create token <sa> --duration` or the ' +
      'TokenRequest API for external clients, or workload identity federation. Delete the Secret to revoke its token.',
    references: [
      'https://kubernetes.io/docs/concepts/security/service-accounts/#get-a-token',
      'https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#manual-secret-management-for-serviceaccounts',
      'https://kubernetes.io/docs/concepts/configuration/secret/#serviceaccount-token-secrets',
    ],
  },
  target: { kind: 'resource', kinds: ['Secret'] },
  evaluate({ resource }) {
    if (resource.object.type !== 'kubernetes.io/service-account-token') return undefined;
    const sa = annotation(resource.object.metadata, SA_NAME_ANNOTATION);
    return {
      path: '/type',
      message: `Secret ${resource.ref.name} holds a long-lived, non-expiring token for service account ${sa ?? '(unnamed)'}`,
      evidence: { type: 'kubernetes.io/service-account-token', ...(sa ? { serviceAccount: sa } : {}) },
    };
  },
});
