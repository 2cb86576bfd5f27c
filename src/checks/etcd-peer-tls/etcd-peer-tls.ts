import { controlPlaneCheck, requireFlags } from '../control-plane.js';

/** CIS 2.4: flags an etcd that fails the control (etcd peers talk without TLS). */
export default controlPlaneCheck({
  id: 'PAL-0840',
  name: 'etcd-peer-tls',
  title: 'etcd peers talk without TLS',
  severity: 'high',
  frameworks: ['cis:2.4', 'nsa:NSA-17'],
  component: 'etcd',
  rule: requireFlags('peer-cert-file', 'peer-key-file'),
  docs: {
    description: 'Without `--peer-cert-file` and `--peer-key-file` etcd members replicate the cluster state in clear text.',
    remediation: 'Set `--peer-cert-file` and `--peer-key-file` (needed only on multi-member clusters, but CIS asks for them everywhere).',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/', 'https://etcd.io/docs/v3.5/op-guide/security/'],
  },
});
