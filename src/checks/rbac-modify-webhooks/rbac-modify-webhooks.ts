import { defineCheck } from '../../core/check.js';
import { queriesOf, roleGrantViolations } from '../../rbac/rules.js';

// Deleting a webhook configuration switches its policy off, so delete counts as a change.
const QUERIES = queriesOf(['create', 'update', 'patch', 'delete', 'deletecollection'], 'admissionregistration.k8s.io', [
  'validatingwebhookconfigurations',
  'mutatingwebhookconfigurations',
]);

/** An admission webhook sees, and may rewrite, every object sent to the API server. */
export default defineCheck({
  id: 'PAL-0313',
  name: 'rbac-modify-webhooks',
  title: 'Role can change admission webhook configurations',
  severity: 'high',
  category: 'rbac',
  frameworks: ['cis:5.1.12', 'ms:MS-TA9015'],
  docs: {
    description:
      'Whoever can create, update, patch or delete ValidatingWebhookConfigurations or MutatingWebhookConfigurations can register a webhook that receives ' +
      'every matching object (Secrets included) and, if mutating, rewrites pods as they are created: inject containers, change images, mount host paths. ' +
      'They can also switch off the webhooks that enforce policy. One step lower (medium) when the rule is limited to resourceNames (specific configurations). ' +
      'A Role cannot grant it (the configurations are cluster-scoped), so only ClusterRoles are reported. ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported.",
    remediation:
      'Keep webhook configuration changes to cluster administrators; a controller that manages its own webhook should be limited with `resourceNames` to it.',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#control-admission-webhooks'],
  },
  target: { kind: 'resource', kinds: ['Role', 'ClusterRole'] },
  evaluate({ resource }) {
    return roleGrantViolations(resource, QUERIES, {
      severity: 'high',
      consequence: 'its holders can intercept or rewrite API requests, or switch admission policy off',
    });
  },
});
