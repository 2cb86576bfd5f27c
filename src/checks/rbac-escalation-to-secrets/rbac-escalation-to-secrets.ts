import { defineEscalationCheck } from '../../rbac/subject-checks.js';

/** Reading every Secret is most of what an attacker wants from a cluster. */
export default defineEscalationCheck({
  id: 'PAL-0422',
  name: 'rbac-escalation-to-secrets',
  title: 'Subject can escalate to reading every Secret',
  severity: 'high',
  frameworks: ['cis:5.1.2', 'mitre:T1552.007', 'ms:MS-TA9025'],
  docs: {
    description:
      'Like rbac-escalation-to-cluster-admin (PAL-0421), but towards an identity that can list Secrets in every namespace: a chain of escalation ' +
      'primitives (workload creation, exec, token requests, impersonation, bind...) that ends with every Secret of the cluster readable. Subjects ' +
      'that can reach cluster-admin are reported by PAL-0421 only; subjects that list every Secret directly by rbac-subject-read-secrets (PAL-0401).',
    remediation: 'Break the chain at its first step, or take cluster-wide Secret access away from the identity at its end.',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets'],
  },
  target: 'all-secrets',
});
