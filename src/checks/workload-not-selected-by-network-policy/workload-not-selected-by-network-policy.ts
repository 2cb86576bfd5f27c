import { defineCheck } from '../../core/check.js';

/** A pod no NetworkPolicy selects accepts and opens any connection (https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-two-sorts-of-pod-isolation). */
export default defineCheck({
  id: 'PAL-0600',
  name: 'workload-not-selected-by-network-policy',
  title: 'Workload is not selected by any NetworkPolicy',
  severity: 'low',
  category: 'network',
  frameworks: ['nsa:NSA-14', 'cis:5.3.2', 'ms:MS-TA9034'],
  docs: {
    description:
      'No NetworkPolicy (and no AdminNetworkPolicy) selects the pods of this workload for ingress, or for egress: in that ' +
      'direction the pods are not isolated, so every pod of the cluster can connect to them (ingress) or they can connect ' +
      'anywhere, the cloud metadata service and the internet included (egress). The check reads the network model, so a ' +
      'namespace-wide default deny counts as selecting the workload. Host-network pods are skipped (policies do not govern ' +
      'them), and so are namespaces with CNI-specific policy kinds the model does not evaluate.',
    remediation:
      'Add a default-deny NetworkPolicy (`podSelector: {}`, `policyTypes: [Ingress, Egress]`) to the namespace and allow the ' +
      'flows the workload needs, or a policy selecting the workload by its labels.',
    references: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/'],
  },
  target: { kind: 'pod' },
  needs: ['NetworkPolicy', 'AdminNetworkPolicy', 'Namespace'],
  uses: ['network'],
  evaluate({ models, resource, pod }) {
    const model = models.network;
    const w = model.workloadOf(resource);
    if (!w || w.hostNetwork || model.clusterWideUnmodelled || model.unmodelledNamespaces.has(w.namespace)) return undefined;
    const selected = model.policiesFor(w);
    const missing = (['ingress', 'egress'] as const).filter((d) => !selected[d].some((p) => p.tier !== 'BaselineAdminNetworkPolicy'));
    if (missing.length === 0) return undefined;
    return {
      pointer: pod.metadataPointer,
      message: `${w.kind} ${w.namespace}/${w.name} is not selected by any NetworkPolicy for ${missing.join(' and ')}: ${missing.includes('ingress') ? 'any pod can connect to it' : 'it can connect anywhere'}`,
      evidence: { missing: [...missing] },
    };
  },
});
