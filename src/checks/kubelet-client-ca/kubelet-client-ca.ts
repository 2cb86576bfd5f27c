import { kubeletCheck, kubeletValue } from '../kubelet-config.js';

/** CIS 4.2.3: Kubelet has no client CA. */
export default kubeletCheck({
  id: 'PAL-0852',
  name: 'kubelet-client-ca',
  title: 'Kubelet has no client CA',
  severity: 'high',
  frameworks: ['cis:4.2.3', 'nsa:NSA-22'],
  rule: (cfg) => {
    const ca = kubeletValue(cfg, '/authentication/x509/clientCAFile').value;
    return typeof ca === 'string' && ca !== ''
      ? undefined
      : {
          pointer: '/authentication/x509/clientCAFile',
          message: "sets no authentication.x509.clientCAFile, so it cannot verify client certificates (the API server's included)",
        };
  },
  docs: {
    description: 'Without `authentication.x509.clientCAFile` the kubelet cannot authenticate the API server or other clients by certificate.',
    remediation: 'Set `authentication.x509.clientCAFile` to the cluster CA.',
    references: ['https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/'],
  },
});
