import { defineSubjectCheck } from '../../rbac/subject-checks.js';

// Wording, severity by reach and framework references are the catalogue's (src/rbac/capabilities.ts).
/** Subject can request service account tokens: evaluated on effective permissions, reported per subject. */
export default defineSubjectCheck({
  id: 'PAL-0411',
  name: 'rbac-subject-create-tokens',
  title: 'Subject can request service account tokens',
  severity: 'high',
  docs: {
    description:
      '`create` on `serviceaccounts/token` (the TokenRequest API) mints a token for a service account: the caller then acts as that account with all its permissions. Cluster-wide is high, within namespaces medium, for named accounts one step lower.',
    remediation: 'Grant token creation only to the components that exchange tokens, limited with resourceNames to the accounts they serve.',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#token-request'],
  },
  capability: 'create-tokens',
});
