import { defineSubjectCheck } from '../../rbac/subject-checks.js';

// Wording, severity by reach and framework references are the catalogue's (src/rbac/capabilities.ts).
/** Subject can modify admission webhook configurations: evaluated on effective permissions, reported per subject. */
export default defineSubjectCheck({
  id: 'PAL-0413',
  name: 'rbac-subject-modify-webhooks',
  title: 'Subject can modify admission webhook configurations',
  severity: 'high',
  docs: {
    description:
      'Creating, updating, patching or deleting mutating or validating webhook configurations lets a subject see (and with a mutating webhook, rewrite) every object sent to the API server, Secrets included, or switch off the policies that guard the cluster.',
    remediation: 'Keep webhook configuration changes with cluster administrators and the controllers that own each webhook (by resourceNames).',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#control-admission-webhooks'],
  },
  capability: 'modify-webhooks',
});
