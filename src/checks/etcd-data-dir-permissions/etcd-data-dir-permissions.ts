import { nodeFileCheck } from '../node-facts.js';

/** CIS 1.1.11: the etcd data directory, from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0880',
  name: 'etcd-data-dir-permissions',
  title: 'The etcd data directory is more permissive than 700',
  severity: 'high',
  frameworks: ['cis:1.1.11'],
  roles: ['etcd-data-dir'],
  rule: { maxMode: 0o700 },
  docs: {
    description:
      'CIS 1.1.11 asks that the etcd data directory have mode 700 or stricter, compared bit by bit: a group or world permission bit outside 700 lets other local users read credentials or change how the node runs Kubernetes.',
    remediation: 'chmod 700 /var/lib/etcd (and the same for every file of this kind).',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
