import { defineCheck, type Violation } from '../../core/check.js';
import { describeObject } from '../../core/object.js';
import { frameworksOf, signsClientCertificates } from '../../rbac/capabilities.js';
import { describeGrants, evidenceOf, narrower } from '../../rbac/rules.js';
import { reviewedRole, rulesGranting } from '../../rbac/role-checks.js';

// The catalogue's issue-certificates entry (src/rbac/capabilities.ts): creating a CSR,
// approving it (update or patch of the approval subresource) and `approve` on a signer.
// The subject-level PAL-0412 needs all three; a role is reported as soon as it approves.
const FRAMEWORKS = frameworksOf('issue-certificates');

/** Approving CSRs mints client certificates, for any user or group the request names. */
export default defineCheck({
  id: 'PAL-0312',
  name: 'rbac-approve-csr',
  title: 'Role can approve certificate signing requests',
  severity: 'high',
  category: 'rbac',
  frameworks: FRAMEWORKS,
  docs: {
    description:
      'Approving a CertificateSigningRequest takes `update` (or `patch`) on `certificatesigningrequests/approval` and `approve` on the signer. ' +
      'With both, its holders can approve their own CSR for the `kubernetes.io/kube-apiserver-client` signer naming any user and group, `system:masters` included, ' +
      'and log in with it. A role that also grants creating CSRs holds the whole capability and is judged as rbac-subject-issue-certificates (PAL-0412) judges a subject: critical when the signer is the API server client signer (`kubernetes.io/kube-apiserver-client`, `kubernetes.io/*` or `*`), else medium; a role granting approval and a signer only is reported as high; a role granting only the approval subresource as medium, since the signer ' +
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
  uses: ['rbac'],
  evaluate({ models, resource }) {
    const role = reviewedRole(models.rbac, resource);
    if (!role) return undefined;
    const rules = rulesGranting(models.rbac, role, ['issue-certificates']);
    const kind = (prefix: string) => rules.filter((r) => r.matches.some((m) => m.probe.id.startsWith(prefix)));
    const approvals = kind('csr-approve:');
    if (approvals.length === 0) return undefined;
    const signers = kind('csr-signer:');
    const creates = kind('csr-create:');
    const signerNames = signers.flatMap((s) =>
      s.matches.some((m) => m.probe.id.startsWith('csr-signer:') && m.scope === 'all') ? ['*'] : s.rule.rule.resourceNames,
    );
    const only = (r: (typeof rules)[number], prefix: string) => r.grants.filter((_, i) => r.matches[i]?.probe.id.startsWith(prefix));
    const signerText = signers.map((s) => `rule ${s.rule.index} grants ${describeGrants(only(s, 'csr-signer:'), s.rule.rule)}`).join(', ');
    const out: Violation[] = [];
    for (const a of approvals) {
      const granted = `${describeObject(resource.ref)} rule ${a.rule.index} grants ${describeGrants(only(a, 'csr-approve:'), a.rule.rule)}`;
      // The whole capability in one role: the subject-level verdict (critical for the API
      // server client signer, which signs any identity, system:masters included).
      const whole = signers.length > 0 && creates.length > 0;
      const base = whole ? (signsClientCertificates(signerNames) ? 'critical' : 'medium') : signers.length > 0 ? 'high' : 'medium';
      const named = a.matches.filter((m) => m.probe.id.startsWith('csr-approve:')).every((m) => m.scope === 'named');
      out.push({
        path: `/rules/${a.rule.index}`,
        message:
          signers.length > 0
            ? `${granted} and ${signerText}: its holders can approve certificates for any identity`
            : `${granted}: with approve on signers.certificates.k8s.io, which this role does not grant but another may, its holders can approve certificates for any identity`,
        severity: named ? narrower(base) : base,
        evidence: evidenceOf(a.rule.rule),
      });
    }
    return out;
  },
});
