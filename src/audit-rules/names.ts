/**
 * The ids and names of the built-in audit rules, without the rules: what a scan needs to accept
 * configuration entries that name an audit rule (one configuration serves `palisade scan` and
 * `palisade audit`), without loading the rules and their CEL environment. `names.test.ts` keeps
 * it equal to {@link builtinAuditRules}.
 */

/** [id, name] of every built-in audit rule, in id order. */
export const AUDIT_RULE_NAMES: readonly (readonly [string, string])[] = [
  ['PAL-A001', 'pod-exec'],
  ['PAL-A002', 'pod-attach'],
  ['PAL-A003', 'pod-port-forward'],
  ['PAL-A004', 'ephemeral-container-added'],
  ['PAL-A005', 'node-proxy'],
  ['PAL-A006', 'node-registered-by-non-node'],
  ['PAL-A010', 'privileged-pod-written'],
  ['PAL-A011', 'host-namespace-pod-written'],
  ['PAL-A012', 'sensitive-host-path-mount'],
  ['PAL-A013', 'dangerous-capabilities-added'],
  ['PAL-A014', 'workload-in-kube-namespace'],
  ['PAL-A020', 'role-with-wildcard'],
  ['PAL-A021', 'role-grants-exec-or-secrets'],
  ['PAL-A022', 'role-grants-escalate-bind-impersonate'],
  ['PAL-A023', 'cluster-admin-binding'],
  ['PAL-A024', 'system-role-modified'],
  ['PAL-A025', 'rbac-written-by-non-admin'],
  ['PAL-A026', 'self-binding'],
  ['PAL-A027', 'cluster-role-with-write-privileges'],
  ['PAL-A030', 'secret-read-by-unexpected-identity'],
  ['PAL-A031', 'secret-read-denied'],
  ['PAL-A032', 'service-account-token-requested'],
  ['PAL-A033', 'csr-created'],
  ['PAL-A034', 'csr-approved'],
  ['PAL-A035', 'impersonation'],
  ['PAL-A036', 'anonymous-request-allowed'],
  ['PAL-A037', 'configmap-with-credentials'],
  ['PAL-A038', 'service-account-in-kube-namespace'],
  ['PAL-A039', 'permission-enumeration'],
  ['PAL-A040', 'admission-control-changed'],
  ['PAL-A041', 'events-deleted'],
  ['PAL-A045', 'nodeport-service'],
  ['PAL-A046', 'ingress-without-tls'],
  ['PAL-A101', 'denied-then-allowed'],
  ['PAL-A102', 'secret-enumeration'],
  ['PAL-A103', 'forbidden-burst'],
  ['PAL-A104', 'new-grant-used'],
];
