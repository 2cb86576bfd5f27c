import { defineCheck } from '../../core/check.js';
import { FIX_DEFAULTS, fixParam, fixValueSchema, limitAtLeastRequest, requestOf } from '../../core/fix.js';
import { addOperation, describeContainer, resourceBound } from '../../security-context/security-context.js';

/** Memory is not compressible: an unbounded container pushes the node into OOM kills and evictions of others. */
export default defineCheck({
  id: 'PAL-0102',
  name: 'missing-memory-limit',
  title: 'Container has no memory limit',
  severity: 'medium',
  category: 'resources',
  frameworks: ['nsa:NSA-15', 'mitre:T1496', 'mitre:T1499', 'ms:MS-TA9039', 'ms:MS-TA9040'],
  docs: {
    description:
      'A container without `resources.limits.memory` may grow until the node runs out of memory. The kernel OOM killer and ' +
      'the kubelet then kill or evict other pods on the node, so one leaking or malicious container becomes a denial of service ' +
      'for its neighbours. The check passes when the limit comes from pod-level `spec.resources` or from a LimitRange ' +
      'default in the same namespace of the scan. Ephemeral (debug) containers cannot have resources and are not checked.',
    remediation: 'Set `resources.limits.memory` on every container (for example `256Mi`), or give the namespace a LimitRange with a `default` memory limit.',
    references: [
      'https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/',
      'https://kubernetes.io/docs/tasks/administer-cluster/manage-resources/memory-default-namespace/',
    ],
  },
  target: { kind: 'container' },
  fixSafety: 'review',
  paramsSchema: fixValueSchema('string', 'the memory limit the fix sets (default 512Mi)'),
  needs: ['LimitRange'],
  evaluate({ container, inventory, resource, params }) {
    if (container.list === 'ephemeralContainers') return undefined;
    if (resourceBound(container, 'limits', 'memory', inventory) !== undefined) return undefined;
    return {
      path: '/resources/limits/memory',
      message: `${describeContainer(container)} has no memory limit`,
      fix: [
        addOperation(
          resource.object,
          `${container.pointer}/resources/limits/memory`,
          limitAtLeastRequest(requestOf(container.container, 'memory'), fixParam(params, FIX_DEFAULTS.memoryLimit)),
        ),
      ],
    };
  },
});
