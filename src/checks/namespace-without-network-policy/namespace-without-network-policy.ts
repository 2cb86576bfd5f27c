import { defineCheck } from '../../core/check.js';

/** Namespaced policy kinds of the common CNIs (Kubernetes, Calico and Antrea share the kind name). */
const NAMESPACED_POLICY_KINDS: readonly string[] = ['NetworkPolicy', 'CiliumNetworkPolicy'];

/** Cluster-wide policy kinds; when present they may cover any namespace, so nothing is reported. */
const CLUSTER_POLICY_KINDS: readonly string[] = [
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
  'GlobalNetworkPolicy',
  'ClusterNetworkPolicy',
];

/** Namespaces that hold no pods by design. */
const PODLESS_NAMESPACES: ReadonlySet<string> = new Set(['kube-public', 'kube-node-lease']);

/** Without any policy every pod accepts connections from every other pod in the cluster. */
export default defineCheck({
  id: 'PAL-0213',
  name: 'namespace-without-network-policy',
  title: 'Namespace has no NetworkPolicy',
  severity: 'medium',
  category: 'network',
  frameworks: ['cis:5.3.2', 'nsa:NSA-14', 'ms:MS-TA9034', 'mitre:T1210'],
  docs: {
    description:
      'No NetworkPolicy (Kubernetes, Calico, Antrea or CiliumNetworkPolicy) among the scanned objects is in this namespace. ' +
      'Pods are non-isolated by default: any pod in the cluster, including a compromised one, can connect to every pod of the ' +
      'namespace, and its pods can reach anything. The check only sees scanned objects: scan the namespace together with its ' +
      'policies. Namespaces without pods by design (kube-public, kube-node-lease) are skipped, and nothing is reported when a ' +
      'cluster-wide policy (AdminNetworkPolicy, CiliumClusterwideNetworkPolicy, Calico GlobalNetworkPolicy, Antrea ClusterNetworkPolicy) is scanned, ' +
      'since it may cover the namespace.',
    remediation:
      'Add a default-deny NetworkPolicy for ingress and egress in the namespace (`podSelector: {}`, `policyTypes: [Ingress, Egress]`) ' +
      'and policies that allow the traffic the applications need, including DNS egress.',
    references: [
      'https://kubernetes.io/docs/concepts/services-networking/network-policies/',
      'https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies',
    ],
  },
  target: { kind: 'resource', kinds: ['Namespace'] },
  needs: [...NAMESPACED_POLICY_KINDS, ...CLUSTER_POLICY_KINDS],
  evaluate({ resource, inventory }) {
    const ns = resource.ref.name;
    if (PODLESS_NAMESPACES.has(ns)) return undefined;
    if (CLUSTER_POLICY_KINDS.some((k) => inventory.ofKind(k).length > 0)) return undefined;
    const has = NAMESPACED_POLICY_KINDS.some((k) => inventory.inNamespace(k, ns).length > 0);
    if (has) return undefined;
    return {
      path: '/metadata/name',
      message: `Namespace ${ns} has no NetworkPolicy: its pods accept traffic from every pod in the cluster`,
      evidence: { namespace: ns, networkPolicies: 0 },
    };
  },
});
