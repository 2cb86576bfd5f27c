import { defineCheck } from '../../core/check.js';
import { queriesOf, roleGrantViolations } from '../../rbac/rules.js';

// The same events are served by the core API and by events.k8s.io.
const QUERIES = [...queriesOf(['delete', 'deletecollection'], '', ['events']), ...queriesOf(['delete', 'deletecollection'], 'events.k8s.io', ['events'])];

/** Events are often the only trace of what happened in a namespace. */
export default defineCheck({
  id: 'PAL-0316',
  name: 'rbac-delete-events',
  title: 'Role can delete events',
  severity: 'medium',
  category: 'rbac',
  frameworks: ['mitre:T1070', 'ms:MS-TA9022'],
  docs: {
    description:
      '`delete` or `deletecollection` on events (in the core group or `events.k8s.io`) lets its holders erase the record of pod scheduling, image pulls, ' +
      'failed probes and controller actions, hiding their activity from anyone who does not keep audit logs. ' +
      'One step lower (low) when the rule is limited to resourceNames (specific events). ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported.",
    remediation: 'Remove delete verbs on events; events expire on their own (after one hour by default).',
    references: ['https://microsoft.github.io/Threat-Matrix-for-Kubernetes/techniques/Delete%20K8S%20events/'],
  },
  target: { kind: 'resource', kinds: ['Role', 'ClusterRole'] },
  evaluate({ resource }) {
    return roleGrantViolations(resource, QUERIES, {
      severity: 'medium',
      consequence: 'its holders can erase events and hide their activity',
    });
  },
});
