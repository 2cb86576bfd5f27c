import { defineCheck } from '../../core/check.js';
import { seccompRuntimeDefault } from '../../pss/check-fixes.js';
import { controlViolations } from '../../pss/check-violations.js';

/** Pod Security Standards Restricted: PSA control `seccompProfile_restricted`, at the newest policy version. */
export default defineCheck({
  id: 'PAL-0017',
  name: 'pss-seccomp-restricted',
  title: 'No RuntimeDefault or Localhost seccomp profile (PSS Restricted)',
  severity: 'medium',
  category: 'pod-security',
  frameworks: ['pss:restricted/seccomp', 'cis:5.6.2', 'nsa:NSA-08'],
  docs: {
    description:
      'The Restricted level requires a seccomp profile: `seccompProfile.type` must be RuntimeDefault or Localhost at pod level, or in every container. Unset and Unconfined both fail; Windows pods are exempt from v1.25.',
    remediation: 'Set `spec.securityContext.seccompProfile.type: RuntimeDefault` at pod level.',
    references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted'],
  },
  target: { kind: 'pod' },
  uses: ['pss'],
  evaluate: (ctx) => controlViolations('seccompProfile_restricted', ctx, seccompRuntimeDefault),
});
