import { controlPlaneCheck, flagEquals } from '../control-plane.js';

/** CIS 1.4.1: flags an kube-scheduler that fails the control (Scheduler exposes profiling). */
export default controlPlaneCheck({
  id: 'PAL-0835',
  name: 'scheduler-profiling',
  title: 'Scheduler exposes profiling',
  severity: 'low',
  frameworks: ['cis:1.4.1'],
  component: 'kube-scheduler',
  rule: flagEquals('profiling', 'false', 'true'),
  docs: {
    description: 'Profiling endpoints reveal program internals; CIS asks to turn them off on the scheduler.',
    remediation: 'Set `--profiling=false`.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-scheduler/'],
  },
});
