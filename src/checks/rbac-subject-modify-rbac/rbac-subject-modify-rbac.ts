import { defineSubjectCheck } from '../../rbac/subject-checks.js';

// Wording, severity by reach and framework references are the catalogue's (src/rbac/capabilities.ts).
/** Subject can create or change RBAC objects: evaluated on effective permissions, reported per subject. */
export default defineSubjectCheck({
  id: 'PAL-0414',
  name: 'rbac-subject-modify-rbac',
  title: 'Subject can create or change RBAC objects',
  severity: 'high',
  docs: {
    description:
      "Creating, updating or patching Roles, ClusterRoles or their bindings changes who can do what. Kubernetes prevents a subject from granting permissions it lacks unless it holds `escalate` or `bind` (see PAL-0408, PAL-0409), but it can still hand its own permissions to others, other people's access can be removed, and mistakes in such pipelines spread. Cluster-wide is high, within namespaces medium.",
    remediation: 'Manage RBAC through reviewed GitOps pipelines; grant interactive RBAC changes only to administrators.',
    references: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping'],
  },
  capability: 'modify-rbac',
});
