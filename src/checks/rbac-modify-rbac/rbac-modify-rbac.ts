import { defineRoleCheck } from '../../rbac/role-checks.js';

// What the rule must grant, its severity by reach, wording and framework references are the
// catalogue's (src/rbac/capabilities.ts), shared with the subject-level check.
/** RBAC objects define who may do what; writing them is the administrator's job. */
export default defineRoleCheck({
  id: 'PAL-0315',
  name: 'rbac-modify-rbac',
  title: 'Role can create or change RBAC roles and bindings',
  severity: 'high',
  docs: {
    description:
      'Whoever can create, update or patch Roles, RoleBindings, ClusterRoles or ClusterRoleBindings can hand their own permissions to other subjects, ' +
      "and every permission granted through aggregation or through roles others bind. RBAC's escalation checks stop them from granting more than " +
      'they hold only unless they also have `escalate` or `bind`. High for a ClusterRole, medium for a Role; one step lower when the rule is limited to resourceNames (specific objects). ' +
      'In a Role, only roles and rolebindings count: a Role cannot grant access to the cluster-scoped kinds. ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported.",
    remediation: 'Keep RBAC changes to cluster administrators and GitOps controllers; delegate namespace RBAC with namespaced Roles only.',
    references: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping'],
  },
  capabilities: ['modify-rbac'],
});
