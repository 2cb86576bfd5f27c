import { nodeFileCheck } from '../node-facts.js';

/** CIS 1.1.14: the admin kubeconfig files (admin.conf, super-admin.conf), from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0883',
  name: 'admin-kubeconfig-ownership',
  title: 'The admin kubeconfig files (admin.conf, super-admin.conf) are not owned by root:root',
  severity: 'medium',
  frameworks: ['cis:1.1.14', 'nsa:NSA-19'],
  roles: ['admin-kubeconfig'],
  rule: { owner: 'root:root' },
  docs: {
    description:
      "CIS 1.1.14 asks that the admin kubeconfig files (admin.conf, super-admin.conf) be owned by root:root: another owner can rewrite them and so change how the node runs Kubernetes or read the credentials in them. Owners are compared by name as the node's /etc/passwd and /etc/group resolve them.",
    remediation: 'chown root:root /etc/kubernetes/admin.conf.',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
