import { controlPlaneCheck, flagEquals } from '../control-plane.js';

/** CIS 1.2.15: flags an kube-apiserver that fails the control (API server exposes profiling). */
export default controlPlaneCheck({
  id: 'PAL-0814',
  name: 'apiserver-profiling',
  title: 'API server exposes profiling',
  severity: 'low',
  frameworks: ['cis:1.2.15'],
  component: 'kube-apiserver',
  rule: flagEquals('profiling', 'false', 'true'),
  docs: {
    description: 'Profiling endpoints reveal detailed program internals and cost resources; CIS asks to turn them off in production.',
    remediation: 'Set `--profiling=false`.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
