import { defineCheck } from '../../core/check.js';
import { capabilitiesBaseline } from '../../pss/check-fixes.js';
import { controlViolations } from '../../pss/check-violations.js';

/** Pod Security Standards Baseline: PSA control `capabilities_baseline`, at the newest policy version. */
export default defineCheck({
  id: 'PAL-0004',
  name: 'pss-capabilities-baseline',
  title: 'Container adds capabilities beyond the Baseline set (PSS Baseline)',
  severity: 'high',
  category: 'pod-security',
  frameworks: ['pss:baseline/capabilities', 'cis:5.2.9', 'nsa:NSA-07'],
  docs: {
    description:
      "Linux capabilities such as SYS_ADMIN, NET_ADMIN, SYS_PTRACE or NET_RAW give a container powers that can break isolation. The Baseline level allows adding only the container runtime's default set: AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT (not NET_RAW).",
    remediation: 'Remove the listed capabilities from `securityContext.capabilities.add`; prefer `drop: ["ALL"]` and add back only what the process needs.',
    references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
  },
  target: { kind: 'pod' },
  uses: ['pss'],
  fixSafety: 'review',
  evaluate: (ctx) => controlViolations('capabilities_baseline', ctx, capabilitiesBaseline),
});
