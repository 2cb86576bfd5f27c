import { defineCheck } from '../../core/check.js';
import { controlViolations } from '../../pss/check-violations.js';

/** Pod Security Standards Baseline: PSA control `sysctls`, at the newest policy version. */
export default defineCheck({
  id: 'PAL-0012',
  name: 'pss-sysctls',
  title: 'Unsafe sysctl (PSS Baseline)',
  severity: 'high',
  category: 'pod-security',
  frameworks: ['pss:baseline/sysctls'],
  docs: {
    description:
      'Sysctls outside the namespaced, isolated safe set can weaken node security or affect every pod on the node. The Baseline level allows only the safe set, which has grown over policy versions (v1.27, v1.29, v1.32, v1.37).',
    remediation: 'Remove the sysctl from `spec.securityContext.sysctls`, or set it on the node instead.',
    references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
  },
  target: { kind: 'pod' },
  uses: ['pss'],
  evaluate: (ctx) => controlViolations('sysctls', ctx),
});
