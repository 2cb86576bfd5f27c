import { defineSubjectCheck } from '../../rbac/subject-checks.js';

// Wording, severity by reach and framework references are the catalogue's (src/rbac/capabilities.ts).
/** Subject can create or change workloads: evaluated on effective permissions, reported per subject. */
export default defineSubjectCheck({
  id: 'PAL-0402',
  name: 'rbac-subject-create-workloads',
  title: 'Subject can create or change workloads',
  severity: 'high',
  docs: {
    description:
      'Whoever can create pods or the controllers that make them (Deployments, DaemonSets, StatefulSets, ReplicaSets, Jobs, CronJobs, ReplicationControllers), or update their pod templates, can run any image as any service account of the namespace and so use its permissions, mount its Secrets, and unless admission control stops it run privileged pods on the node. Cluster-wide is high, within namespaces medium.',
    remediation:
      'Limit workload creation to deployment pipelines and controllers; keep powerful service accounts out of namespaces others can deploy to; enforce Pod Security Admission `restricted` there.',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation'],
  },
  capability: 'create-workloads',
});
