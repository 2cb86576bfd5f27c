import { controlPlaneCheck, flagEquals } from '../control-plane.js';

/** CIS 2.3: flags an etcd that fails the control (etcd uses self-signed client certificates). */
export default controlPlaneCheck({
  id: 'PAL-0839',
  name: 'etcd-auto-tls',
  title: 'etcd uses self-signed client certificates',
  severity: 'high',
  frameworks: ['cis:2.3', 'nsa:NSA-17'],
  component: 'etcd',
  rule: flagEquals('auto-tls', 'false', 'ok'),
  docs: {
    description: 'With `--auto-tls=true` etcd generates a self-signed certificate that clients cannot verify.',
    remediation: 'Remove `--auto-tls` or set it to false, and give etcd a certificate from a CA.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/', 'https://etcd.io/docs/v3.5/op-guide/security/'],
  },
});
