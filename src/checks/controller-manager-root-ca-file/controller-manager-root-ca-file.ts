import { controlPlaneCheck, requireFlags } from '../control-plane.js';

/** CIS 1.3.5: flags an kube-controller-manager that fails the control (Controller manager does not give pods the cluster CA). */
export default controlPlaneCheck({
  id: 'PAL-0832',
  name: 'controller-manager-root-ca-file',
  title: 'Controller manager does not give pods the cluster CA',
  severity: 'medium',
  frameworks: ['cis:1.3.5'],
  component: 'kube-controller-manager',
  rule: requireFlags('root-ca-file'),
  docs: {
    description: '`--root-ca-file` is put into service-account token volumes so that pods can verify the API server; without it they may skip verification.',
    remediation: 'Set `--root-ca-file` to the cluster CA.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/'],
  },
});
