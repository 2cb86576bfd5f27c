import { controlPlaneCheck, flagEquals } from '../control-plane.js';

/** CIS 2.6: flags an etcd that fails the control (etcd uses self-signed peer certificates). */
export default controlPlaneCheck({
  id: 'PAL-0842',
  name: 'etcd-peer-auto-tls',
  title: 'etcd uses self-signed peer certificates',
  severity: 'high',
  frameworks: ['cis:2.6', 'nsa:NSA-17'],
  component: 'etcd',
  rule: flagEquals('peer-auto-tls', 'false', 'ok'),
  docs: {
    description: 'With `--peer-auto-tls=true` etcd members use self-signed certificates and cannot verify each other.',
    remediation: 'Remove `--peer-auto-tls` or set it to false.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/', 'https://etcd.io/docs/v3.5/op-guide/security/'],
  },
});
