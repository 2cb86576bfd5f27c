import { controlPlaneCheck, listContains } from '../control-plane.js';

/** CIS 1.2.9: flags an kube-apiserver that fails the control (API server does not limit the event rate). */
export default controlPlaneCheck({
  id: 'PAL-0808',
  name: 'apiserver-event-rate-limit',
  title: 'API server does not limit the event rate',
  severity: 'low',
  frameworks: ['cis:1.2.9', 'nsa:NSA-15', 'mitre:T1499'],
  component: 'kube-apiserver',
  rule: listContains('enable-admission-plugins', 'EventRateLimit'),
  docs: {
    description:
      'The EventRateLimit admission plugin caps how fast events are accepted; without it a noisy or hostile client can flood the API server and etcd with events.',
    remediation: 'Add `EventRateLimit` to `--enable-admission-plugins` and configure it in the file named by `--admission-control-config-file`.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
