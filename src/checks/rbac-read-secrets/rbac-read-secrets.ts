import { defineRoleCheck } from '../../rbac/role-checks.js';

// What the rule must grant, its severity by reach, wording and framework references are the
// catalogue's (src/rbac/capabilities.ts), shared with the subject-level check.
/** Secrets hold credentials, including service account tokens that lead to further permissions. */
export default defineRoleCheck({
  id: 'PAL-0302',
  name: 'rbac-read-secrets',
  title: 'Role can read Secrets',
  severity: 'high',
  docs: {
    description:
      'A rule granting `get`, `list` or `watch` on Secrets (directly or through `*`) lets its holders read credentials, ' +
      'including long-lived service account tokens, and so act with the permissions of other identities. `list` and `watch` return ' +
      'the values, not only the names. High for a ClusterRole, medium for a Role; one step lower when the rule is limited to resourceNames. ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported.",
    remediation: 'Remove Secret access where it is not needed; otherwise limit it to `get` on the specific Secrets with `resourceNames`, in a namespaced Role.',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets'],
  },
  capabilities: ['read-secrets'],
});
