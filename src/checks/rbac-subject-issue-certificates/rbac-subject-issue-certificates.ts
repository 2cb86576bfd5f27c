import { signsClientCertificates } from '../../rbac/capabilities.js';
import { defineSubjectCheck } from '../../rbac/subject-checks.js';

/** Subject can create, approve and get signed certificate requests: evaluated on effective permissions, reported per subject. */
export default defineSubjectCheck({
  id: 'PAL-0412',
  name: 'rbac-subject-issue-certificates',
  title: 'Subject can create, approve and get signed certificate requests',
  severity: 'critical',
  docs: {
    description:
      'Creating a CertificateSigningRequest, updating its approval and holding `approve` on a signer lets a subject issue itself a certificate. With the `kubernetes.io/kube-apiserver-client` signer (or `kubernetes.io/*`, `*`), the certificate authenticates to the API server as any user and group it names, `system:masters` included: critical. Other signers (kubelet serving, kubelet client) are medium.',
    remediation: 'Keep CSR approval with the controllers that need it; never grant `approve` on the kube-apiserver-client signer together with CSR creation.',
    references: [
      'https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#authorization',
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#csrs-and-certificate-issuing',
    ],
  },
  capability: 'issue-certificates',
  verdict(c) {
    const names = c.grants.filter((g) => g.probe.id.startsWith('csr-signer:')).flatMap((g) => (g.scope === 'all' ? ['*'] : g.names));
    return signsClientCertificates(names)
      ? { text: 'can issue itself an API server client certificate for any identity', severity: 'critical' }
      : { text: 'can issue itself certificates', severity: 'medium' };
  },
});
