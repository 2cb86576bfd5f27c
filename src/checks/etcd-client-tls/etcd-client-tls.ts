import { controlPlaneCheck, requireFlags } from '../control-plane.js';

/** CIS 2.1: flags an etcd that fails the control (etcd serves clients without TLS). */
export default controlPlaneCheck({
  id: 'PAL-0837',
  name: 'etcd-client-tls',
  title: 'etcd serves clients without TLS',
  severity: 'high',
  frameworks: ['cis:2.1', 'nsa:NSA-17'],
  component: 'etcd',
  rule: requireFlags('cert-file', 'key-file'),
  docs: {
    description:
      'Without `--cert-file` and `--key-file` etcd talks to clients, the API server included, in clear text; every Secret crosses the network unencrypted.',
    remediation: 'Set `--cert-file` and `--key-file` on etcd.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/', 'https://etcd.io/docs/v3.5/op-guide/security/'],
  },
});
