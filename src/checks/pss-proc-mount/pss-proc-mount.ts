import { defineCheck } from '../../core/check.js';
import { procMountDefault } from '../../pss/check-fixes.js';
import { controlViolations } from '../../pss/check-violations.js';

/** Pod Security Standards Baseline: PSA control `procMount`, at the newest policy version. */
export default defineCheck({
  id: 'PAL-0010',
  name: 'pss-proc-mount',
  title: 'Unmasked /proc mount (PSS Baseline)',
  severity: 'high',
  category: 'pod-security',
  frameworks: ['pss:baseline/proc-mount'],
  docs: {
    description:
      'The runtime masks sensitive parts of /proc by default. `procMount: Unmasked` removes the masks and exposes kernel interfaces of the host. The Baseline level forbids it, except (from v1.35) for pods that run in a user namespace (`hostUsers: false`).',
    remediation: 'Remove `securityContext.procMount` or set it to Default; if an unmasked /proc is required, run the pod with `hostUsers: false`.',
    references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
  },
  target: { kind: 'pod' },
  uses: ['pss'],
  evaluate: (ctx) => controlViolations('procMount', ctx, procMountDefault),
});
