import { nodeFileCheck } from '../node-facts.js';

/** CIS 4.1.8: the client CA file the kubelet trusts, from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0898',
  name: 'kubelet-client-ca-ownership',
  title: 'The client CA file the kubelet trusts is not owned by root:root',
  severity: 'medium',
  frameworks: ['cis:4.1.8'],
  roles: ['kubelet-client-ca'],
  rule: { owner: 'root:root' },
  docs: {
    description:
      "CIS 4.1.8 asks that the client CA file the kubelet trusts be owned by root:root: another owner can rewrite it and so change how the node runs Kubernetes or read the credentials in it. Owners are compared by name as the node's /etc/passwd and /etc/group resolve them.",
    remediation: 'chown root:root /etc/kubernetes/pki/ca.crt.',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
