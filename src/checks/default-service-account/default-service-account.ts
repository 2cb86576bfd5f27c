import { defineCheck } from '../../core/check.js';
import { describeObject } from '../../core/object.js';

/** Every pod of a namespace shares the default service account, so any permission given to it is given to all of them. */
export default defineCheck({
  id: 'PAL-0116',
  name: 'default-service-account',
  title: 'Pod runs as the default service account',
  severity: 'low',
  category: 'identity',
  frameworks: ['cis:5.1.5'],
  docs: {
    description:
      "A pod without `serviceAccountName` (or with `serviceAccountName: default`) runs as its namespace's `default` service account. " +
      'That identity is shared by every such pod of the namespace: a role bound to it for one workload is granted to all, audit logs ' +
      'cannot tell the workloads apart, and identity-based policies (cloud workload identity, service-mesh authorisation) cannot single ' +
      'one out. CIS 5.1.5 asks that the default service accounts are not used. The check reports the identity even when the token is ' +
      'not mounted; service-account-token-automount (PAL-0115) reports the token.',
    remediation:
      'Create a ServiceAccount per workload (with `automountServiceAccountToken: false` unless it calls the API) and set `serviceAccountName` in the pod template.',
    references: [
      'https://kubernetes.io/docs/concepts/security/service-accounts/',
      'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/',
    ],
  },
  target: { kind: 'pod' },
  evaluate({ pod, resource }) {
    const { serviceAccountName, serviceAccount } = pod.spec;
    const name = typeof serviceAccountName === 'string' && serviceAccountName !== '' ? serviceAccountName : serviceAccount;
    if (typeof name === 'string' && name !== '' && name !== 'default') return undefined;
    const explicit = name === 'default';
    return {
      path: '/serviceAccountName',
      message: explicit
        ? `${describeObject(resource.ref)} sets serviceAccountName: default and so shares the namespace's default service account`
        : `${describeObject(resource.ref)} does not set serviceAccountName and so runs as the namespace's default service account`,
    };
  },
});
