import { controlPlaneCheck, flagEquals } from '../control-plane.js';

/** CIS 1.3.7: flags an kube-controller-manager that fails the control (Controller manager listens on every interface). */
export default controlPlaneCheck({
  id: 'PAL-0834',
  name: 'controller-manager-bind-address',
  title: 'Controller manager listens on every interface',
  severity: 'medium',
  frameworks: ['cis:1.3.7', 'nsa:NSA-19'],
  component: 'kube-controller-manager',
  rule: flagEquals('bind-address', '127.0.0.1', 'ok'),
  docs: {
    description: "The controller manager's health and metrics port needs no remote access; binding it to 0.0.0.0 exposes it to the network.",
    remediation: 'Set `--bind-address=127.0.0.1`.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/'],
  },
});
