import { nodeFileCheck } from '../node-facts.js';

/** CIS 4.1.4: the kube-proxy kubeconfig, from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0894',
  name: 'kube-proxy-kubeconfig-ownership',
  title: 'The kube-proxy kubeconfig is not owned by root:root',
  severity: 'medium',
  frameworks: ['cis:4.1.4', 'nsa:NSA-19'],
  roles: ['kube-proxy-kubeconfig'],
  rule: { owner: 'root:root' },
  docs: {
    description:
      "CIS 4.1.4 asks that the kube-proxy kubeconfig be owned by root:root: another owner can rewrite it and so change how the node runs Kubernetes or read the credentials in it. Owners are compared by name as the node's /etc/passwd and /etc/group resolve them.",
    remediation: 'chown root:root /var/lib/kube-proxy/kubeconfig.conf.',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
