import { defineCheck } from '../../core/check.js';
import { queriesOf, RBAC_GROUP, roleGrantViolations } from '../../rbac/rules.js';

const QUERIES = queriesOf(['create', 'update', 'patch'], RBAC_GROUP, ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings']);

/** RBAC objects define who may do what; writing them is the administrator's job. */
export default defineCheck({
  id: 'PAL-0315',
  name: 'rbac-modify-rbac',
  title: 'Role can create or change RBAC roles and bindings',
  severity: 'high',
  category: 'rbac',
  frameworks: ['mitre:T1098.006'],
  docs: {
    description:
      'Whoever can create, update or patch Roles, RoleBindings, ClusterRoles or ClusterRoleBindings can hand their own permissions to other subjects, ' +
      "and every permission granted through aggregation or through roles others bind. RBAC's escalation checks stop them from granting more than " +
      'they hold only unless they also have `escalate` or `bind`. One step lower (medium) when the rule is limited to resourceNames (specific objects). ' +
      'In a Role, only roles and rolebindings count: a Role cannot grant access to the cluster-scoped kinds. ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported.",
    remediation: 'Keep RBAC changes to cluster administrators and GitOps controllers; delegate namespace RBAC with namespaced Roles only.',
    references: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping'],
  },
  target: { kind: 'resource', kinds: ['Role', 'ClusterRole'] },
  evaluate({ resource }) {
    return roleGrantViolations(resource, QUERIES, {
      severity: 'high',
      consequence: 'its holders can change who may do what',
    });
  },
});
