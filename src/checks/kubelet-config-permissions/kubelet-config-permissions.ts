import { nodeFileCheck } from '../node-facts.js';

/** CIS 4.1.9: the kubelet configuration file (config.yaml), from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0899',
  name: 'kubelet-config-permissions',
  title: 'The kubelet configuration file (config.yaml) is more permissive than 600',
  severity: 'high',
  frameworks: ['cis:4.1.9'],
  roles: ['kubelet-config'],
  rule: { maxMode: 0o600 },
  docs: {
    description:
      'CIS 4.1.9 asks that the kubelet configuration file (config.yaml) have mode 600 or stricter, compared bit by bit: a group or world permission bit outside 600 lets other local users read credentials or change how the node runs Kubernetes.',
    remediation: 'chmod 600 /var/lib/kubelet/config.yaml (and the same for every file of this kind).',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
