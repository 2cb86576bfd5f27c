import { nodeFileCheck } from '../node-facts.js';

/** CIS 1.1.17: the controller-manager kubeconfig (controller-manager.conf), from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0886',
  name: 'controller-manager-kubeconfig-permissions',
  title: 'The controller-manager kubeconfig (controller-manager.conf) is more permissive than 600',
  severity: 'high',
  frameworks: ['cis:1.1.17', 'nsa:NSA-19'],
  roles: ['controller-manager-kubeconfig'],
  rule: { maxMode: 0o600 },
  docs: {
    description:
      'CIS 1.1.17 asks that the controller-manager kubeconfig (controller-manager.conf) have mode 600 or stricter, compared bit by bit: a group or world permission bit outside 600 lets other local users read credentials or change how the node runs Kubernetes.',
    remediation: 'chmod 600 /etc/kubernetes/controller-manager.conf (and the same for every file of this kind).',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
