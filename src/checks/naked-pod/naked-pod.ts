import { defineCheck } from '../../core/check.js';
import { describeObject, isObject } from '../../core/object.js';

/** Nothing recreates a bare Pod: when its node goes, so does the workload. */
export default defineCheck({
  id: 'PAL-0128',
  name: 'naked-pod',
  title: 'Pod is not managed by a controller',
  severity: 'low',
  category: 'reliability',
  frameworks: [],
  docs: {
    description:
      'A Pod object without `ownerReferences` is not managed by any controller. If its node fails, is drained or is scaled away, or the ' +
      'pod is evicted, nothing recreates it; it cannot be rolled out, scaled or rolled back either. Static (mirror) pods and Helm hook ' +
      'pods (`helm.sh/hook`, such as chart tests) are meant to be bare and are not reported.',
    remediation:
      'Run the pod through a controller: a Deployment for stateless services, a StatefulSet for stateful ones, a DaemonSet per node, or a Job for run-to-completion work.',
    references: [
      'https://kubernetes.io/docs/concepts/configuration/overview/#naked-pods-vs-replicasets-deployments-and-jobs',
      'https://kubernetes.io/docs/concepts/workloads/controllers/',
    ],
  },
  target: { kind: 'resource', kinds: ['Pod'] },
  evaluate({ resource }) {
    if (resource.ref.apiVersion !== 'v1') return undefined;
    const meta = isObject(resource.object.metadata) ? resource.object.metadata : {};
    if (Array.isArray(meta.ownerReferences) && meta.ownerReferences.length > 0) return undefined;
    const annotations = isObject(meta.annotations) ? meta.annotations : {};
    if ('kubernetes.io/config.mirror' in annotations || 'helm.sh/hook' in annotations) return undefined;
    return {
      path: '/metadata',
      message: `${describeObject(resource.ref)} has no ownerReferences: no controller recreates it if it is evicted or its node fails`,
    };
  },
});
