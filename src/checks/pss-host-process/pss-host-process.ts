import { defineCheck } from '../../core/check.js';
import { setFalse } from '../../pss/check-fixes.js';
import { controlViolations } from '../../pss/check-violations.js';

/** Pod Security Standards Baseline: PSA control `windowsHostProcess`, at the newest policy version. */
export default defineCheck({
  id: 'PAL-0001',
  name: 'pss-host-process',
  title: 'Windows HostProcess container (PSS Baseline)',
  severity: 'critical',
  category: 'pod-security',
  frameworks: ['pss:baseline/host-process', 'cis:5.2.10', 'nsa:NSA-04', 'mitre:T1611', 'ms:MS-TA9018'],
  docs: {
    description:
      "Windows HostProcess containers run directly on the node with the privileges of a host process: they see the host's file system, network and processes, and can take over the node. The Pod Security Standards Baseline level forbids `securityContext.windowsOptions.hostProcess: true` at pod and container level.",
    remediation:
      'Remove `windowsOptions.hostProcess` (or set it to false) at pod and container level; run node agents that truly need host access in a dedicated, privileged namespace.',
    references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
  },
  target: { kind: 'pod' },
  uses: ['pss'],
  fixSafety: 'review',
  evaluate: (ctx) => controlViolations('windowsHostProcess', ctx, setFalse),
});
