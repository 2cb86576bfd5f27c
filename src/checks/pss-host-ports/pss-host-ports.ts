import { defineCheck } from '../../core/check.js';
import { removeHostPort } from '../../pss/check-fixes.js';
import { controlViolations } from '../../pss/check-violations.js';

/** Pod Security Standards Baseline: PSA control `hostPorts`, at the newest policy version. */
export default defineCheck({
  id: 'PAL-0006',
  name: 'pss-host-ports',
  title: 'Container binds a host port (PSS Baseline)',
  severity: 'high',
  category: 'pod-security',
  frameworks: ['pss:baseline/host-ports', 'cis:5.2.12', 'nsa:NSA-09'],
  docs: {
    description:
      "A `hostPort` binds the container port on the node's network interfaces, bypassing Services and most NetworkPolicy implementations and limiting scheduling. The Baseline level forbids any non-zero `ports[*].hostPort`; the built-in admission has no allowed range. With `hostNetwork: true` the API server sets every unset `hostPort` of containers and init containers to its `containerPort`, so those ports are reported too, at the `hostPort` they get.",
    remediation:
      'Remove `hostPort` and expose the container through a Service (ClusterIP, NodePort or LoadBalancer) or an Ingress; with `hostNetwork: true`, drop host networking first.',
    references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
  },
  target: { kind: 'pod' },
  uses: ['pss'],
  fixSafety: 'review',
  evaluate: (ctx) => controlViolations('hostPorts', ctx, removeHostPort),
});
