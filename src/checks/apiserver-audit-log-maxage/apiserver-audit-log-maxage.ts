import { controlPlaneCheck, atLeast } from '../control-plane.js';

/** CIS 1.2.17: flags an kube-apiserver that fails the control (API server keeps audit logs for less than 30 days). */
export default controlPlaneCheck({
  id: 'PAL-0816',
  name: 'apiserver-audit-log-maxage',
  title: 'API server keeps audit logs for less than 30 days',
  severity: 'low',
  frameworks: ['cis:1.2.17', 'nsa:NSA-26'],
  component: 'kube-apiserver',
  rule: atLeast('audit-log-maxage', 30),
  docs: {
    description: '`--audit-log-maxage` sets how many days rotated audit logs are kept; CIS asks for at least 30 unless logs are shipped elsewhere.',
    remediation: 'Set `--audit-log-maxage=30` or more.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
