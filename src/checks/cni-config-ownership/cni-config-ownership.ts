import { nodeFileCheck } from '../node-facts.js';

/** CIS 1.1.10: the CNI configuration files, from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0879',
  name: 'cni-config-ownership',
  title: 'The CNI configuration files are not owned by root:root',
  severity: 'medium',
  frameworks: ['cis:1.1.10'],
  roles: ['cni-config'],
  rule: { owner: 'root:root' },
  docs: {
    description:
      "CIS 1.1.10 asks that the CNI configuration files be owned by root:root: another owner can rewrite them and so change how the node runs Kubernetes or read the credentials in them. Owners are compared by name as the node's /etc/passwd and /etc/group resolve them.",
    remediation: 'chown root:root /etc/cni/net.d/10-calico.conflist.',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
