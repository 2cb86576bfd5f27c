import { defineCheck } from '../../core/check.js';
import { describeGrants, evidenceOf, grantsByRule, isReviewedRole, narrower, queriesOf } from '../../rbac/rules.js';
import { describeObject } from '../../core/object.js';

const CERTS = 'certificates.k8s.io';
// `kubectl certificate approve` updates the approval subresource; a patch does the same.
const APPROVAL = queriesOf(['update', 'patch'], CERTS, ['certificatesigningrequests/approval']);
// The CSR registry also requires `approve` on the signer (by name, or `<domain>/*`).
const SIGNER = queriesOf(['approve'], CERTS, ['signers']);

/** Approving CSRs mints client certificates, for any user or group the request names. */
export default defineCheck({
  id: 'PAL-0312',
  name: 'rbac-approve-csr',
  title: 'Role can approve certificate signing requests',
  severity: 'high',
  category: 'rbac',
  frameworks: ['cis:5.1.11'],
  docs: {
    description:
      'Approving a CertificateSigningRequest takes `update` (or `patch`) on `certificatesigningrequests/approval` and `approve` on the signer. ' +
      'With both, its holders can approve their own CSR for the `kubernetes.io/kube-apiserver-client` signer naming any user and group, `system:masters` included, ' +
      'and log in with it. A role granting both is reported as high; a role granting only the approval subresource as medium, since the signer ' +
      'permission may come from another role bound to the same subject. One step lower when the approval rule is limited to resourceNames. ' +
      'A Role cannot grant either (both are cluster-scoped), so only ClusterRoles are reported. ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported.",
    remediation:
      'Keep CSR approval to the controller manager and cluster administrators; limit `approve` on signers with `resourceNames` to the signers a component needs.',
    references: [
      'https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#authorization',
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#csrs-and-certificate-issuing',
    ],
  },
  target: { kind: 'resource', kinds: ['Role', 'ClusterRole'] },
  evaluate({ resource }) {
    if (!isReviewedRole(resource)) return undefined;
    const approvals = grantsByRule(resource.object, APPROVAL);
    if (approvals.length === 0) return undefined;
    const signers = grantsByRule(resource.object, SIGNER);
    const signerText = signers.map((s) => `rule ${s.index} grants ${describeGrants(s.grants, s.rule)}`).join(', ');
    return approvals.map((a) => {
      const base = signers.length > 0 ? 'high' : 'medium';
      const named = a.grants.every((g) => g.scope === 'named');
      const granted = `${describeObject(resource.ref)} rule ${a.index} grants ${describeGrants(a.grants, a.rule)}`;
      return {
        path: a.path,
        message:
          signers.length > 0
            ? `${granted} and ${signerText}: its holders can approve certificates for any identity`
            : `${granted}: with approve on signers.certificates.k8s.io, which this role does not grant but another may, its holders can approve certificates for any identity`,
        severity: named ? narrower(base) : base,
        evidence: evidenceOf(a.rule),
      };
    });
  },
});
