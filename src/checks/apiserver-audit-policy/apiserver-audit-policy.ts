import { controlPlaneCheck, requireFlags } from '../control-plane.js';

/** CIS 3.2.1: flags an kube-apiserver that fails the control (API server has no audit policy). */
export default controlPlaneCheck({
  id: 'PAL-0843',
  name: 'apiserver-audit-policy',
  title: 'API server has no audit policy',
  severity: 'medium',
  frameworks: ['cis:3.2.1', 'nsa:NSA-26', 'soc2:CC7.2'],
  component: 'kube-apiserver',
  rule: requireFlags('audit-policy-file'),
  docs: {
    description: 'Without `--audit-policy-file` the API server records no audit events, even when an audit log path is set.',
    remediation: 'Set `--audit-policy-file` to a policy that records at least metadata for every request (see CIS 3.2.2).',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
