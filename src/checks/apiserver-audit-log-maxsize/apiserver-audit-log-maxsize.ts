import { controlPlaneCheck, atLeast } from '../control-plane.js';

/** CIS 1.2.19: flags an kube-apiserver that fails the control (API server rotates audit logs below 100 MB). */
export default controlPlaneCheck({
  id: 'PAL-0818',
  name: 'apiserver-audit-log-maxsize',
  title: 'API server rotates audit logs below 100 MB',
  severity: 'low',
  frameworks: ['cis:1.2.19', 'nsa:NSA-26'],
  component: 'kube-apiserver',
  rule: atLeast('audit-log-maxsize', 100),
  docs: {
    description: '`--audit-log-maxsize` sets the size in megabytes at which the audit log rotates; CIS asks for at least 100.',
    remediation: 'Set `--audit-log-maxsize=100` or more.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
