import { defineCheck } from '../../core/check.js';
import type { Resource } from '../../core/types.js';
import type { Inventory } from '../../core/inventory.js';
import { describeObject, isObject } from '../../core/object.js';

/** An HorizontalPodAutoscaler of the scan that keeps at least two replicas of the workload. */
function scaledAboveOne(inventory: Inventory, target: Resource): boolean {
  return inventory.inNamespace('HorizontalPodAutoscaler', target.ref.namespace).some((hpa) => {
    const spec = hpa.object.spec;
    if (!isObject(spec) || !isObject(spec.scaleTargetRef)) return false;
    const ref = spec.scaleTargetRef;
    return ref.kind === target.ref.kind && ref.name === target.ref.name && typeof spec.minReplicas === 'number' && spec.minReplicas > 1;
  });
}

/** One replica means every node drain, rollout hiccup or crash is an outage. */
export default defineCheck({
  id: 'PAL-0126',
  name: 'single-replica',
  title: 'Workload runs a single replica',
  severity: 'info',
  category: 'reliability',
  frameworks: [],
  docs: {
    description:
      'The Deployment or StatefulSet sets `replicas: 1`. Its only pod goes away on every node drain, eviction, crash or (for a ' +
      'StatefulSet) rollout, so availability depends on how fast a replacement starts, and a PodDisruptionBudget cannot protect it. ' +
      'Only an explicit `replicas: 1` is reported (an unset value is usually managed elsewhere); a HorizontalPodAutoscaler of the scan ' +
      'that targets the workload with `minReplicas` of 2 or more makes it pass. Singletons by design (leader-elected controllers, ' +
      'development environments) can be accepted by exception.',
    remediation:
      'Run at least two replicas (`replicas: 2` or an HPA with `minReplicas: 2`), spread them with topology spread constraints or anti-affinity, and add a PodDisruptionBudget.',
    references: ['https://kubernetes.io/docs/concepts/workloads/controllers/deployment/', 'https://kubernetes.io/docs/tasks/run-application/configure-pdb/'],
  },
  target: { kind: 'resource', kinds: ['Deployment', 'StatefulSet'] },
  needs: ['HorizontalPodAutoscaler'],
  evaluate({ resource, inventory }) {
    const spec = resource.object.spec;
    if (!isObject(spec) || spec.replicas !== 1) return undefined;
    if (scaledAboveOne(inventory, resource)) return undefined;
    return { path: '/spec/replicas', message: `${describeObject(resource.ref)} sets replicas: 1, so any disruption of its only pod is an outage` };
  },
});
