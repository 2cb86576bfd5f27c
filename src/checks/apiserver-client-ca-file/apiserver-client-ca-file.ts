import { controlPlaneCheck, requireFlags } from '../control-plane.js';

/** CIS 1.2.25: flags an kube-apiserver that fails the control (API server has no client CA). */
export default controlPlaneCheck({
  id: 'PAL-0823',
  name: 'apiserver-client-ca-file',
  title: 'API server has no client CA',
  severity: 'high',
  frameworks: ['cis:1.2.25', 'nsa:NSA-16'],
  component: 'kube-apiserver',
  rule: requireFlags('client-ca-file'),
  docs: {
    description:
      '`--client-ca-file` is the CA that verifies client certificates; without it certificate authentication (used by kubelets and components) is off.',
    remediation: 'Set `--client-ca-file`.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
