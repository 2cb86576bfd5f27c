import { kubeletCheck, kubeletValue } from '../kubelet-config.js';

/** CIS 4.2.13: Kubelet sets no per-pod process limit. */
export default kubeletCheck({
  id: 'PAL-0860',
  name: 'kubelet-pod-pids-limit',
  title: 'Kubelet sets no per-pod process limit',
  severity: 'low',
  frameworks: ['cis:4.2.13', 'nsa:NSA-15', 'mitre:T1499', 'ms:MS-TA9040'],
  rule: (cfg) => {
    const n = kubeletValue(cfg, '/podPidsLimit').value;
    return typeof n === 'number' && n > 0
      ? undefined
      : { pointer: '/podPidsLimit', message: "sets no podPidsLimit, so one pod can exhaust the node's process table (fork bomb)" };
  },
  docs: {
    description: 'Without `podPidsLimit` a single pod can create processes until the node runs out of PIDs, taking every other pod on the node down.',
    remediation: 'Set `podPidsLimit`, e.g. 4096.',
    references: ['https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/'],
  },
});
