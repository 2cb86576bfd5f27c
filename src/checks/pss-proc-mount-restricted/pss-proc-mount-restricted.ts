import { defineCheck } from '../../core/check.js';
import { procMountDefault } from '../../pss/check-fixes.js';
import { controlViolations } from '../../pss/check-violations.js';

/** Pod Security Standards Restricted: PSA control `procMount_restricted`, at the newest policy version. */
export default defineCheck({
  id: 'PAL-0019',
  name: 'pss-proc-mount-restricted',
  title: 'Unmasked /proc mount, even in a user namespace (PSS Restricted)',
  severity: 'medium',
  category: 'pod-security',
  frameworks: ['pss:restricted/proc-mount'],
  docs: {
    description:
      'From policy version v1.35 the Baseline /proc rule lets pods with `hostUsers: false` use `procMount: Unmasked`; the Restricted level re-tightens it and requires Default (or unset) in every container, user namespace or not.',
    remediation: 'Remove `securityContext.procMount` or set it to Default.',
    references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted'],
  },
  target: { kind: 'pod' },
  uses: ['pss'],
  evaluate: (ctx) => controlViolations('procMount_restricted', ctx, procMountDefault),
});
