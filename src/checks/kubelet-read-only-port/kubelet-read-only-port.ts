import { kubeletCheck, kubeletValue } from '../kubelet-config.js';

/** CIS 4.2.4: Kubelet serves the unauthenticated read-only port. */
export default kubeletCheck({
  id: 'PAL-0853',
  name: 'kubelet-read-only-port',
  title: 'Kubelet serves the unauthenticated read-only port',
  severity: 'high',
  frameworks: ['cis:4.2.4', 'nsa:NSA-21', 'mitre:T1613', 'ms:MS-TA9030'],
  rule: (cfg) => {
    const port = kubeletValue(cfg, '/readOnlyPort').value;
    return port === 0 || port === undefined
      ? undefined
      : { pointer: '/readOnlyPort', message: `serves the unauthenticated read-only API on port ${String(port)}` };
  },
  docs: {
    description: 'The read-only port (10255) serves pod specs, environment and metrics with no authentication at all.',
    remediation: 'Set `readOnlyPort: 0`.',
    references: ['https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/'],
  },
});
