import { defineSubjectCheck } from '../../rbac/subject-checks.js';

// Wording, severity by reach and framework references are the catalogue's (src/rbac/capabilities.ts).
/** Subject can reach the kubelet API through nodes/proxy: evaluated on effective permissions, reported per subject. */
export default defineSubjectCheck({
  id: 'PAL-0407',
  name: 'rbac-subject-nodes-proxy',
  title: 'Subject can reach the kubelet API through nodes/proxy',
  severity: 'high',
  docs: {
    description:
      "Any verb a proxy request can carry (`get`, `create`, `update`, `patch`, `delete`) on `nodes/proxy` forwards requests to the kubelet API of any node, which runs commands in any container there; those requests bypass the API server's audit and admission. It is as good as exec in every pod of the cluster.",
    remediation:
      'Remove nodes/proxy from every role but the monitoring components that need node metrics, and give those `nodes/metrics` and `nodes/stats` instead.',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#nodes-proxy'],
  },
  capability: 'nodes-proxy',
});
