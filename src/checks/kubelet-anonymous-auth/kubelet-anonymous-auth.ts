import { kubeletCheck, kubeletValue } from '../kubelet-config.js';

/** CIS 4.2.1: Kubelet accepts anonymous requests. */
export default kubeletCheck({
  id: 'PAL-0850',
  name: 'kubelet-anonymous-auth',
  title: 'Kubelet accepts anonymous requests',
  severity: 'critical',
  frameworks: ['cis:4.2.1', 'nsa:NSA-21', 'mitre:T1613', 'ms:MS-TA9030'],
  rule: (cfg) =>
    kubeletValue(cfg, '/authentication/anonymous/enabled').value === false
      ? undefined
      : { pointer: '/authentication/anonymous/enabled', message: 'accepts anonymous requests (authentication.anonymous.enabled is not false)' },
  docs: {
    description:
      'With anonymous authentication on, anyone who reaches the kubelet port (10250) is served as `system:anonymous`; combined with a permissive authorizer that is remote code execution on every pod of the node.',
    remediation: 'Set `authentication.anonymous.enabled: false` in the kubelet configuration (or `--anonymous-auth=false`).',
    references: ['https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/'],
  },
});
