import { defineCheck } from '../../core/check.js';
import { UNSET_NAMESPACE } from '../../core/inventory.js';
import type { Severity } from '../../core/types.js';
import { type Capability, type CapabilityId, capabilitiesOfSubject, describeReach } from '../../rbac/capabilities.js';
import type { RbacModel } from '../../rbac/model.js';
import { type EscalationPath, escalationPathsOf } from '../../rbac/paths.js';
import { describePath, pathEvidence } from '../../rbac/subject-checks.js';

// Capabilities that let whoever holds the pod's token take other identities or data.
const RISKY: readonly CapabilityId[] = [
  'read-secrets',
  'create-workloads',
  'pod-exec',
  'pod-attach',
  'ephemeral-containers',
  'nodes-proxy',
  'escalate',
  'bind',
  'impersonate',
  'create-tokens',
  'issue-certificates',
  'modify-webhooks',
  'modify-rbac',
];

/** `read-secrets, pod-exec in namespace shop; nodes-proxy cluster-wide`. */
function byReach(capabilities: readonly Capability[]): string {
  const groups = new Map<string, string[]>();
  for (const c of capabilities) groups.set(describeReach(c), [...(groups.get(describeReach(c)) ?? []), c.id]);
  return [...groups].map(([reach, ids]) => `${ids.join(', ')} ${reach}`).join('; ');
}

const LOWER: Readonly<Record<Severity, Severity>> = { critical: 'high', high: 'medium', medium: 'low', low: 'info', info: 'info' };

/** What a service account can reach: worked out once per account, not once per pod. */
interface AccountRisk {
  readonly path?: EscalationPath;
  readonly toAdmin: boolean;
  readonly risky: readonly Capability[];
  /** {@link byReach} of `risky`. */
  readonly reach: string;
}

const RISKS = Symbol('risk per service account');

function riskOf(model: RbacModel, namespace: string, name: string): AccountRisk | undefined {
  // Memoised on the model (shared by every pod of the scan, gone with it).
  const byNamespace = model.memo.get(RISKS, () => new Map<string, Map<string, AccountRisk | undefined>>());
  let byName = byNamespace.get(namespace);
  if (!byName) {
    byName = new Map();
    byNamespace.set(namespace, byName);
  }
  if (byName.has(name)) return byName.get(name);
  const subject = { kind: 'ServiceAccount', namespace, name } as const;
  let risk: AccountRisk | undefined;
  // Most service accounts are bound to nothing: no capability, no path, no graph to build.
  if (model.grantsOfSubject(subject).length > 0) {
    const graph = escalationPathsOf(model);
    const toAdmin = graph.pathOf(subject, 'cluster-admin');
    const path = toAdmin ?? graph.pathOf(subject, 'all-secrets');
    const risky = path ? [] : capabilitiesOfSubject(model, subject).filter((c) => RISKY.includes(c.id));
    risk = { ...(path ? { path } : {}), toAdmin: toAdmin !== undefined, risky, reach: byReach(risky) };
  }
  byName.set(name, risk);
  return risk;
}

/** A compromised container holds its service account's token: the workload's risk is its account's permissions. */
export default defineCheck({
  id: 'PAL-0423',
  name: 'rbac-workload-privileged-service-account',
  title: 'Workload runs as a service account with risky permissions',
  severity: 'high',
  category: 'rbac',
  frameworks: ['cis:5.1.6', 'mitre:T1528', 'ms:MS-TA9016'],
  docs: {
    description:
      'Every pod runs as a service account (`serviceAccountName`, `default` when unset) and, unless token mounting is disabled, carries its token: ' +
      'whoever compromises a container (a vulnerable dependency, an exposed debug port) acts with that account’s permissions. This check joins ' +
      'workload risk and RBAC risk: it reports workloads whose service account is cluster-admin or can escalate to it (critical), can read every ' +
      'Secret directly or through an escalation path (high), or holds another risky capability such as creating workloads, exec, token requests, ' +
      'impersonation or RBAC changes (medium). One step lower when the pod does not mount the token (automountServiceAccountToken: false on the pod ' +
      'or its account, and no projected token volume).',
    remediation:
      'Give the workload a dedicated service account with only the permissions it uses; set `automountServiceAccountToken: false` when it does not call the API.',
    references: [
      'https://kubernetes.io/docs/concepts/security/service-accounts/',
      'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/',
    ],
  },
  target: { kind: 'pod' },
  needs: ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ServiceAccount'],
  uses: ['rbac'],
  evaluate({ models, resource, pod }) {
    const model = models.rbac;
    // A namespace-less manifest object runs wherever it is applied: `(unset)`, which joins
    // no real namespace, unless --default-namespace states one.
    const namespace = model.namespaceOf(resource) as string;
    const workload = model.workloadsOf(resource).find((w) => w.podPointer === pod.pointer);
    const spec = pod.spec;
    const name =
      typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== ''
        ? spec.serviceAccountName
        : typeof spec.serviceAccount === 'string' && spec.serviceAccount !== ''
          ? spec.serviceAccount
          : 'default';
    const risk = riskOf(model, namespace, name);
    if (!risk) return undefined;
    const mounted = workload?.tokenMounted ?? true;
    const path = '/serviceAccountName';
    const unset = namespace === UNSET_NAMESPACE;
    // Never `default/`: a manifest without a namespace runs wherever it is applied.
    const account = unset ? `service account ${name} of the namespace the manifests are applied to` : `service account ${namespace}/${name}`;
    const who = unset ? `${resource.ref.kind} ${resource.ref.name}` : `${resource.ref.kind} ${namespace}/${resource.ref.name}`;
    const tokenNote = mounted ? '' : ' (its token is not mounted, which makes it harder to use)';
    const found = risk.path;
    if (found) {
      const severity: Severity = risk.toAdmin ? 'critical' : 'high';
      const goal = risk.toAdmin ? 'cluster-admin' : 'reading every Secret';
      return {
        path,
        message: `${who} runs as ${account}, which can reach ${goal}${tokenNote}: ${describePath(found)}`,
        severity: mounted ? severity : LOWER[severity],
        evidence: { serviceAccount: `sa:${namespace}/${name}`, target: found.target, tokenMounted: mounted, chain: pathEvidence(found) },
      };
    }
    const risky = risk.risky;
    if (risky.length === 0) return undefined;
    return {
      path,
      message: `${who} runs as ${account}, which holds ${risk.reach}${tokenNote}`,
      severity: mounted ? 'medium' : 'low',
      evidence: { serviceAccount: `sa:${namespace}/${name}`, tokenMounted: mounted, capabilities: risky.map((c) => c.id) },
    };
  },
});
