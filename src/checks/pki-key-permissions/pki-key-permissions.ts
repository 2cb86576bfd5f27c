import { nodeFileCheck } from '../node-facts.js';

/** CIS 1.1.21: the private keys under the PKI directory, from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0890',
  name: 'pki-key-permissions',
  title: 'The private keys under the PKI directory are more permissive than 600',
  severity: 'high',
  frameworks: ['cis:1.1.21'],
  roles: ['pki-key'],
  rule: { maxMode: 0o600 },
  docs: {
    description:
      'CIS 1.1.21 asks that the private keys under the PKI directory have mode 600 or stricter, compared bit by bit: a group or world permission bit outside 600 lets other local users read credentials or change how the node runs Kubernetes.',
    remediation: 'chmod 600 /etc/kubernetes/pki/apiserver.key (and the same for every file of this kind).',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
