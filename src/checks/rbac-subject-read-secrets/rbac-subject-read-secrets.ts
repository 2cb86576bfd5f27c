import { defineSubjectCheck } from '../../rbac/subject-checks.js';

// Wording, severity by reach and framework references are the catalogue's (src/rbac/capabilities.ts).
/** Subject can read Secrets: evaluated on effective permissions, reported per subject. */
export default defineSubjectCheck({
  id: 'PAL-0401',
  name: 'rbac-subject-read-secrets',
  title: 'Subject can read Secrets',
  severity: 'high',
  docs: {
    description:
      '`get`, `list` or `watch` on `secrets` returns Secret values: passwords, keys, and the tokens of service accounts, with which the reader acts as those accounts. Cluster-wide is high; within namespaces medium; limited to named Secrets one step lower. Evaluated on effective permissions (every binding of the subject and of its groups).',
    remediation:
      'Grant Secret access only to the workloads that consume them, by name (`resourceNames`) where possible; mount Secrets into pods instead of reading them through the API.',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets'],
  },
  capability: 'read-secrets',
});
