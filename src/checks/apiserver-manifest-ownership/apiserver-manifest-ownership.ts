import { nodeFileCheck } from '../node-facts.js';

/** CIS 1.1.2: the kube-apiserver static Pod manifest, from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0871',
  name: 'apiserver-manifest-ownership',
  title: 'The kube-apiserver static Pod manifest is not owned by root:root',
  severity: 'medium',
  frameworks: ['cis:1.1.2'],
  roles: ['apiserver-manifest'],
  rule: { owner: 'root:root' },
  docs: {
    description:
      "CIS 1.1.2 asks that the kube-apiserver static Pod manifest be owned by root:root: another owner can rewrite it and so change how the node runs Kubernetes or read the credentials in it. Owners are compared by name as the node's /etc/passwd and /etc/group resolve them.",
    remediation: 'chown root:root /etc/kubernetes/manifests/kube-apiserver.yaml.',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
