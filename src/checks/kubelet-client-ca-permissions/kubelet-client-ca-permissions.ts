import { nodeFileCheck } from '../node-facts.js';

/** CIS 4.1.7: the client CA file the kubelet trusts, from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0897',
  name: 'kubelet-client-ca-permissions',
  title: 'The client CA file the kubelet trusts is more permissive than 644',
  severity: 'medium',
  frameworks: ['cis:4.1.7'],
  roles: ['kubelet-client-ca'],
  rule: { maxMode: 0o644 },
  docs: {
    description:
      'CIS 4.1.7 asks that the client CA file the kubelet trusts have mode 644 or stricter, compared bit by bit: a group or world permission bit outside 644 lets other local users change how the node runs Kubernetes.',
    remediation: 'chmod 644 /etc/kubernetes/pki/ca.crt (and the same for every file of this kind).',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
