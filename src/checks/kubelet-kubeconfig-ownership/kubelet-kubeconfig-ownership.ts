import { nodeFileCheck } from '../node-facts.js';

/** CIS 4.1.6: the kubelet kubeconfig (kubelet.conf), from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0896',
  name: 'kubelet-kubeconfig-ownership',
  title: 'The kubelet kubeconfig (kubelet.conf) is not owned by root:root',
  severity: 'medium',
  frameworks: ['cis:4.1.6', 'nsa:NSA-19'],
  roles: ['kubelet-kubeconfig'],
  rule: { owner: 'root:root' },
  docs: {
    description:
      "CIS 4.1.6 asks that the kubelet kubeconfig (kubelet.conf) be owned by root:root: another owner can rewrite it and so change how the node runs Kubernetes or read the credentials in it. Owners are compared by name as the node's /etc/passwd and /etc/group resolve them.",
    remediation: 'chown root:root /etc/kubernetes/kubelet.conf.',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
