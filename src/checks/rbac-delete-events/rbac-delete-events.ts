import { defineRoleCheck } from '../../rbac/role-checks.js';

// What the rule must grant, its severity by reach, wording and framework references are the
// catalogue's (src/rbac/capabilities.ts), shared with the subject-level check.
/** Events are often the only trace of what happened in a namespace. */
export default defineRoleCheck({
  id: 'PAL-0316',
  name: 'rbac-delete-events',
  title: 'Role can delete events',
  severity: 'medium',
  docs: {
    description:
      '`delete` or `deletecollection` on events (in the core group or `events.k8s.io`) lets its holders erase the record of pod scheduling, image pulls, ' +
      'failed probes and controller actions, hiding their activity from anyone who does not keep audit logs. ' +
      'One step lower (low) when the rule is limited to resourceNames (specific events). ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported.",
    remediation: 'Remove delete verbs on events; events expire on their own (after one hour by default).',
    references: ['https://microsoft.github.io/Threat-Matrix-for-Kubernetes/techniques/Delete%20K8S%20events/'],
  },
  capabilities: ['delete-events'],
});
