import { kubeletCheck, kubeletValue } from '../kubelet-config.js';

/** CIS 4.2.11: Kubelet serving-certificate rotation is disabled. */
export default kubeletCheck({
  id: 'PAL-0858',
  name: 'kubelet-rotate-server-certificate',
  title: 'Kubelet serving-certificate rotation is disabled',
  severity: 'medium',
  frameworks: ['cis:4.2.11'],
  rule: (cfg) =>
    kubeletValue(cfg, '/featureGates/RotateKubeletServerCertificate').value === false
      ? { pointer: '/featureGates/RotateKubeletServerCertificate', message: 'turns the RotateKubeletServerCertificate feature gate off' }
      : undefined,
  docs: {
    description: 'Turning the RotateKubeletServerCertificate gate off stops the kubelet from renewing its serving certificate through the API.',
    remediation: 'Remove `RotateKubeletServerCertificate: false` from `featureGates`.',
    references: ['https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/'],
  },
});
