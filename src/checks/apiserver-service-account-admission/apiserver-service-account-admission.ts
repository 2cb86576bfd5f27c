import { controlPlaneCheck, listLacks } from '../control-plane.js';

/** CIS 1.2.12: flags an kube-apiserver that fails the control (API server disables the ServiceAccount admission plugin). */
export default controlPlaneCheck({
  id: 'PAL-0811',
  name: 'apiserver-service-account-admission',
  title: 'API server disables the ServiceAccount admission plugin',
  severity: 'medium',
  frameworks: ['cis:1.2.12'],
  component: 'kube-apiserver',
  rule: listLacks('disable-admission-plugins', 'ServiceAccount'),
  docs: {
    description:
      'The ServiceAccount admission plugin gives each pod a service account and checks that it exists; disabling it lets pods run under accounts that were never created.',
    remediation: 'Remove `ServiceAccount` from `--disable-admission-plugins`.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
