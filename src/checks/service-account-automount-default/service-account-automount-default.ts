import { defineCheck } from '../../core/check.js';

/**
 * Every pod that names no service account runs as `default`; unless the account opts out, each
 * of them gets an API token mounted, whether it needs one or not (CIS 5.1.5).
 */
export default defineCheck({
  id: 'PAL-0221',
  name: 'service-account-automount-default',
  title: 'Default service account mounts its token automatically',
  severity: 'low',
  category: 'identity',
  frameworks: ['cis:5.1.5', 'cis:5.1.6', 'nsa:NSA-11', 'mitre:T1528', 'ms:MS-TA9016'],
  docs: {
    description:
      'The `default` ServiceAccount of the namespace does not set `automountServiceAccountToken: false`. Pods that do not name ' +
      'a service account use `default` and get an API token mounted at /var/run/secrets/kubernetes.io/serviceaccount, which an ' +
      'attacker who gets code execution in any such pod can use against the API server. Permissions granted to `default` (by ' +
      'mistake or by a chart) then apply to every such pod.',
    remediation:
      'Set `automountServiceAccountToken: false` on the default ServiceAccount of every namespace, create dedicated service ' +
      'accounts for workloads that call the API, and grant the default account no roles.',
    references: [
      'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting',
      'https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts',
    ],
  },
  target: { kind: 'resource', kinds: ['ServiceAccount'] },
  evaluate({ resource }) {
    if (resource.ref.name !== 'default' || resource.object.automountServiceAccountToken === false) return undefined;
    const set = resource.object.automountServiceAccountToken === true;
    return {
      path: '/automountServiceAccountToken',
      message: `ServiceAccount default${resource.ref.namespace ? ` in namespace ${resource.ref.namespace}` : ''} ${set ? 'sets automountServiceAccountToken: true' : 'does not set automountServiceAccountToken: false'}, so pods without a service account get an API token`,
      evidence: { automountServiceAccountToken: set ? true : null },
      fix: [{ op: set ? 'replace' : 'add', path: '/automountServiceAccountToken', value: false }],
    };
  },
});
