import { controlPlaneCheck, forbidFlag } from '../control-plane.js';

/** CIS 1.2.2: flags an kube-apiserver that fails the control (API server uses a static token file). */
export default controlPlaneCheck({
  id: 'PAL-0801',
  name: 'apiserver-token-auth-file',
  title: 'API server uses a static token file',
  severity: 'high',
  frameworks: ['cis:1.2.2', 'nsa:NSA-23'],
  component: 'kube-apiserver',
  rule: forbidFlag('token-auth-file'),
  docs: {
    description:
      'Tokens in a `--token-auth-file` are long-lived bearer credentials stored in clear text on the control-plane node; they cannot be revoked without restarting the API server.',
    remediation: 'Remove `--token-auth-file` and authenticate people with OIDC or client certificates and workloads with bound service-account tokens.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
