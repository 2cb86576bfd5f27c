import { defineCheck } from '../../core/check.js';
import { FIX_DEFAULTS, fixParam, fixValueSchema } from '../../core/fix.js';
import { addOperation, describeContainer, resourceBound } from '../../security-context/security-context.js';

/** Without a memory request a pod is scheduled as if it used nothing, and is evicted first under pressure. */
export default defineCheck({
  id: 'PAL-0104',
  name: 'missing-memory-request',
  title: 'Container has no memory request',
  severity: 'low',
  category: 'resources',
  frameworks: ['nsa:NSA-15', 'mitre:T1499', 'ms:MS-TA9040'],
  docs: {
    description:
      'The scheduler places pods by their memory requests. A container without one is scheduled as if it used no memory, ' +
      'so nodes are overcommitted, and under memory pressure the kubelet evicts such pods first. Kubernetes defaults an unset ' +
      'request to the limit, so a container with `limits.memory` passes, as does one whose request comes from pod-level ' +
      '`spec.resources` or a LimitRange default in the same namespace of the scan. Ephemeral (debug) containers cannot have ' +
      'resources and are not checked.',
    remediation:
      'Set `resources.requests.memory` on every container to its usual working set (for example `128Mi`), or give the namespace a LimitRange with a `defaultRequest`.',
    references: [
      'https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/',
      'https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/',
    ],
  },
  target: { kind: 'container' },
  paramsSchema: fixValueSchema('string', 'the memory request the fix sets (default 128Mi)'),
  needs: ['LimitRange'],
  evaluate({ container, inventory, resource, params }) {
    if (container.list === 'ephemeralContainers') return undefined;
    if (resourceBound(container, 'requests', 'memory', inventory) !== undefined) return undefined;
    return {
      path: '/resources/requests/memory',
      message: `${describeContainer(container)} has no memory request (nor a memory limit it would default to)`,
      fix: [addOperation(resource.object, `${container.pointer}/resources/requests/memory`, fixParam(params, FIX_DEFAULTS.memoryRequest))],
    };
  },
});
