import { defineCheck } from '../../core/check.js';
import { queriesOf, roleGrantViolations } from '../../rbac/rules.js';

const QUERIES = queriesOf(['create'], '', ['serviceaccounts/token']);

/** The TokenRequest API mints working tokens for a service account, without any pod. */
export default defineCheck({
  id: 'PAL-0314',
  name: 'rbac-create-tokens',
  title: 'Role can create service account tokens',
  severity: 'high',
  category: 'rbac',
  frameworks: ['cis:5.1.13', 'mitre:T1528', 'ms:MS-TA9016'],
  docs: {
    description:
      '`create` on `serviceaccounts/token` (the TokenRequest API, `kubectl create token`) issues a token for a service account, with a lifetime the caller ' +
      "chooses up to the API server's maximum: its holders act with that service account's permissions, from anywhere. " +
      'One step lower (medium) when the rule is limited to resourceNames (specific service accounts). ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported.",
    remediation: 'Remove `serviceaccounts/token` from roles of people and workloads; where a component needs it, limit it with `resourceNames`.',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#token-request'],
  },
  target: { kind: 'resource', kinds: ['Role', 'ClusterRole'] },
  evaluate({ resource }) {
    return roleGrantViolations(resource, QUERIES, {
      severity: 'high',
      consequence: 'its holders can mint tokens and act as those service accounts',
    });
  },
});
