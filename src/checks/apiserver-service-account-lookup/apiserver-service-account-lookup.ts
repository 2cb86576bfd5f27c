import { controlPlaneCheck, flagEquals } from '../control-plane.js';

/** CIS 1.2.21: flags an kube-apiserver that fails the control (API server does not check that service-account tokens still exist). */
export default controlPlaneCheck({
  id: 'PAL-0819',
  name: 'apiserver-service-account-lookup',
  title: 'API server does not check that service-account tokens still exist',
  severity: 'medium',
  frameworks: ['cis:1.2.21'],
  component: 'kube-apiserver',
  rule: flagEquals('service-account-lookup', 'true', 'ok'),
  docs: {
    description: 'With `--service-account-lookup=false` a token of a deleted service account stays valid until it expires.',
    remediation: 'Remove `--service-account-lookup=false` (the default is true).',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
