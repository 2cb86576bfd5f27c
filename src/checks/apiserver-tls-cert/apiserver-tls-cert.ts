import { controlPlaneCheck, requireFlags } from '../control-plane.js';

/** CIS 1.2.24: flags an kube-apiserver that fails the control (API server has no TLS serving certificate). */
export default controlPlaneCheck({
  id: 'PAL-0822',
  name: 'apiserver-tls-cert',
  title: 'API server has no TLS serving certificate',
  severity: 'high',
  frameworks: ['cis:1.2.24', 'nsa:NSA-16'],
  component: 'kube-apiserver',
  rule: requireFlags('tls-cert-file', 'tls-private-key-file'),
  docs: {
    description: 'Without `--tls-cert-file` and `--tls-private-key-file` the API server serves a self-signed certificate that clients cannot verify.',
    remediation: 'Set `--tls-cert-file` and `--tls-private-key-file`.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
