import { defineSubjectCheck } from '../../rbac/subject-checks.js';

// Wording, severity by reach and framework references are the catalogue's (src/rbac/capabilities.ts).
/** Subject can add ephemeral containers to pods: evaluated on effective permissions, reported per subject. */
export default defineSubjectCheck({
  id: 'PAL-0406',
  name: 'rbac-subject-ephemeral-containers',
  title: 'Subject can add ephemeral containers to pods',
  severity: 'high',
  docs: {
    description:
      "`patch` or `update` on `pods/ephemeralcontainers` adds a container of the caller's choosing (image, command, security context within admission limits) to a running pod, sharing its namespaces, volumes and service account. Cluster-wide is high, within namespaces medium.",
    remediation: 'Grant ephemeral containers (kubectl debug) only to named people, with Pod Security Admission enforced in the namespace.',
    references: ['https://kubernetes.io/docs/concepts/workloads/pods/ephemeral-containers/'],
  },
  capability: 'ephemeral-containers',
});
