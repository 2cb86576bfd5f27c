import { nodeFileCheck } from '../node-facts.js';

/** CIS 4.1.10: the kubelet configuration file (config.yaml), from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0900',
  name: 'kubelet-config-ownership',
  title: 'The kubelet configuration file (config.yaml) is not owned by root:root',
  severity: 'medium',
  frameworks: ['cis:4.1.10'],
  roles: ['kubelet-config'],
  rule: { owner: 'root:root' },
  docs: {
    description:
      "CIS 4.1.10 asks that the kubelet configuration file (config.yaml) be owned by root:root: another owner can rewrite it and so change how the node runs Kubernetes or read the credentials in it. Owners are compared by name as the node's /etc/passwd and /etc/group resolve them.",
    remediation: 'chown root:root /var/lib/kubelet/config.yaml.',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
