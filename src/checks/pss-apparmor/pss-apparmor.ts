import { defineCheck } from '../../core/check.js';
import { appArmorRuntimeDefault } from '../../pss/check-fixes.js';
import { controlViolations } from '../../pss/check-violations.js';

/** Pod Security Standards Baseline: PSA control `appArmorProfile`, at the newest policy version. */
export default defineCheck({
  id: 'PAL-0008',
  name: 'pss-apparmor',
  title: 'AppArmor profile overridden or disabled (PSS Baseline)',
  severity: 'high',
  category: 'pod-security',
  frameworks: ['pss:baseline/apparmor', 'nsa:NSA-08'],
  docs: {
    description:
      'On AppArmor hosts the runtime applies a default profile that blocks many escape techniques. The Baseline level forbids disabling it: `appArmorProfile.type` must be RuntimeDefault or Localhost, and the beta annotations `container.apparmor.security.beta.kubernetes.io/*` must be runtime/default or localhost/*.',
    remediation: 'Remove the Unconfined setting, or use `appArmorProfile: {type: RuntimeDefault}` (or a Localhost profile).',
    references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
  },
  target: { kind: 'pod' },
  uses: ['pss'],
  evaluate: (ctx) => controlViolations('appArmorProfile', ctx, appArmorRuntimeDefault),
});
