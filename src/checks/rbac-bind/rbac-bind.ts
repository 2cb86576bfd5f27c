import { defineRoleCheck } from '../../rbac/role-checks.js';

// What the rule must grant, its severity by reach, wording and framework references are the
// catalogue's (src/rbac/capabilities.ts), shared with the subject-level check.
/** `bind` lets one hand out a role one does not hold, to anyone, oneself included. */
export default defineRoleCheck({
  id: 'PAL-0308',
  name: 'rbac-bind',
  title: 'Role grants the bind verb on roles',
  severity: 'high',
  docs: {
    description:
      'RBAC normally refuses to let anyone create a RoleBinding or ClusterRoleBinding to a role whose permissions they do not hold. ' +
      'The `bind` verb on `roles` or `clusterroles` lifts that check: with `create` on bindings, its holders can bind any role (cluster-admin included) ' +
      'to themselves. In a Role it still allows binding ClusterRoles within the namespace. ' +
      'High for a ClusterRole, medium for a Role; one step lower when the rule is limited to resourceNames (specific roles). ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported.",
    remediation:
      'Remove `bind` (and `*` verbs) on roles and clusterroles, or limit it with `resourceNames` to the few roles a delegated administrator may hand out.',
    references: [
      'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#restrictions-on-role-binding-creation-or-update',
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#bind-verb',
    ],
  },
  capabilities: ['bind'],
});
