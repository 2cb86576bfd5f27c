import { controlPlaneCheck, flagEquals } from '../control-plane.js';

/** CIS 2.2: flags an etcd that fails the control (etcd does not require client certificates). */
export default controlPlaneCheck({
  id: 'PAL-0838',
  name: 'etcd-client-cert-auth',
  title: 'etcd does not require client certificates',
  severity: 'high',
  frameworks: ['cis:2.2', 'nsa:NSA-17'],
  component: 'etcd',
  rule: flagEquals('client-cert-auth', 'true', 'false'),
  docs: {
    description: "Without `--client-cert-auth=true` anyone who reaches etcd's client port can read and write the whole cluster state.",
    remediation: 'Set `--client-cert-auth=true` and `--trusted-ca-file`.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/', 'https://etcd.io/docs/v3.5/op-guide/security/'],
  },
});
