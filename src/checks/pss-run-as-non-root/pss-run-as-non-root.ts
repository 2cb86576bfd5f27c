import { defineCheck } from '../../core/check.js';
import { fixValueSchema } from '../../core/fix.js';
import { runAsNonRoot } from '../../pss/check-fixes.js';
import { controlViolations } from '../../pss/check-violations.js';

/** Pod Security Standards Restricted: PSA control `runAsNonRoot`, at the newest policy version. */
export default defineCheck({
  id: 'PAL-0015',
  name: 'pss-run-as-non-root',
  title: 'Containers may run as root (PSS Restricted)',
  severity: 'medium',
  category: 'pod-security',
  frameworks: ['pss:restricted/run-as-non-root', 'cis:5.2.7', 'nsa:NSA-01'],
  docs: {
    description:
      '`runAsNonRoot: true` makes the kubelet refuse to start a container whose user is root. The Restricted level requires it at pod level, or in every container; an explicit false anywhere fails. Pods with `hostUsers: false` are exempt from v1.35.',
    remediation: 'Set `spec.securityContext.runAsNonRoot: true` at pod level (and remove any container-level false), and build images with a non-root USER.',
    references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted'],
  },
  target: { kind: 'pod' },
  uses: ['pss'],
  fixSafety: 'review',
  paramsSchema: fixValueSchema('integer', 'the non-root UID the fix sets (default 10001)'),
  evaluate: (ctx) => controlViolations('runAsNonRoot', ctx, runAsNonRoot),
});
