import { controlPlaneCheck, listContains, unlessFlag } from '../control-plane.js';

/** CIS 1.2.7: flags an kube-apiserver that fails the control (API server authorisation does not include Node). */
export default controlPlaneCheck({
  id: 'PAL-0806',
  name: 'apiserver-authorization-node',
  title: 'API server authorisation does not include Node',
  severity: 'medium',
  frameworks: ['cis:1.2.7', 'nsa:NSA-24'],
  component: 'kube-apiserver',
  rule: unlessFlag('authorization-config', listContains('authorization-mode', 'Node')),
  docs: {
    description:
      'The Node authorizer limits each kubelet to the objects of the pods bound to its node; without it a compromised node reads every Secret its RBAC grants allow.',
    remediation: 'Include `Node` in `--authorization-mode` (with the NodeRestriction admission plugin).',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
