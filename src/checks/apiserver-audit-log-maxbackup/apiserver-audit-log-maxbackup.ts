import { controlPlaneCheck, atLeast } from '../control-plane.js';

/** CIS 1.2.18: flags an kube-apiserver that fails the control (API server keeps fewer than 10 audit log files). */
export default controlPlaneCheck({
  id: 'PAL-0817',
  name: 'apiserver-audit-log-maxbackup',
  title: 'API server keeps fewer than 10 audit log files',
  severity: 'low',
  frameworks: ['cis:1.2.18', 'nsa:NSA-26'],
  component: 'kube-apiserver',
  rule: atLeast('audit-log-maxbackup', 10),
  docs: {
    description: '`--audit-log-maxbackup` sets how many rotated audit log files are kept; CIS asks for at least 10.',
    remediation: 'Set `--audit-log-maxbackup=10` or more.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
