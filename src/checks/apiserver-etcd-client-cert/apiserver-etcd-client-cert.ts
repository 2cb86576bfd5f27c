import { controlPlaneCheck, requireFlags } from '../control-plane.js';

/** CIS 1.2.23: flags an kube-apiserver that fails the control (API server does not authenticate to etcd with a certificate). */
export default controlPlaneCheck({
  id: 'PAL-0821',
  name: 'apiserver-etcd-client-cert',
  title: 'API server does not authenticate to etcd with a certificate',
  severity: 'high',
  frameworks: ['cis:1.2.23', 'nsa:NSA-17'],
  component: 'kube-apiserver',
  rule: requireFlags('etcd-certfile', 'etcd-keyfile'),
  docs: {
    description:
      'etcd holds every Secret of the cluster; the API server must authenticate to it with a client certificate (`--etcd-certfile`, `--etcd-keyfile`) so that etcd can refuse everyone else.',
    remediation: 'Set `--etcd-certfile` and `--etcd-keyfile`, and `--client-cert-auth=true` on etcd.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
