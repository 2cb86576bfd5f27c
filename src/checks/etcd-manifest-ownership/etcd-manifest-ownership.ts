import { nodeFileCheck } from '../node-facts.js';

/** CIS 1.1.8: the etcd static Pod manifest, from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0877',
  name: 'etcd-manifest-ownership',
  title: 'The etcd static Pod manifest is not owned by root:root',
  severity: 'medium',
  frameworks: ['cis:1.1.8'],
  roles: ['etcd-manifest'],
  rule: { owner: 'root:root' },
  docs: {
    description:
      "CIS 1.1.8 asks that the etcd static Pod manifest be owned by root:root: another owner can rewrite it and so change how the node runs Kubernetes or read the credentials in it. Owners are compared by name as the node's /etc/passwd and /etc/group resolve them.",
    remediation: 'chown root:root /etc/kubernetes/manifests/etcd.yaml.',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
