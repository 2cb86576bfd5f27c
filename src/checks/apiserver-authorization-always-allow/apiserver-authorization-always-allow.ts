import { controlPlaneCheck, allOf, listLacks, requireFlags, unlessFlag } from '../control-plane.js';

/** CIS 1.2.6: flags an kube-apiserver that fails the control (API server authorises every request (AlwaysAllow)). */
export default controlPlaneCheck({
  id: 'PAL-0805',
  name: 'apiserver-authorization-always-allow',
  title: 'API server authorises every request (AlwaysAllow)',
  severity: 'critical',
  frameworks: ['cis:1.2.6', 'nsa:NSA-24'],
  component: 'kube-apiserver',
  rule: unlessFlag('authorization-config', allOf(requireFlags('authorization-mode'), listLacks('authorization-mode', 'AlwaysAllow'))),
  docs: {
    description:
      'With `AlwaysAllow` in `--authorization-mode` (the default when the flag is unset) every authenticated request is allowed, whatever RBAC says.',
    remediation: 'Set `--authorization-mode=Node,RBAC` (or use `--authorization-config` with the Node and RBAC authorizers).',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
