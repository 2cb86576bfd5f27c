import { nodeFileCheck } from '../node-facts.js';

/** CIS 1.1.12: the etcd data directory, from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0881',
  name: 'etcd-data-dir-ownership',
  title: 'The etcd data directory is not owned by etcd:etcd',
  severity: 'medium',
  frameworks: ['cis:1.1.12'],
  roles: ['etcd-data-dir'],
  rule: { owner: 'etcd:etcd' },
  docs: {
    description:
      "CIS 1.1.12 asks that the etcd data directory be owned by etcd:etcd: another owner can rewrite it and so change how the node runs Kubernetes or read the credentials in it. Owners are compared by name as the node's /etc/passwd and /etc/group resolve them.",
    remediation: 'chown etcd:etcd /var/lib/etcd.',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
