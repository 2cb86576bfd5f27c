import { kubeletCheck, kubeletValue } from '../kubelet-config.js';

/** CIS 4.2.10: Kubelet client-certificate rotation is disabled. */
export default kubeletCheck({
  id: 'PAL-0857',
  name: 'kubelet-rotate-certificates',
  title: 'Kubelet client-certificate rotation is disabled',
  severity: 'medium',
  frameworks: ['cis:4.2.10'],
  rule: (cfg) =>
    kubeletValue(cfg, '/rotateCertificates').set && kubeletValue(cfg, '/rotateCertificates').value === false
      ? { pointer: '/rotateCertificates', message: 'sets rotateCertificates: false, so its client certificate is not renewed before it expires' }
      : undefined,
  docs: {
    description:
      'With `rotateCertificates: false` the kubelet does not renew its client certificate; nodes drop out when it expires, or long-lived certificates are issued instead.',
    remediation: 'Set `rotateCertificates: true`.',
    references: ['https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/'],
  },
});
