import { kubeletCheck, kubeletValue } from '../kubelet-config.js';

/** CIS 4.2.9: Kubelet serves a self-signed certificate. */
export default kubeletCheck({
  id: 'PAL-0856',
  name: 'kubelet-tls-cert',
  title: 'Kubelet serves a self-signed certificate',
  severity: 'medium',
  frameworks: ['cis:4.2.9', 'nsa:NSA-16'],
  rule: (cfg) => {
    const cert = kubeletValue(cfg, '/tlsCertFile').value;
    const key = kubeletValue(cfg, '/tlsPrivateKeyFile').value;
    if (kubeletValue(cfg, '/serverTLSBootstrap').value === true || (typeof cert === 'string' && cert !== '' && typeof key === 'string' && key !== ''))
      return undefined;
    return {
      pointer: '/tlsCertFile',
      message: 'sets neither tlsCertFile and tlsPrivateKeyFile nor serverTLSBootstrap, so it serves a self-signed certificate',
    };
  },
  docs: {
    description:
      'Without `tlsCertFile` and `tlsPrivateKeyFile` (or `serverTLSBootstrap: true`) the kubelet generates a self-signed serving certificate that the API server cannot verify.',
    remediation: 'Set `tlsCertFile` and `tlsPrivateKeyFile`, or `serverTLSBootstrap: true` with CSR approval.',
    references: ['https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/'],
  },
});
