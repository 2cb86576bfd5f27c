import { defineCheck } from '../../core/check.js';
import { setFalse } from '../../pss/check-fixes.js';
import { controlViolations } from '../../pss/check-violations.js';

/** Pod Security Standards Baseline: PSA control `privileged`, at the newest policy version. */
export default defineCheck({
  id: 'PAL-0003',
  name: 'pss-privileged',
  title: 'Privileged container (PSS Baseline)',
  severity: 'critical',
  category: 'pod-security',
  frameworks: ['pss:baseline/privileged', 'cis:5.2.2', 'nsa:NSA-04', 'mitre:T1611', 'ms:MS-TA9018'],
  docs: {
    description:
      'A privileged container has every capability and access to all host devices, and most isolation (seccomp, AppArmor, masked /proc) is lifted: escaping to the node is trivial. The Baseline level forbids `securityContext.privileged: true` in every container, init and ephemeral containers included.',
    remediation: 'Remove `securityContext.privileged` (or set it to false) and grant only the specific capabilities the container needs.',
    references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
  },
  target: { kind: 'pod' },
  uses: ['pss'],
  evaluate: (ctx) => controlViolations('privileged', ctx, setFalse),
});
