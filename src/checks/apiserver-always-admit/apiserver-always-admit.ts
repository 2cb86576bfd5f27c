import { controlPlaneCheck, listLacks } from '../control-plane.js';

/** CIS 1.2.10: flags an kube-apiserver that fails the control (API server enables the AlwaysAdmit admission plugin). */
export default controlPlaneCheck({
  id: 'PAL-0809',
  name: 'apiserver-always-admit',
  title: 'API server enables the AlwaysAdmit admission plugin',
  severity: 'high',
  frameworks: ['cis:1.2.10'],
  component: 'kube-apiserver',
  rule: listLacks('enable-admission-plugins', 'AlwaysAdmit'),
  docs: {
    description: 'The AlwaysAdmit admission plugin admits every request, bypassing the other admission controls; it is deprecated and unsafe.',
    remediation: 'Remove `AlwaysAdmit` from `--enable-admission-plugins`.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
