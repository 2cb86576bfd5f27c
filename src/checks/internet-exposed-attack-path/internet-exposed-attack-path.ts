import { defineCheck } from '../../core/check.js';
import { SINK_KINDS } from '../../paths/graph.js';

/**
 * Internet exposure joined with what the exposed pod can do next: the attack graph's most likely
 * path from an exposure of the workload to a sink (docs/attack-paths.md).
 */
export default defineCheck({
  id: 'PAL-0700',
  name: 'internet-exposed-attack-path',
  title: 'Internet-exposed workload leads to cluster-admin, node root, Secrets or cloud credentials',
  severity: 'critical',
  category: 'attack-paths',
  frameworks: ['mitre:T1190', 'ms:MS-TA9009', 'mitre:T1611', 'mitre:T1528'],
  docs: {
    description:
      'The workload is reachable from the internet (a LoadBalancer or NodePort Service, an Ingress, a Gateway route, ' +
      'host network or a host port) and NetworkPolicies let the traffic in; from a compromised container of it, the ' +
      'attack graph finds a chain of attack primitives (token theft, RBAC escalation, exec into a privileged pod, ' +
      'container escape, cloud metadata) to cluster-admin, root on a node, every Secret, the Secrets of a namespace or ' +
      'cloud credentials. The finding shows the most likely path, every hop with the field or rule that enables it. ' +
      'Without image vulnerability data the first hop (exploiting the application) is assumed possible, not known.',
    remediation:
      'Cut the path at its cheapest hop: `palisade paths --chokepoints` lists the edges most paths share. Typical fixes: ' +
      '`automountServiceAccountToken: false` on pods that do not call the API, narrower RBAC for the service account, ' +
      'no privileged or host-mounting pods reachable from it, an ingress NetworkPolicy that admits only the ingress controller.',
    references: ['https://microsoft.github.io/Threat-Matrix-for-Kubernetes/', 'https://attack.mitre.org/matrices/enterprise/containers/'],
  },
  target: { kind: 'pod' },
  uses: ['paths'],
  evaluate({ models, resource, pod }) {
    const paths = models.paths.pathsOfWorkload(resource).internet;
    const best = paths[0];
    if (!best) return undefined;
    const sinks = SINK_KINDS.filter((k) => paths.some((p) => p.sinkKind === k));
    const steps = best.hops.map((h) => h.edge).join(' -> ');
    return {
      pointer: pod.metadataPointer,
      message:
        `${resource.ref.kind} ${resource.ref.namespace ?? 'default'}/${resource.ref.name} is reachable from the internet (${best.entry.label.replace(/^internet via /, '').replace(/ to [^ ]+ [^ ]+$/, '')}) ` +
        `and leads to ${best.sink.label} in ${best.hops.length} hops (${steps}); score ${best.score.toFixed(1)}`,
      evidence: {
        sinks: [...sinks],
        score: best.score,
        path: best.hops.map((h) => `${h.from} -[${h.edge} ${h.mitre.id}]-> ${h.to}`),
      },
    };
  },
});
