import { nodeFileCheck } from '../node-facts.js';

/** CIS 4.1.5: the kubelet kubeconfig (kubelet.conf), from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0895',
  name: 'kubelet-kubeconfig-permissions',
  title: 'The kubelet kubeconfig (kubelet.conf) is more permissive than 600',
  severity: 'high',
  frameworks: ['cis:4.1.5', 'nsa:NSA-19'],
  roles: ['kubelet-kubeconfig'],
  rule: { maxMode: 0o600 },
  docs: {
    description:
      'CIS 4.1.5 asks that the kubelet kubeconfig (kubelet.conf) have mode 600 or stricter, compared bit by bit: a group or world permission bit outside 600 lets other local users read credentials or change how the node runs Kubernetes.',
    remediation: 'chmod 600 /etc/kubernetes/kubelet.conf (and the same for every file of this kind).',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
