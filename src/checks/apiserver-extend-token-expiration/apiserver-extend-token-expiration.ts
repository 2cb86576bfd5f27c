import { controlPlaneCheck, flagEquals } from '../control-plane.js';

/** CIS 1.2.30: flags an kube-apiserver that fails the control (API server extends service-account token lifetimes). */
export default controlPlaneCheck({
  id: 'PAL-0827',
  name: 'apiserver-extend-token-expiration',
  title: 'API server extends service-account token lifetimes',
  severity: 'low',
  frameworks: ['cis:1.2.30', 'mitre:T1528'],
  component: 'kube-apiserver',
  rule: flagEquals('service-account-extend-token-expiration', 'false', 'true'),
  docs: {
    description:
      'By default the API server issues projected tokens valid for a year to ease migration (`--service-account-extend-token-expiration=true`); a stolen token then stays useful far longer than its nominal hour.',
    remediation: 'Set `--service-account-extend-token-expiration=false` once workloads refresh their tokens.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
