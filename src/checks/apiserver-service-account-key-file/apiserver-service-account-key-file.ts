import { controlPlaneCheck, requireFlags } from '../control-plane.js';

/** CIS 1.2.22: flags an kube-apiserver that fails the control (API server has no service-account verification key). */
export default controlPlaneCheck({
  id: 'PAL-0820',
  name: 'apiserver-service-account-key-file',
  title: 'API server has no service-account verification key',
  severity: 'medium',
  frameworks: ['cis:1.2.22'],
  component: 'kube-apiserver',
  rule: requireFlags('service-account-key-file'),
  docs: {
    description: '`--service-account-key-file` names the public keys that verify service-account tokens; setting it explicitly allows key rotation.',
    remediation: "Set `--service-account-key-file` to the public key matching the controller manager's `--service-account-private-key-file`.",
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
