import { controlPlaneCheck, requireFlags } from '../control-plane.js';

/** CIS 1.2.5: flags an kube-apiserver that fails the control (API server does not verify kubelet serving certificates). */
export default controlPlaneCheck({
  id: 'PAL-0804',
  name: 'apiserver-kubelet-certificate-authority',
  title: 'API server does not verify kubelet serving certificates',
  severity: 'high',
  frameworks: ['cis:1.2.5', 'nsa:NSA-16'],
  component: 'kube-apiserver',
  rule: requireFlags('kubelet-certificate-authority'),
  docs: {
    description:
      'Without `--kubelet-certificate-authority` the API server does not verify the certificate of the kubelet it connects to, so a machine in the middle can receive exec sessions and logs.',
    remediation: 'Set `--kubelet-certificate-authority` to the CA that signs kubelet serving certificates.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
