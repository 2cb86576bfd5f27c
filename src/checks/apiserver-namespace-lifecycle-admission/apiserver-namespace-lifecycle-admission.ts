import { controlPlaneCheck, listLacks } from '../control-plane.js';

/** CIS 1.2.13: flags an kube-apiserver that fails the control (API server disables the NamespaceLifecycle admission plugin). */
export default controlPlaneCheck({
  id: 'PAL-0812',
  name: 'apiserver-namespace-lifecycle-admission',
  title: 'API server disables the NamespaceLifecycle admission plugin',
  severity: 'medium',
  frameworks: ['cis:1.2.13'],
  component: 'kube-apiserver',
  rule: listLacks('disable-admission-plugins', 'NamespaceLifecycle'),
  docs: {
    description:
      'The NamespaceLifecycle admission plugin refuses objects in namespaces that do not exist or are being deleted; without it objects can outlive their namespace and its policies.',
    remediation: 'Remove `NamespaceLifecycle` from `--disable-admission-plugins`.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
