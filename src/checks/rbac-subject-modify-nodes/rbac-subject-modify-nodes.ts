import { defineSubjectCheck } from '../../rbac/subject-checks.js';

// Wording, severity by reach and framework references are the catalogue's (src/rbac/capabilities.ts).
/** Subject can patch nodes or their status: evaluated on effective permissions, reported per subject. */
export default defineSubjectCheck({
  id: 'PAL-0415',
  name: 'rbac-subject-modify-nodes',
  title: 'Subject can patch nodes or their status',
  severity: 'medium',
  docs: {
    description:
      '`patch` or `update` on `nodes` or `nodes/status` changes labels, taints and conditions: pods with node selectors or tolerations can be lured to a node the subject controls, where their service account tokens and Secrets are readable, and workloads can be evicted or starved.',
    remediation: 'Leave node changes to the kubelet (restricted by the NodeRestriction admission plugin) and to cluster operators.',
    references: ['https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#noderestriction'],
  },
  capability: 'modify-nodes',
});
