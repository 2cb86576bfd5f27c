import { controlPlaneCheck, listContains } from '../control-plane.js';

/** CIS 1.2.14: flags an kube-apiserver that fails the control (API server does not enable NodeRestriction). */
export default controlPlaneCheck({
  id: 'PAL-0813',
  name: 'apiserver-node-restriction',
  title: 'API server does not enable NodeRestriction',
  severity: 'high',
  frameworks: ['cis:1.2.14', 'nsa:NSA-24'],
  component: 'kube-apiserver',
  rule: listContains('enable-admission-plugins', 'NodeRestriction'),
  docs: {
    description:
      'The NodeRestriction admission plugin stops a kubelet from modifying other nodes and pods not bound to it; without it one compromised node can relabel others to attract workloads.',
    remediation: 'Add `NodeRestriction` to `--enable-admission-plugins`.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
