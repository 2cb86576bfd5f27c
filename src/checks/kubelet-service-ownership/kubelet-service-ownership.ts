import { nodeFileCheck } from '../node-facts.js';

/** CIS 4.1.2: the kubelet systemd unit files, from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0892',
  name: 'kubelet-service-ownership',
  title: 'The kubelet systemd unit files are not owned by root:root',
  severity: 'medium',
  frameworks: ['cis:4.1.2'],
  roles: ['kubelet-service'],
  rule: { owner: 'root:root' },
  docs: {
    description:
      "CIS 4.1.2 asks that the kubelet systemd unit files be owned by root:root: another owner can rewrite them and so change how the node runs Kubernetes or read the credentials in them. Owners are compared by name as the node's /etc/passwd and /etc/group resolve them.",
    remediation: 'chown root:root /etc/systemd/system/kubelet.service.d/10-kubeadm.conf.',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
