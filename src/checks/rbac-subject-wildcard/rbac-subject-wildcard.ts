import { defineSubjectCheck } from '../../rbac/subject-checks.js';

// Wording, severity by reach and framework references are the catalogue's (src/rbac/capabilities.ts).
/** Subject is granted rules with wildcards: evaluated on effective permissions, reported per subject. */
export default defineSubjectCheck({
  id: 'PAL-0418',
  name: 'rbac-subject-wildcard',
  title: 'Subject is granted rules with wildcards',
  severity: 'medium',
  docs: {
    description:
      "A rule with `*` in its verbs, resources (or `*/subresource`) or API groups grants today's and tomorrow's verbs and resources, custom resources included, often far more than intended. This check reports the subjects that hold such rules through any binding (cluster-wide medium, within namespaces low); rbac-wildcard (PAL-0300) reports the rules in roles.",
    remediation: 'List the verbs, resources and API groups the subject needs.',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege'],
  },
  capability: 'wildcard',
});
