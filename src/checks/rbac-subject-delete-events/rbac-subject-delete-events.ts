import { defineSubjectCheck } from '../../rbac/subject-checks.js';

// Wording, severity by reach and framework references are the catalogue's (src/rbac/capabilities.ts).
/** Subject can delete events: evaluated on effective permissions, reported per subject. */
export default defineSubjectCheck({
  id: 'PAL-0416',
  name: 'rbac-subject-delete-events',
  title: 'Subject can delete events',
  severity: 'low',
  docs: {
    description:
      'Deleting events (`events` in the core group or `events.k8s.io`) removes the trail that shows what happened in the cluster: an attacker uses it to cover scheduling of malicious pods, failed logins of probes and the like. Cluster-wide is medium, within namespaces low.',
    remediation: 'Grant event deletion to no one but the garbage collection controllers; ship events to external storage.',
    references: ['https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/'],
  },
  capability: 'delete-events',
});
