import { defineSubjectCheck } from '../../rbac/subject-checks.js';

// Wording, severity by reach and framework references are the catalogue's (src/rbac/capabilities.ts).
/** Subject can bind roles it does not hold: evaluated on effective permissions, reported per subject. */
export default defineSubjectCheck({
  id: 'PAL-0409',
  name: 'rbac-subject-bind',
  title: 'Subject can bind roles it does not hold',
  severity: 'high',
  docs: {
    description:
      'The `bind` verb on `roles` or `clusterroles` lets a subject that can create bindings bind those roles, to itself included, without holding their permissions: with `bind` on `cluster-admin` and create on clusterrolebindings it is cluster-admin. Cluster-wide is high, within namespaces medium, limited to named roles one step lower.',
    remediation: 'Remove `bind`, or limit it with resourceNames to the few low-privilege roles the subject hands out.',
    references: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#restrictions-on-role-binding-creation-or-update'],
  },
  capability: 'bind',
});
