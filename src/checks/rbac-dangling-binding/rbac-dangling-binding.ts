import { defineCheck } from '../../core/check.js';
import { describeEntry } from '../../rbac/model.js';
import { isReportable } from '../../rbac/subject-checks.js';

/** A binding to a role that does not exist grants nothing today, and whatever the role says once someone creates it. */
export default defineCheck({
  id: 'PAL-0424',
  name: 'rbac-dangling-binding',
  title: 'Binding refers to a role that does not exist',
  severity: 'low',
  category: 'rbac',
  frameworks: ['mitre:T1098.006'],
  docs: {
    description:
      'A RoleBinding or ClusterRoleBinding whose roleRef names a Role or ClusterRole absent from the scanned objects (and from Kubernetes’ default ' +
      'roles) grants nothing now; the API server reports it as an error on every request of its subjects. Whoever later creates a role of that name ' +
      'grants its permissions to the binding’s subjects, possibly without noticing. A ClusterRoleBinding that refers to a Role is invalid and never ' +
      'grants anything (medium: someone expected it to). On manifests, a role defined in another repository shows here too.',
    remediation: 'Delete the binding, or create the role it refers to in the same change.',
    references: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding'],
  },
  target: { kind: 'resource', kinds: ['RoleBinding', 'ClusterRoleBinding'] },
  needs: ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ServiceAccount'],
  uses: ['rbac'],
  evaluate({ models, resource }) {
    const binding = models.rbac.bindingOf(resource);
    if (!isReportable(binding) || binding.problem === undefined) return undefined;
    const ref = binding.roleRef;
    if (binding.problem === 'invalid-role-ref') {
      return {
        path: '/roleRef',
        message: ref
          ? `${describeEntry(binding)} refers to ${ref.kind} ${ref.name}, which a ${binding.kind} cannot bind: it grants nothing`
          : `${describeEntry(binding)} has no valid roleRef: it grants nothing`,
        severity: 'medium',
      };
    }
    const where = ref?.kind === 'Role' ? `${ref.kind} ${binding.namespace}/${ref.name}` : `${ref?.kind} ${ref?.name}`;
    return {
      path: '/roleRef/name',
      message: `${describeEntry(binding)} refers to ${where}, which does not exist: it grants nothing until a role of that name is created`,
      evidence: { roleRef: `${ref?.kind}/${ref?.name}`, subjects: binding.subjects.map((s) => `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`) },
    };
  },
});
