import { defineCheck } from '../../core/check.js';
import { setFalse } from '../../pss/check-fixes.js';
import { controlViolations } from '../../pss/check-violations.js';

/** Pod Security Standards Restricted: PSA control `allowPrivilegeEscalation`, at the newest policy version. */
export default defineCheck({
  id: 'PAL-0014',
  name: 'pss-privilege-escalation',
  title: 'Privilege escalation not disabled (PSS Restricted)',
  severity: 'medium',
  category: 'pod-security',
  frameworks: ['pss:restricted/privilege-escalation', 'cis:5.2.6', 'nsa:NSA-06', 'mitre:T1068'],
  docs: {
    description:
      'Unless `allowPrivilegeEscalation` is false, a process can gain more privileges than its parent (setuid binaries, file capabilities). The Restricted level requires every container to set it explicitly to false; Windows pods are exempt from v1.25.',
    remediation: 'Set `securityContext.allowPrivilegeEscalation: false` in every container, init and ephemeral containers included.',
    references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted'],
  },
  target: { kind: 'pod' },
  uses: ['pss'],
  evaluate: (ctx) => controlViolations('allowPrivilegeEscalation', ctx, setFalse),
});
