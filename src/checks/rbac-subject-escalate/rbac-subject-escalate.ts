import { defineSubjectCheck } from '../../rbac/subject-checks.js';

// Wording, severity by reach and framework references are the catalogue's (src/rbac/capabilities.ts).
/** Subject can escalate roles: evaluated on effective permissions, reported per subject. */
export default defineSubjectCheck({
  id: 'PAL-0408',
  name: 'rbac-subject-escalate',
  title: 'Subject can escalate roles',
  severity: 'high',
  docs: {
    description:
      "The `escalate` verb on `roles` or `clusterroles` lifts RBAC's escalation prevention: with it, a subject that can create or update roles can write rules granting permissions it does not have, and so grant itself anything through a role it is bound to. Cluster-wide is high, within namespaces medium.",
    remediation: 'Remove `escalate`; role authors should hold the permissions they grant, or work through reviewed pipelines.',
    references: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#restrictions-on-role-creation-or-update'],
  },
  capability: 'escalate',
});
