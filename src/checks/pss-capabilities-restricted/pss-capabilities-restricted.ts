import { defineCheck } from '../../core/check.js';
import { capabilitiesRestricted } from '../../pss/check-fixes.js';
import { controlViolations } from '../../pss/check-violations.js';

/** Pod Security Standards Restricted: PSA control `capabilities_restricted`, at the newest policy version. */
export default defineCheck({
  id: 'PAL-0018',
  name: 'pss-capabilities-restricted',
  title: 'Capabilities not dropped to ALL (PSS Restricted)',
  severity: 'medium',
  category: 'pod-security',
  frameworks: ['pss:restricted/capabilities', 'cis:5.2.8', 'cis:5.2.9', 'nsa:NSA-07'],
  docs: {
    description:
      'The Restricted level requires every container to drop ALL capabilities and to add back at most NET_BIND_SERVICE, from policy version v1.22. Windows pods are exempt from v1.25. Adds outside the Baseline list are also reported by pss-capabilities-baseline.',
    remediation: 'Set `securityContext.capabilities.drop: ["ALL"]` and add back only NET_BIND_SERVICE if the process binds a port below 1024.',
    references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted'],
  },
  target: { kind: 'pod' },
  uses: ['pss'],
  fixSafety: 'review',
  evaluate: (ctx) => controlViolations('capabilities_restricted', ctx, capabilitiesRestricted),
});
