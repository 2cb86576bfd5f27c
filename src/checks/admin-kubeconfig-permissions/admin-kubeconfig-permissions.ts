import { nodeFileCheck } from '../node-facts.js';

/** CIS 1.1.13: the admin kubeconfig files (admin.conf, super-admin.conf), from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0882',
  name: 'admin-kubeconfig-permissions',
  title: 'The admin kubeconfig files (admin.conf, super-admin.conf) are more permissive than 600',
  severity: 'high',
  frameworks: ['cis:1.1.13', 'nsa:NSA-19'],
  roles: ['admin-kubeconfig'],
  rule: { maxMode: 0o600 },
  docs: {
    description:
      'CIS 1.1.13 asks that the admin kubeconfig files (admin.conf, super-admin.conf) have mode 600 or stricter, compared bit by bit: a group or world permission bit outside 600 lets other local users read credentials or change how the node runs Kubernetes.',
    remediation: 'chmod 600 /etc/kubernetes/admin.conf (and the same for every file of this kind).',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
