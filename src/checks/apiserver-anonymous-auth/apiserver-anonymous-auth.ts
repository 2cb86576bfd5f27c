import { controlPlaneCheck, flagEquals } from '../control-plane.js';

/** CIS 1.2.1: flags an kube-apiserver that fails the control (API server accepts anonymous requests). */
export default controlPlaneCheck({
  id: 'PAL-0800',
  name: 'apiserver-anonymous-auth',
  title: 'API server accepts anonymous requests',
  severity: 'high',
  frameworks: ['cis:1.2.1', 'nsa:NSA-21', 'mitre:T1078'],
  component: 'kube-apiserver',
  rule: flagEquals('anonymous-auth', 'false', 'true'),
  docs: {
    description:
      'Without `--anonymous-auth=false` the API server treats unauthenticated requests as the user `system:anonymous`; any RBAC grant to that user or to `system:unauthenticated` is then open to the network.',
    remediation:
      'Set `--anonymous-auth=false` in the kube-apiserver manifest (health checks use `/livez` and `/readyz`, which RBAC can expose to authenticated users).',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
