import { byReach, defineSubjectCheck } from '../../rbac/subject-checks.js';

/** Subject can exec into pods: evaluated on effective permissions, reported per subject. */
export default defineSubjectCheck({
  id: 'PAL-0403',
  name: 'rbac-subject-pod-exec',
  title: 'Subject can exec into pods',
  severity: 'high',
  frameworks: ['mitre:T1609', 'ms:MS-TA9006', 'nsa:NSA-25'],
  docs: {
    description:
      "`create` on `pods/exec` runs commands in running containers: the caller gets the container's files, environment, network position and service account token. Cluster-wide is high, within namespaces medium, limited to named pods one step lower.",
    remediation: 'Grant exec only for debugging, to named people, for a limited time; prefer ephemeral debug tooling with audit.',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation'],
  },
  capability: 'pod-exec',
  verdict(c) {
    return { text: 'can exec into pods', severity: byReach(c, 'high', 'medium') };
  },
});
