import { defineCheck } from '../../core/check.js';
import { controlViolations } from '../../pss/check-violations.js';

/** Pod Security Standards Baseline: PSA control `hostProbesAndHostLifecycle`, at the newest policy version. */
export default defineCheck({
  id: 'PAL-0007',
  name: 'pss-host-probes',
  title: 'Probe or lifecycle hook targets another host (PSS Baseline)',
  severity: 'high',
  category: 'pod-security',
  frameworks: ['pss:baseline/host-probes'],
  docs: {
    description:
      "The `host` field of httpGet and tcpSocket probes and lifecycle hooks makes the kubelet connect to an arbitrary address from the node's network, which can be abused to reach node-local or cloud metadata endpoints. The Baseline level forbids it from policy version v1.34.",
    remediation: "Remove `host` from the probe or lifecycle handler so that the kubelet targets the pod's own IP.",
    references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
  },
  target: { kind: 'pod' },
  uses: ['pss'],
  evaluate: (ctx) => controlViolations('hostProbesAndHostLifecycle', ctx),
});
