import { defineRoleCheck } from '../../rbac/role-checks.js';

// What the rule must grant, its severity by reach, wording and framework references are the
// catalogue's (src/rbac/capabilities.ts), shared with the subject-level check.
/** `escalate` switches off RBAC's own guard against granting more than one holds. */
export default defineRoleCheck({
  id: 'PAL-0307',
  name: 'rbac-escalate',
  title: 'Role grants the escalate verb on roles',
  severity: 'high',
  docs: {
    description:
      'RBAC normally refuses to let anyone create or update a Role or ClusterRole with permissions they do not hold themselves. ' +
      'The `escalate` verb on `roles` or `clusterroles` lifts that check: together with `update` on a role bound to the holder, it is a path to any permission, ' +
      'up to cluster-admin. High for a ClusterRole, medium for a Role; one step lower when the rule is limited to resourceNames (specific roles). ' +
      'A Role cannot grant `escalate` on ClusterRoles, so that case passes. ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported.",
    remediation: 'Remove `escalate` (and `*` verbs) on roles and clusterroles; let only cluster administrators manage RBAC.',
    references: [
      'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#restrictions-on-role-creation-or-update',
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#escalate-verb',
    ],
  },
  capabilities: ['escalate'],
});
