import { defineCheck } from '../../core/check.js';
import type { JsonObject, JsonValue, Resource } from '../../core/types.js';
import { isObject } from '../../core/object.js';

type Direction = 'Ingress' | 'Egress';
const DIRECTIONS: readonly Direction[] = ['Ingress', 'Egress'];

/** policyTypes when unset: Ingress always, Egress when the policy has egress rules (NetworkPolicySpec docs). */
function effectiveTypes(spec: JsonObject): Direction[] {
  if (Array.isArray(spec.policyTypes)) return spec.policyTypes.filter((t): t is Direction => t === 'Ingress' || t === 'Egress');
  return Array.isArray(spec.egress) ? ['Ingress', 'Egress'] : ['Ingress'];
}

const isEmpty = (v: JsonValue | undefined): boolean =>
  v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);

/** A rule without peers and ports allows everything, which undoes the isolation. */
function allowsAll(spec: JsonObject, direction: Direction): boolean {
  const rules = spec[direction === 'Ingress' ? 'ingress' : 'egress'];
  const peers = direction === 'Ingress' ? 'from' : 'to';
  return Array.isArray(rules) && rules.some((r) => isObject(r) && isEmpty(r[peers]) && isEmpty(r.ports));
}

/** Directions in which a policy isolates every pod of its namespace. */
function isolates(policy: Resource): Direction[] {
  const spec = policy.object.spec;
  if (!isObject(spec) || !isEmpty(spec.podSelector)) return [];
  return effectiveTypes(spec).filter((d) => !allowsAll(spec, d));
}

/** Only Kubernetes NetworkPolicies are evaluated; CNI-specific kinds have other semantics. */
const isK8sPolicy = (r: Resource): boolean => r.ref.apiVersion === 'networking.k8s.io/v1';
const OTHER_POLICY_KINDS: readonly string[] = [
  'CiliumNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
  'GlobalNetworkPolicy',
  'ClusterNetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
];

/** NSA/CISA: start from default deny in both directions, then allow what is needed. */
export default defineCheck({
  id: 'PAL-0214',
  name: 'namespace-without-default-deny',
  title: 'Namespace has NetworkPolicies but no default deny',
  severity: 'low',
  category: 'network',
  frameworks: ['nsa:NSA-14', 'cis:5.3.2', 'ms:MS-TA9034'],
  docs: {
    description:
      'The namespace has NetworkPolicies, but none selects every pod (`podSelector: {}`) for ingress, or for egress, without ' +
      'also allowing all traffic in that direction. Pods that no policy selects stay open: a new workload, or one whose labels ' +
      'change, is reachable from the whole cluster (ingress) or can reach anything, including the cloud metadata service and ' +
      'the internet (egress). Namespaces without any policy are reported by namespace-without-network-policy; namespaces ' +
      'using CNI-specific policy kinds are not evaluated.',
    remediation:
      'Add `podSelector: {}` policies with `policyTypes: [Ingress]` and `[Egress]` and no rules (default deny), then allow the ' +
      'flows each application needs, DNS egress to kube-system included.',
    references: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies'],
  },
  target: { kind: 'resource', kinds: ['Namespace'] },
  needs: ['NetworkPolicy', ...OTHER_POLICY_KINDS],
  evaluate({ resource, inventory }) {
    const ns = resource.ref.name;
    if (OTHER_POLICY_KINDS.some((k) => inventory.ofKind(k).length > 0)) return undefined;
    const policies = inventory.inNamespace('NetworkPolicy', ns);
    if (policies.length === 0 || !policies.every(isK8sPolicy)) return undefined;
    const covered = new Set(policies.flatMap(isolates));
    const missing = DIRECTIONS.filter((d) => !covered.has(d));
    if (missing.length === 0) return undefined;
    return {
      path: '/metadata/name',
      message: `Namespace ${ns} has ${policies.length} NetworkPolic${policies.length === 1 ? 'y' : 'ies'} but no default deny for ${missing.join(' and ')}: pods no policy selects stay open`,
      evidence: { namespace: ns, missing, policies: policies.map((p) => p.ref.name) },
    };
  },
});
