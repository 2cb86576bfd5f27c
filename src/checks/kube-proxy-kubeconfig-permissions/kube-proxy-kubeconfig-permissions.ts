import { nodeFileCheck } from '../node-facts.js';

/** CIS 4.1.3: the kube-proxy kubeconfig, from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0893',
  name: 'kube-proxy-kubeconfig-permissions',
  title: 'The kube-proxy kubeconfig is more permissive than 600',
  severity: 'high',
  frameworks: ['cis:4.1.3', 'nsa:NSA-19'],
  roles: ['kube-proxy-kubeconfig'],
  rule: { maxMode: 0o600 },
  docs: {
    description:
      'CIS 4.1.3 asks that the kube-proxy kubeconfig have mode 600 or stricter, compared bit by bit: a group or world permission bit outside 600 lets other local users read credentials or change how the node runs Kubernetes.',
    remediation: 'chmod 600 /var/lib/kube-proxy/kubeconfig.conf (and the same for every file of this kind).',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
