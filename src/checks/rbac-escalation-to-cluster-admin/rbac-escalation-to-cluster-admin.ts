import { defineEscalationCheck } from '../../rbac/subject-checks.js';

/** Several permissions that look harmless alone may chain up to full control. */
export default defineEscalationCheck({
  id: 'PAL-0421',
  name: 'rbac-escalation-to-cluster-admin',
  title: 'Subject can escalate to cluster-admin',
  severity: 'critical',
  frameworks: ['cis:5.1.8', 'mitre:T1098.006', 'mitre:T1078'],
  docs: {
    description:
      'Palisade builds a graph of escalation primitives from every identity: creating or changing workloads (run as any service account of the ' +
      'namespace), exec, attach, ephemeral containers and pod patches (act as a running pod’s service account), `nodes/proxy` (the kubelet API), ' +
      'token requests and token Secrets, impersonation, `bind`, `escalate` on a role one is bound to, and certificate signing requests approved for ' +
      'the API server client signer. A subject with a chain of such steps to an identity that holds every permission (or to `system:masters`) is ' +
      'cluster-admin in all but name. The finding carries the shortest chain, each step with the binding and rule that allow it; ' +
      '`palisade rbac paths` prints them. Subjects that hold every permission directly are reported by rbac-subject-cluster-admin (PAL-0400).',
    remediation:
      'Break the chain at its cheapest link, usually the first step: remove the permission, move the powerful service account out of namespaces ' +
      'others can deploy to, or stop mounting its token.',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks'],
  },
  target: 'cluster-admin',
});
