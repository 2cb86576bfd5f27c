import { controlPlaneCheck, requireFlags } from '../control-plane.js';

/** CIS 1.2.4: flags an kube-apiserver that fails the control (API server has no client certificate for kubelets). */
export default controlPlaneCheck({
  id: 'PAL-0803',
  name: 'apiserver-kubelet-client-cert',
  title: 'API server has no client certificate for kubelets',
  severity: 'high',
  frameworks: ['cis:1.2.4', 'nsa:NSA-16'],
  component: 'kube-apiserver',
  rule: requireFlags('kubelet-client-certificate', 'kubelet-client-key'),
  docs: {
    description:
      'The API server authenticates to kubelets with `--kubelet-client-certificate` and `--kubelet-client-key`; without them kubelets must accept unauthenticated requests for exec, logs and port-forward.',
    remediation: 'Set `--kubelet-client-certificate` and `--kubelet-client-key` to a client certificate the kubelets trust.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
