import { defineCheck, type Violation } from '../../core/check.js';
import { describeObject } from '../../core/object.js';
import { frameworksOf, wildcardFields } from '../../rbac/capabilities.js';
import { describeNames, evidenceOf, RBAC_ALL } from '../../rbac/rules.js';
import { reviewedRole, roleSeverity } from '../../rbac/role-checks.js';

// The catalogue's wildcard entry (src/rbac/capabilities.ts): what counts as a wildcard, the
// severity by reach and framework references the subject-level PAL-0418 shares.
const FRAMEWORKS = frameworksOf('wildcard');
const ORDER = ['critical', 'high', 'medium', 'low', 'info'] as const;

/** A wildcard grants whatever exists now and whatever is added later: new resources, CRDs, verbs. */
export default defineCheck({
  id: 'PAL-0300',
  name: 'rbac-wildcard',
  title: 'Role uses a wildcard in verbs, resources or apiGroups',
  severity: 'medium',
  category: 'rbac',
  frameworks: FRAMEWORKS,
  docs: {
    description:
      "A `*` in a rule's verbs, resources (including `*/subresource`) or apiGroups grants every present and future value: " +
      "a rule written for today's resources silently covers Secrets, new subresources, custom resources and special verbs such as " +
      '`escalate` or `impersonate`. Medium for a ClusterRole, low for a Role (as rbac-subject-wildcard, PAL-0418, judges the grant), one step higher for a rule with `*` in both verbs and resources, one lower when limited to resourceNames. ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported: " +
      'the API server reconciles them and users cannot usefully change them.',
    remediation: 'List the verbs, API groups and resources the subject needs explicitly instead of `*`.',
    references: [
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#minimize-wildcard-permissions',
      'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources',
    ],
  },
  target: { kind: 'resource', kinds: ['Role', 'ClusterRole'] },
  uses: ['rbac'],
  evaluate({ models, resource }) {
    const role = reviewedRole(models.rbac, resource);
    if (!role) return undefined;
    const out: Violation[] = [];
    for (const { index, rule } of role.ownRules) {
      const fields = wildcardFields(rule);
      if (fields.length === 0) continue;
      // Every verb on every resource of a group is one step worse than a partial wildcard.
      const full = rule.verbs.includes(RBAC_ALL) && rule.resources.includes(RBAC_ALL) && rule.resourceNames.length === 0;
      const base = roleSeverity('wildcard', role, rule.resourceNames.length > 0);
      const severity = full ? (ORDER[Math.max(ORDER.indexOf(base) - 1, 0)] ?? base) : base;
      const names = rule.resourceNames.length > 0 ? ` ${describeNames(rule)}` : '';
      out.push({
        path: `/rules/${index}`,
        message: `${describeObject(resource.ref)} rule ${index} uses "*" in ${fields.join(', ')}${names}`,
        severity,
        evidence: evidenceOf(rule),
      });
    }
    return out;
  },
});
