import { defineSubjectCheck } from '../../rbac/subject-checks.js';

/** Subject holds every permission (cluster-admin equivalent): evaluated on effective permissions, reported per subject. */
export default defineSubjectCheck({
  id: 'PAL-0400',
  name: 'rbac-subject-cluster-admin',
  title: 'Subject holds every permission (cluster-admin equivalent)',
  severity: 'critical',
  docs: {
    description:
      "The subject's effective permissions include a rule with `*` verbs on `*` resources in `*` API groups: through a ClusterRoleBinding it is cluster-admin under whatever name the role has (critical); through RoleBindings it is admin of those namespaces (high). Unlike rbac-cluster-admin-equivalent (PAL-0301), which reads one role at a time, this check follows every binding that applies to the subject, its groups included, and reports the subject: the ServiceAccount object, or the binding for users, groups and service accounts the inventory does not hold.",
    remediation: 'Bind a role with the verbs and resources the subject needs. Keep cluster-admin for break-glass identities, bound where it is reviewed.',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege'],
  },
  capability: 'cluster-admin',
  verdict(c) {
    return {
      text: c.cluster ? 'holds every verb on every resource (cluster-admin equivalent)' : 'holds every verb on every resource (namespace admin)',
      severity: c.cluster ? 'critical' : 'high',
    };
  },
});
