import { controlPlaneCheck, flagEquals } from '../control-plane.js';

/** CIS 1.3.3: flags an kube-controller-manager that fails the control (Controller manager runs every controller with one identity). */
export default controlPlaneCheck({
  id: 'PAL-0830',
  name: 'controller-manager-service-account-credentials',
  title: 'Controller manager runs every controller with one identity',
  severity: 'medium',
  frameworks: ['cis:1.3.3'],
  component: 'kube-controller-manager',
  rule: flagEquals('use-service-account-credentials', 'true', 'false'),
  docs: {
    description:
      "With `--use-service-account-credentials=true` each controller uses its own service account and RBAC role; otherwise all run with the controller manager's broad identity.",
    remediation: 'Set `--use-service-account-credentials=true`.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/'],
  },
});
