import { defineCheck } from '../../core/check.js';
import { queriesOf, RBAC_GROUP, roleGrantViolations } from '../../rbac/rules.js';

// `bind` on clusterroles is checked in the namespace of the RoleBinding being written, so a
// Role can grant it too (for RoleBindings in its namespace).
const QUERIES = queriesOf(['bind'], RBAC_GROUP, ['roles', 'clusterroles']);

/** `bind` lets one hand out a role one does not hold, to anyone, oneself included. */
export default defineCheck({
  id: 'PAL-0308',
  name: 'rbac-bind',
  title: 'Role grants the bind verb on roles',
  severity: 'high',
  category: 'rbac',
  frameworks: ['cis:5.1.8', 'mitre:T1098.006'],
  docs: {
    description:
      'RBAC normally refuses to let anyone create a RoleBinding or ClusterRoleBinding to a role whose permissions they do not hold. ' +
      'The `bind` verb on `roles` or `clusterroles` lifts that check: with `create` on bindings, its holders can bind any role (cluster-admin included) ' +
      'to themselves. In a Role it still allows binding ClusterRoles within the namespace. ' +
      'One step lower (medium) when the rule is limited to resourceNames (specific roles). ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported.",
    remediation:
      'Remove `bind` (and `*` verbs) on roles and clusterroles, or limit it with `resourceNames` to the few roles a delegated administrator may hand out.',
    references: [
      'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#restrictions-on-role-binding-creation-or-update',
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#bind-verb',
    ],
  },
  target: { kind: 'resource', kinds: ['Role', 'ClusterRole'] },
  evaluate({ resource }) {
    return roleGrantViolations(resource, QUERIES, {
      severity: 'high',
      consequence: 'its holders can bind roles whose permissions they do not have',
    });
  },
});
