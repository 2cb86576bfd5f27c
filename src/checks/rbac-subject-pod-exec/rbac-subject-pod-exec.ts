import { defineSubjectCheck } from '../../rbac/subject-checks.js';

// Wording, severity by reach and framework references are the catalogue's (src/rbac/capabilities.ts).
/** Subject can exec into pods: evaluated on effective permissions, reported per subject. */
export default defineSubjectCheck({
  id: 'PAL-0403',
  name: 'rbac-subject-pod-exec',
  title: 'Subject can exec into pods',
  severity: 'high',
  docs: {
    description:
      "`create` on `pods/exec` runs commands in running containers: the caller gets the container's files, environment, network position and service account token. Cluster-wide is high, within namespaces medium, limited to named pods one step lower.",
    remediation: 'Grant exec only for debugging, to named people, for a limited time; prefer ephemeral debug tooling with audit.',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation'],
  },
  capability: 'pod-exec',
});
