import { nodeFileCheck } from '../node-facts.js';

/** CIS 1.1.4: the kube-controller-manager static Pod manifest, from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0873',
  name: 'controller-manager-manifest-ownership',
  title: 'The kube-controller-manager static Pod manifest is not owned by root:root',
  severity: 'medium',
  frameworks: ['cis:1.1.4'],
  roles: ['controller-manager-manifest'],
  rule: { owner: 'root:root' },
  docs: {
    description:
      "CIS 1.1.4 asks that the kube-controller-manager static Pod manifest be owned by root:root: another owner can rewrite it and so change how the node runs Kubernetes or read the credentials in it. Owners are compared by name as the node's /etc/passwd and /etc/group resolve them.",
    remediation: 'chown root:root /etc/kubernetes/manifests/kube-controller-manager.yaml.',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
