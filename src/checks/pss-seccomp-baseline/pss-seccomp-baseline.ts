import { defineCheck } from '../../core/check.js';
import { seccompRuntimeDefault } from '../../pss/check-fixes.js';
import { controlViolations } from '../../pss/check-violations.js';

/** Pod Security Standards Baseline: PSA control `seccompProfile_baseline`, at the newest policy version. */
export default defineCheck({
  id: 'PAL-0011',
  name: 'pss-seccomp-baseline',
  title: 'Seccomp profile set to Unconfined (PSS Baseline)',
  severity: 'high',
  category: 'pod-security',
  frameworks: ['pss:baseline/seccomp', 'cis:5.6.2', 'nsa:NSA-08'],
  docs: {
    description:
      'Seccomp filters the system calls a container may make; the Unconfined profile disables filtering and exposes the whole kernel attack surface. The Baseline level forbids setting `seccompProfile.type` to anything but RuntimeDefault or Localhost at pod or container level.',
    remediation: 'Set `seccompProfile.type` to RuntimeDefault (or Localhost with a profile), or remove the Unconfined setting.',
    references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
  },
  target: { kind: 'pod' },
  uses: ['pss'],
  evaluate: (ctx) => controlViolations('seccompProfile_baseline', ctx, seccompRuntimeDefault),
});
