import { controlPlaneCheck, listContains } from '../control-plane.js';

/** CIS 1.2.11: flags an kube-apiserver that fails the control (API server does not enable AlwaysPullImages). */
export default controlPlaneCheck({
  id: 'PAL-0810',
  name: 'apiserver-always-pull-images',
  title: 'API server does not enable AlwaysPullImages',
  severity: 'medium',
  frameworks: ['cis:1.2.11', 'mitre:T1525'],
  component: 'kube-apiserver',
  rule: listContains('enable-admission-plugins', 'AlwaysPullImages'),
  docs: {
    description: 'Without AlwaysPullImages a pod can use a private image already cached on its node without having the pull credentials for it.',
    remediation: 'Add `AlwaysPullImages` to `--enable-admission-plugins` on multi-tenant clusters.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
