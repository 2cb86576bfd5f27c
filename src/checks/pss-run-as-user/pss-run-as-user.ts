import { defineCheck } from '../../core/check.js';
import { fixValueSchema } from '../../core/fix.js';
import { nonRootUser } from '../../pss/check-fixes.js';
import { controlViolations } from '../../pss/check-violations.js';

/** Pod Security Standards Restricted: PSA control `runAsUser`, at the newest policy version. */
export default defineCheck({
  id: 'PAL-0016',
  name: 'pss-run-as-user',
  title: 'Pod or container runs as UID 0 (PSS Restricted)',
  severity: 'medium',
  category: 'pod-security',
  frameworks: ['pss:restricted/run-as-user', 'cis:5.2.7', 'nsa:NSA-01'],
  docs: {
    description:
      "`runAsUser: 0` runs the process as root, which overrides the image's USER and defeats runAsNonRoot. The Restricted level forbids it at pod and container level from v1.23; pods with `hostUsers: false` are exempt from v1.35.",
    remediation: 'Set `runAsUser` to a non-zero UID (for example 10001) or remove it and rely on a non-root image USER.',
    references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted'],
  },
  target: { kind: 'pod' },
  uses: ['pss'],
  fixSafety: 'review',
  paramsSchema: fixValueSchema('integer', 'the non-root UID the fix sets (default 10001)'),
  evaluate: (ctx) => controlViolations('runAsUser', ctx, nonRootUser),
});
