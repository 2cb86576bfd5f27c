import { defineCheck, type Violation } from '../../core/check.js';
import { describeNames, evidenceOf, isReviewedRole, type PolicyRule, RBAC_ALL, rulesOf } from '../../rbac/rules.js';
import { describeObject } from '../../core/object.js';

type WildcardField = 'verbs' | 'apiGroups' | 'resources';

/** `*` in verbs or apiGroups; in resources also `* /subresource` (written without the space). */
function wildcardFields(rule: PolicyRule): readonly WildcardField[] {
  const out: WildcardField[] = [];
  if (rule.verbs.includes(RBAC_ALL)) out.push('verbs');
  if (rule.apiGroups.includes(RBAC_ALL)) out.push('apiGroups');
  if (rule.resources.some((r) => r === RBAC_ALL || r.startsWith('*/'))) out.push('resources');
  return out;
}

/** A wildcard grants whatever exists now and whatever is added later: new resources, CRDs, verbs. */
export default defineCheck({
  id: 'PAL-0300',
  name: 'rbac-wildcard',
  title: 'Role uses a wildcard in verbs, resources or apiGroups',
  severity: 'medium',
  category: 'rbac',
  frameworks: ['cis:5.1.3'],
  docs: {
    description:
      "A `*` in a rule's verbs, resources (including `*/subresource`) or apiGroups grants every present and future value: " +
      "a rule written for today's resources silently covers Secrets, new subresources, custom resources and special verbs such as " +
      '`escalate` or `impersonate`. A rule with `*` in both verbs and resources is reported as high. ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported: " +
      'the API server reconciles them and users cannot usefully change them.',
    remediation: 'List the verbs, API groups and resources the subject needs explicitly instead of `*`.',
    references: [
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#minimize-wildcard-permissions',
      'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources',
    ],
  },
  target: { kind: 'resource', kinds: ['Role', 'ClusterRole'] },
  evaluate({ resource }) {
    if (!isReviewedRole(resource)) return undefined;
    const out: Violation[] = [];
    for (const { index, path, rule } of rulesOf(resource.object)) {
      const fields = wildcardFields(rule);
      if (fields.length === 0) continue;
      const full = rule.verbs.includes(RBAC_ALL) && rule.resources.includes(RBAC_ALL) && rule.resourceNames.length === 0;
      const names = rule.resourceNames.length > 0 ? ` ${describeNames(rule)}` : '';
      out.push({
        path,
        message: `${describeObject(resource.ref)} rule ${index} uses "*" in ${fields.join(', ')}${names}`,
        severity: full ? 'high' : 'medium',
        evidence: evidenceOf(rule),
      });
    }
    return out;
  },
});
