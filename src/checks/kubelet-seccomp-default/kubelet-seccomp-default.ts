import { kubeletCheck, kubeletValue } from '../kubelet-config.js';

/** CIS 4.2.14: Kubelet does not apply RuntimeDefault seccomp by default. */
export default kubeletCheck({
  id: 'PAL-0861',
  name: 'kubelet-seccomp-default',
  title: 'Kubelet does not apply RuntimeDefault seccomp by default',
  severity: 'low',
  frameworks: ['cis:4.2.14', 'nsa:NSA-08'],
  rule: (cfg) =>
    kubeletValue(cfg, '/seccompDefault').value === true
      ? undefined
      : { pointer: '/seccompDefault', message: 'does not set seccompDefault: true, so containers without a seccomp profile run unconfined' },
  docs: {
    description:
      "With `seccompDefault: true` the kubelet runs every container without an explicit profile under the runtime's default seccomp filter, closing many kernel attack paths.",
    remediation: 'Set `seccompDefault: true` (test workloads first: a few need extra syscalls).',
    references: ['https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/'],
  },
});
