import { kubeletCheck, kubeletValue } from '../kubelet-config.js';

/** CIS 4.2.2: Kubelet authorises every request (AlwaysAllow). */
export default kubeletCheck({
  id: 'PAL-0851',
  name: 'kubelet-authorization-always-allow',
  title: 'Kubelet authorises every request (AlwaysAllow)',
  severity: 'critical',
  frameworks: ['cis:4.2.2', 'nsa:NSA-24', 'ms:MS-TA9030'],
  rule: (cfg) =>
    kubeletValue(cfg, '/authorization/mode').value !== 'AlwaysAllow'
      ? undefined
      : { pointer: '/authorization/mode', message: 'uses authorization.mode AlwaysAllow, so every authenticated client may exec into its pods' },
  docs: {
    description:
      'With `authorization.mode: AlwaysAllow` the kubelet lets every client that authenticates run commands in pods, read logs and port-forward, whatever RBAC says.',
    remediation: 'Set `authorization.mode: Webhook` so the kubelet asks the API server (SubjectAccessReview).',
    references: ['https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/'],
  },
});
