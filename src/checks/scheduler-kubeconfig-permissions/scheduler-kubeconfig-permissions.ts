import { nodeFileCheck } from '../node-facts.js';

/** CIS 1.1.15: the scheduler kubeconfig (scheduler.conf), from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0884',
  name: 'scheduler-kubeconfig-permissions',
  title: 'The scheduler kubeconfig (scheduler.conf) is more permissive than 600',
  severity: 'high',
  frameworks: ['cis:1.1.15', 'nsa:NSA-19'],
  roles: ['scheduler-kubeconfig'],
  rule: { maxMode: 0o600 },
  docs: {
    description:
      'CIS 1.1.15 asks that the scheduler kubeconfig (scheduler.conf) have mode 600 or stricter, compared bit by bit: a group or world permission bit outside 600 lets other local users read credentials or change how the node runs Kubernetes.',
    remediation: 'chmod 600 /etc/kubernetes/scheduler.conf (and the same for every file of this kind).',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
