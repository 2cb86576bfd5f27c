import { controlPlaneCheck, flagEquals } from '../control-plane.js';

/** CIS 1.4.2: flags an kube-scheduler that fails the control (Scheduler listens on every interface). */
export default controlPlaneCheck({
  id: 'PAL-0836',
  name: 'scheduler-bind-address',
  title: 'Scheduler listens on every interface',
  severity: 'medium',
  frameworks: ['cis:1.4.2', 'nsa:NSA-19'],
  component: 'kube-scheduler',
  rule: flagEquals('bind-address', '127.0.0.1', 'ok'),
  docs: {
    description: "The scheduler's health and metrics port needs no remote access; binding it to 0.0.0.0 exposes it to the network.",
    remediation: 'Set `--bind-address=127.0.0.1`.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-scheduler/'],
  },
});
