import { nodeFileCheck } from '../node-facts.js';

/** CIS 1.1.16: the scheduler kubeconfig (scheduler.conf), from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0885',
  name: 'scheduler-kubeconfig-ownership',
  title: 'The scheduler kubeconfig (scheduler.conf) is not owned by root:root',
  severity: 'medium',
  frameworks: ['cis:1.1.16', 'nsa:NSA-19'],
  roles: ['scheduler-kubeconfig'],
  rule: { owner: 'root:root' },
  docs: {
    description:
      "CIS 1.1.16 asks that the scheduler kubeconfig (scheduler.conf) be owned by root:root: another owner can rewrite it and so change how the node runs Kubernetes or read the credentials in it. Owners are compared by name as the node's /etc/passwd and /etc/group resolve them.",
    remediation: 'chown root:root /etc/kubernetes/scheduler.conf.',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
