import { controlPlaneCheck, requireFlags } from '../control-plane.js';

/** CIS 1.2.16: flags an kube-apiserver that fails the control (API server writes no audit log). */
export default controlPlaneCheck({
  id: 'PAL-0815',
  name: 'apiserver-audit-log-path',
  title: 'API server writes no audit log',
  severity: 'medium',
  frameworks: ['cis:1.2.16', 'nsa:NSA-26', 'soc2:CC7.2'],
  component: 'kube-apiserver',
  rule: requireFlags('audit-log-path'),
  docs: {
    description:
      'Without `--audit-log-path` (or an audit webhook) there is no record of who did what through the API, which incident response and threat detection need.',
    remediation: 'Set `--audit-log-path` and an audit policy (`--audit-policy-file`).',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
