import { controlPlaneCheck, flagEquals } from '../control-plane.js';

/** CIS 1.3.2: flags an kube-controller-manager that fails the control (Controller manager exposes profiling). */
export default controlPlaneCheck({
  id: 'PAL-0829',
  name: 'controller-manager-profiling',
  title: 'Controller manager exposes profiling',
  severity: 'low',
  frameworks: ['cis:1.3.2'],
  component: 'kube-controller-manager',
  rule: flagEquals('profiling', 'false', 'true'),
  docs: {
    description: 'Profiling endpoints reveal program internals; CIS asks to turn them off on the controller manager.',
    remediation: 'Set `--profiling=false`.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/'],
  },
});
