import { nodeFileCheck } from '../node-facts.js';

/** CIS 1.1.7: the etcd static Pod manifest, from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0876',
  name: 'etcd-manifest-permissions',
  title: 'The etcd static Pod manifest is more permissive than 600',
  severity: 'high',
  frameworks: ['cis:1.1.7'],
  roles: ['etcd-manifest'],
  rule: { maxMode: 0o600 },
  docs: {
    description:
      'CIS 1.1.7 asks that the etcd static Pod manifest have mode 600 or stricter, compared bit by bit: a group or world permission bit outside 600 lets other local users read credentials or change how the node runs Kubernetes.',
    remediation: 'chmod 600 /etc/kubernetes/manifests/etcd.yaml (and the same for every file of this kind).',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
