import { defineCheck } from '../../core/check.js';
import { setFalse } from '../../pss/check-fixes.js';
import { controlViolations } from '../../pss/check-violations.js';

/** Pod Security Standards Baseline: PSA control `hostNamespaces`, at the newest policy version. */
export default defineCheck({
  id: 'PAL-0002',
  name: 'pss-host-namespaces',
  title: "Pod shares the host's network, PID or IPC namespace (PSS Baseline)",
  severity: 'high',
  category: 'pod-security',
  frameworks: ['pss:baseline/host-namespaces', 'cis:5.2.3', 'cis:5.2.4', 'cis:5.2.5', 'nsa:NSA-05', 'mitre:T1611'],
  docs: {
    description:
      "A pod with `hostNetwork`, `hostPID` or `hostIPC` set to true shares that namespace with the node: it can sniff node traffic and reach services bound to localhost, see and signal every process on the node, or read other workloads' shared memory. The Baseline level forbids all three.",
    remediation: 'Remove `hostNetwork`, `hostPID` and `hostIPC` from the pod spec (or set them to false).',
    references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
  },
  target: { kind: 'pod' },
  // Node agents and CNI plugins need the host's namespaces: leaving them is a change to review.
  fixSafety: 'review',
  uses: ['pss'],
  evaluate: (ctx) => controlViolations('hostNamespaces', ctx, setFalse),
});
