import { controlPlaneCheck, gateNotDisabled } from '../control-plane.js';

/** CIS 1.3.6: flags an kube-controller-manager that fails the control (Controller manager disables kubelet serving-certificate rotation). */
export default controlPlaneCheck({
  id: 'PAL-0833',
  name: 'controller-manager-rotate-server-certificate',
  title: 'Controller manager disables kubelet serving-certificate rotation',
  severity: 'medium',
  frameworks: ['cis:1.3.6'],
  component: 'kube-controller-manager',
  rule: gateNotDisabled('RotateKubeletServerCertificate'),
  docs: {
    description: 'Turning the RotateKubeletServerCertificate feature gate off stops kubelet serving certificates from being renewed through the API.',
    remediation: 'Remove `RotateKubeletServerCertificate=false` from `--feature-gates`.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/'],
  },
});
