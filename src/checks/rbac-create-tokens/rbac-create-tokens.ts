import { defineRoleCheck } from '../../rbac/role-checks.js';

// What the rule must grant, its severity by reach, wording and framework references are the
// catalogue's (src/rbac/capabilities.ts), shared with the subject-level check.
/** The TokenRequest API mints working tokens for a service account, without any pod. */
export default defineRoleCheck({
  id: 'PAL-0314',
  name: 'rbac-create-tokens',
  title: 'Role can create service account tokens',
  severity: 'high',
  docs: {
    description:
      '`create` on `serviceaccounts/token` (the TokenRequest API, `kubectl create token`) issues a token for a service account, with a lifetime the caller ' +
      "chooses up to the API server's maximum: its holders act with that service account's permissions, from anywhere. " +
      'High for a ClusterRole, medium for a Role; one step lower when the rule is limited to resourceNames (specific service accounts). ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported.",
    remediation: 'Remove `serviceaccounts/token` from roles of people and workloads; where a component needs it, limit it with `resourceNames`.',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#token-request'],
  },
  capabilities: ['create-tokens'],
});
