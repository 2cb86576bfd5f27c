import { nodeFileCheck } from '../node-facts.js';

/** CIS 1.1.9: the CNI configuration files, from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0878',
  name: 'cni-config-permissions',
  title: 'The CNI configuration files are more permissive than 600',
  severity: 'medium',
  frameworks: ['cis:1.1.9'],
  roles: ['cni-config'],
  rule: { maxMode: 0o600 },
  docs: {
    description:
      'CIS 1.1.9 asks that the CNI configuration files have mode 600 or stricter, compared bit by bit: a group or world permission bit outside 600 lets other local users change how the node runs Kubernetes.',
    remediation: 'chmod 600 /etc/cni/net.d/10-calico.conflist (and the same for every file of this kind).',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
