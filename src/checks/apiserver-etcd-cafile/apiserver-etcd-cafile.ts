import { controlPlaneCheck, requireFlags } from '../control-plane.js';

/** CIS 1.2.26: flags an kube-apiserver that fails the control (API server does not verify etcd's certificate). */
export default controlPlaneCheck({
  id: 'PAL-0824',
  name: 'apiserver-etcd-cafile',
  title: "API server does not verify etcd's certificate",
  severity: 'high',
  frameworks: ['cis:1.2.26', 'nsa:NSA-17'],
  component: 'kube-apiserver',
  rule: requireFlags('etcd-cafile'),
  docs: {
    description: 'Without `--etcd-cafile` the API server does not verify the certificate etcd presents, so it could send every Secret to an impostor.',
    remediation: 'Set `--etcd-cafile` to the etcd CA.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
