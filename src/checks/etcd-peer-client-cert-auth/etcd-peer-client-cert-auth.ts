import { controlPlaneCheck, flagEquals } from '../control-plane.js';

/** CIS 2.5: flags an etcd that fails the control (etcd does not require peer certificates). */
export default controlPlaneCheck({
  id: 'PAL-0841',
  name: 'etcd-peer-client-cert-auth',
  title: 'etcd does not require peer certificates',
  severity: 'high',
  frameworks: ['cis:2.5', 'nsa:NSA-17'],
  component: 'etcd',
  rule: flagEquals('peer-client-cert-auth', 'true', 'false'),
  docs: {
    description: 'Without `--peer-client-cert-auth=true` any host that reaches the peer port can join the etcd cluster.',
    remediation: 'Set `--peer-client-cert-auth=true`.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/', 'https://etcd.io/docs/v3.5/op-guide/security/'],
  },
});
