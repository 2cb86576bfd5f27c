import { controlPlaneCheck, requireFlags } from '../control-plane.js';

/** CIS 1.2.27: flags an kube-apiserver that fails the control (API server does not encrypt Secrets at rest). */
export default controlPlaneCheck({
  id: 'PAL-0825',
  name: 'apiserver-encryption-provider-config',
  title: 'API server does not encrypt Secrets at rest',
  severity: 'high',
  frameworks: ['cis:1.2.27', 'nsa:NSA-18', 'soc2:CC6.7', 'mitre:T1552'],
  component: 'kube-apiserver',
  rule: requireFlags('encryption-provider-config'),
  docs: {
    description: 'Without `--encryption-provider-config` Secrets are stored in etcd in clear text (base64), so a backup or a read of etcd discloses them all.',
    remediation: 'Set `--encryption-provider-config` to an EncryptionConfiguration whose first provider for secrets is kms, aescbc or secretbox.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
