import { nodeFileCheck } from '../node-facts.js';

/** CIS 1.1.20: the certificates under the PKI directory, from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0889',
  name: 'pki-certificate-permissions',
  title: 'The certificates under the PKI directory are more permissive than 644',
  severity: 'medium',
  frameworks: ['cis:1.1.20'],
  roles: ['pki-cert'],
  rule: { maxMode: 0o644 },
  docs: {
    description:
      'CIS 1.1.20 asks that the certificates under the PKI directory have mode 644 or stricter, compared bit by bit: a group or world permission bit outside 644 lets other local users change how the node runs Kubernetes.',
    remediation: 'chmod 644 /etc/kubernetes/pki/apiserver.crt (and the same for every file of this kind).',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
