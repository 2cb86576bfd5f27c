import { controlPlaneCheck, listContains } from '../control-plane.js';

/** CIS 1.2.3: flags an kube-apiserver that fails the control (API server does not enable DenyServiceExternalIPs). */
export default controlPlaneCheck({
  id: 'PAL-0802',
  name: 'apiserver-deny-service-external-ips',
  title: 'API server does not enable DenyServiceExternalIPs',
  severity: 'medium',
  frameworks: ['cis:1.2.3'],
  component: 'kube-apiserver',
  rule: listContains('enable-admission-plugins', 'DenyServiceExternalIPs'),
  docs: {
    description:
      'Without the DenyServiceExternalIPs admission plugin anyone who can create a Service can set `externalIPs` and intercept traffic to those addresses (CVE-2020-8554).',
    remediation: 'Add `DenyServiceExternalIPs` to `--enable-admission-plugins`.',
    references: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'],
  },
});
