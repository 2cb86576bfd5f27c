import { defineCheck } from '../../core/check.js';
import { controlViolations } from '../../pss/check-violations.js';

/** Pod Security Standards Baseline: PSA control `seLinuxOptions`, at the newest policy version. */
export default defineCheck({
  id: 'PAL-0009',
  name: 'pss-selinux',
  title: 'Custom SELinux type, user or role (PSS Baseline)',
  severity: 'high',
  category: 'pod-security',
  frameworks: ['pss:baseline/selinux', 'nsa:NSA-08'],
  docs: {
    description:
      'SELinux labels confine containers on SELinux hosts. A custom type such as spc_t (super-privileged container) or a custom user or role lifts that confinement. The Baseline level allows only the types container_t, container_init_t, container_kvm_t and (from v1.31) container_engine_t, and no user or role.',
    remediation: 'Remove `seLinuxOptions.type`, `user` and `role`, or use one of the allowed container types; setting `level` is fine.',
    references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
  },
  target: { kind: 'pod' },
  uses: ['pss'],
  evaluate: (ctx) => controlViolations('seLinuxOptions', ctx),
});
