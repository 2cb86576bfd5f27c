import { nodeFileCheck } from '../node-facts.js';

/** CIS 1.1.5: the kube-scheduler static Pod manifest, from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0874',
  name: 'scheduler-manifest-permissions',
  title: 'The kube-scheduler static Pod manifest is more permissive than 600',
  severity: 'medium',
  frameworks: ['cis:1.1.5'],
  roles: ['scheduler-manifest'],
  rule: { maxMode: 0o600 },
  docs: {
    description:
      'CIS 1.1.5 asks that the kube-scheduler static Pod manifest have mode 600 or stricter, compared bit by bit: a group or world permission bit outside 600 lets other local users change how the node runs Kubernetes.',
    remediation: 'chmod 600 /etc/kubernetes/manifests/kube-scheduler.yaml (and the same for every file of this kind).',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
