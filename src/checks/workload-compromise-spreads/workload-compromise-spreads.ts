import { defineCheck } from '../../core/check.js';
import type { AttackPath } from '../../paths/graph.js';

/** Hops that leave the workload for another pod or node: lateral movement. */
const LATERAL: ReadonlySet<string> = new Set(['pod-exec', 'create-privileged-pod']);

/** Lateral hops, or the Secrets of another namespace than the workload's. */
const spreads = (p: AttackPath): boolean =>
  p.hops.some((h) => LATERAL.has(h.edge)) || (p.sinkKind === 'namespace-secrets' && p.sink.namespace !== p.entry.namespace);

/**
 * A compromised pod that does not stop at itself: the attack graph's paths that move to other
 * pods (exec into them), create privileged pods, or read another namespace's Secrets. Direct
 * escapes and the service account's own RBAC are other checks' findings (PAL-0001.., the RBAC
 * checks); this one reports the chains that join them.
 */
export default defineCheck({
  id: 'PAL-0701',
  name: 'workload-compromise-spreads',
  title: 'A compromised pod of the workload moves to other pods, nodes or namespaces',
  severity: 'high',
  category: 'attack-paths',
  frameworks: ['mitre:T1609', 'ms:MS-TA9006', 'mitre:T1552.007', 'ms:MS-TA9025'],
  docs: {
    description:
      'Taking any pod of the workload as compromised (a supply-chain or application bug), the attack graph finds a chain ' +
      'that leaves it: its service account token lets it exec into, attach to or patch other running pods (and from a ' +
      'privileged one, root on the node), create privileged pods where Pod Security admission allows them, or read the ' +
      'Secrets of another namespace. The finding names the most likely such path, every hop with its evidence.',
    remediation:
      'Give the workload a service account of its own without pod exec/attach/patch, pod create or Secret read rights ' +
      'outside its namespace, or turn off `automountServiceAccountToken`; enforce Pod Security `baseline` or `restricted` ' +
      'on namespaces where pods can be created.',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/', 'https://microsoft.github.io/Threat-Matrix-for-Kubernetes/'],
  },
  target: { kind: 'pod' },
  uses: ['paths'],
  evaluate({ models, resource, pod }) {
    const paths = models.paths.pathsOfWorkload(resource).pod.filter(spreads);
    const best = paths[0];
    if (!best) return undefined;
    return {
      pointer: pod.metadataPointer,
      message:
        `a compromised pod of ${resource.ref.kind} ${resource.ref.namespace ?? 'default'}/${resource.ref.name} reaches ${best.sink.label} ` +
        `in ${best.hops.length} hops (${best.hops.map((h) => h.edge).join(' -> ')})`,
      evidence: { sinks: [...new Set(paths.map((p) => p.sinkKind))], path: best.hops.map((h) => `${h.from} -[${h.edge} ${h.mitre.id}]-> ${h.to}`) },
    };
  },
});
