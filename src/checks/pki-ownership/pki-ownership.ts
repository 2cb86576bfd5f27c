import { nodeFileCheck } from '../node-facts.js';

/** CIS 1.1.19: the PKI directory and every file in it, from the facts `palisade node` collects. */
export default nodeFileCheck({
  id: 'PAL-0888',
  name: 'pki-ownership',
  title: 'The PKI directory and every file in it are not owned by root:root',
  severity: 'medium',
  frameworks: ['cis:1.1.19'],
  roles: ['pki-dir', 'pki-cert', 'pki-key', 'pki-file'],
  rule: { owner: 'root:root' },
  docs: {
    description:
      "CIS 1.1.19 asks that the PKI directory and every file in it be owned by root:root: another owner can rewrite them and so change how the node runs Kubernetes or read the credentials in them. Owners are compared by name as the node's /etc/passwd and /etc/group resolve them.",
    remediation: 'chown root:root /etc/kubernetes/pki/ca.crt.',
    references: ['https://www.cisecurity.org/benchmark/kubernetes', 'https://github.com/aquasecurity/kube-bench/tree/main/cfg/cis-1.12'],
  },
});
