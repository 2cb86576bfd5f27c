import { kubeletCheck, kubeletValue } from '../kubelet-config.js';

/** CIS 4.2.5: Kubelet keeps idle streaming connections open forever. */
export default kubeletCheck({
  id: 'PAL-0854',
  name: 'kubelet-streaming-idle-timeout',
  title: 'Kubelet keeps idle streaming connections open forever',
  severity: 'low',
  frameworks: ['cis:4.2.5'],
  rule: (cfg) => {
    const t = kubeletValue(cfg, '/streamingConnectionIdleTimeout').value;
    // A Go duration with no non-zero digit (0, 0s, 0h0m0s) is zero: no timeout.
    return typeof t === 'string' && !/[1-9]/.test(t)
      ? {
          pointer: '/streamingConnectionIdleTimeout',
          message: `sets streamingConnectionIdleTimeout ${t}, which never closes idle exec and port-forward connections`,
        }
      : undefined;
  },
  docs: {
    description:
      'A `streamingConnectionIdleTimeout` of 0 keeps idle exec, attach and port-forward connections open indefinitely, which helps denial of service and leaves forgotten sessions usable.',
    remediation: 'Set `streamingConnectionIdleTimeout` to a few minutes, e.g. `5m`.',
    references: ['https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/'],
  },
});
