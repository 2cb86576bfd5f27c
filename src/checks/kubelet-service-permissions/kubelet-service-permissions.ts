import { nodeFileCheck } from '../node-facts.js';

/** CIS 4.1.1: the kubelet systemd unit files, from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0891',
  name: 'kubelet-service-permissions',
  title: 'The kubelet systemd unit files are more permissive than 600',
  severity: 'medium',
  frameworks: ['cis:4.1.1'],
  roles: ['kubelet-service'],
  rule: { maxMode: 0o600 },
  docs: {
    description:
      'CIS 4.1.1 asks that the kubelet systemd unit files have mode 600 or stricter, compared bit by bit: a group or world permission bit outside 600 lets other local users change how the node runs Kubernetes.',
    remediation: 'chmod 600 /etc/systemd/system/kubelet.service.d/10-kubeadm.conf (and the same for every file of this kind).',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
