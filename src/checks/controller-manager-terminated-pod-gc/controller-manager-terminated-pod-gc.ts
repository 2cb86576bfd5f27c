import { controlPlaneCheck, requireFlags } from '../control-plane.js';

/** CIS 1.3.1: flags an kube-controller-manager that fails the control (Controller manager keeps every terminated pod). */
export default controlPlaneCheck({
  id: 'PAL-0828',
  name: 'controller-manager-terminated-pod-gc',
  title: 'Controller manager keeps every terminated pod',
  severity: 'low',
  frameworks: ['cis:1.3.1'],
  component: 'kube-controller-manager',
  rule: requireFlags('terminated-pod-gc-threshold'),
  docs: {
    description: '`--terminated-pod-gc-threshold` bounds how many terminated pods are kept; CIS asks to set it so that the count is deliberate.',
    remediation: 'Set `--terminated-pod-gc-threshold`, e.g. 10.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/'],
  },
});
