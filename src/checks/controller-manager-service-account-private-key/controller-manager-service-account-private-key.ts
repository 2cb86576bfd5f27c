import { controlPlaneCheck, requireFlags } from '../control-plane.js';

/** CIS 1.3.4: flags an kube-controller-manager that fails the control (Controller manager has no service-account signing key). */
export default controlPlaneCheck({
  id: 'PAL-0831',
  name: 'controller-manager-service-account-private-key',
  title: 'Controller manager has no service-account signing key',
  severity: 'medium',
  frameworks: ['cis:1.3.4'],
  component: 'kube-controller-manager',
  rule: requireFlags('service-account-private-key-file'),
  docs: {
    description: '`--service-account-private-key-file` is the key that signs service-account tokens; setting it explicitly allows key rotation.',
    remediation: 'Set `--service-account-private-key-file`.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/'],
  },
});
