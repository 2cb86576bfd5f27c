import { defineCheck, type Violation } from '../../core/check.js';

/** Plain HTTP from the internet exposes credentials and sessions to anyone on the path. */
export default defineCheck({
  id: 'PAL-0603',
  name: 'exposed-without-tls',
  title: 'Workload is exposed to the internet without TLS',
  severity: 'medium',
  category: 'network',
  frameworks: ['nsa:NSA-09', 'mitre:T1557'],
  docs: {
    description:
      'The workload is reachable from outside the cluster over plain HTTP: an Ingress rule whose host no `tls` entry covers, ' +
      'a Gateway listener with protocol HTTP, or a LoadBalancer / NodePort Service on an HTTP port (80, 8080, a port named ' +
      '`http`). The path comes from the network model (entry point -> Service -> pods), and exposures that NetworkPolicies ' +
      'block are not reported. Anyone between the client and the cluster can read and alter the traffic, cookies and ' +
      'credentials included.',
    remediation:
      'Terminate TLS at the entry point: add a `tls` section (with cert-manager, for instance) to the Ingress, an HTTPS ' +
      'listener to the Gateway, or put the Service behind one; redirect HTTP to HTTPS.',
    references: ['https://kubernetes.io/docs/concepts/services-networking/ingress/#tls', 'https://gateway-api.sigs.k8s.io/guides/tls/'],
  },
  target: { kind: 'pod' },
  needs: ['Service', 'Ingress', 'Gateway', 'HTTPRoute', 'NetworkPolicy'],
  uses: ['network'],
  evaluate({ models, resource, pod }) {
    const model = models.network;
    const w = model.workloadOf(resource);
    if (!w) return undefined;
    const out: Violation[] = [];
    for (const e of model.exposuresOf(w)) {
      if (e.tls !== false || e.policy === 'denied') continue;
      const entry = `${e.entry.ref.kind} ${e.entry.ref.namespace ? `${e.entry.ref.namespace}/` : ''}${e.entry.ref.name}`;
      out.push({
        pointer: pod.metadataPointer,
        message: `${w.kind} ${w.namespace}/${w.name} is exposed to the internet over plain HTTP through ${entry}${e.hosts.length > 0 ? ` (${e.hosts.join(', ')})` : ''}: ${e.path.join(' -> ')}`,
        evidence: { via: e.via, entry, path: [...e.path] },
      });
    }
    return out;
  },
});
