import { controlPlaneCheck, listContains, unlessFlag } from '../control-plane.js';

/** CIS 1.2.8: flags an kube-apiserver that fails the control (API server authorisation does not include RBAC). */
export default controlPlaneCheck({
  id: 'PAL-0807',
  name: 'apiserver-authorization-rbac',
  title: 'API server authorisation does not include RBAC',
  severity: 'high',
  frameworks: ['cis:1.2.8', 'nsa:NSA-24'],
  component: 'kube-apiserver',
  rule: unlessFlag('authorization-config', listContains('authorization-mode', 'RBAC')),
  docs: {
    description: 'Without the RBAC authorizer Roles and RoleBindings have no effect, so least-privilege access cannot be expressed.',
    remediation: 'Include `RBAC` in `--authorization-mode`.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
