import { defineCheck } from '../../core/check.js';
import { queriesOf, roleGrantViolations } from '../../rbac/rules.js';

// `list` and `watch` return Secret values too, not just names.
const QUERIES = queriesOf(['get', 'list', 'watch'], '', ['secrets']);

/** Secrets hold credentials, including service account tokens that lead to further permissions. */
export default defineCheck({
  id: 'PAL-0302',
  name: 'rbac-read-secrets',
  title: 'Role can read Secrets',
  severity: 'high',
  category: 'rbac',
  frameworks: ['cis:5.1.2', 'mitre:T1552.007', 'ms:MS-TA9025'],
  docs: {
    description:
      'A rule granting `get`, `list` or `watch` on Secrets (directly or through `*`) lets its holders read credentials, ' +
      'including long-lived service account tokens, and so act with the permissions of other identities. `list` and `watch` return ' +
      'the values, not only the names. High for a ClusterRole, medium for a Role; one step lower when the rule is limited to resourceNames. ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported.",
    remediation: 'Remove Secret access where it is not needed; otherwise limit it to `get` on the specific Secrets with `resourceNames`, in a namespaced Role.',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets'],
  },
  target: { kind: 'resource', kinds: ['Role', 'ClusterRole'] },
  evaluate({ resource }) {
    const cluster = resource.ref.kind === 'ClusterRole';
    return roleGrantViolations(resource, QUERIES, {
      severity: cluster ? 'high' : 'medium',
      consequence: cluster
        ? 'its holders can read Secret values, in every namespace when bound cluster-wide'
        : 'its holders can read Secret values in the namespace',
    });
  },
});
