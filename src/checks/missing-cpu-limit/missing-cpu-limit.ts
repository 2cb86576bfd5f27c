import { defineCheck } from '../../core/check.js';
import { FIX_DEFAULTS, fixParam, fixValueSchema, limitAtLeastRequest, requestOf } from '../../core/fix.js';
import { addOperation, describeContainer, resourceBound } from '../../security-context/security-context.js';

/** An unbounded container can take every idle core of its node, which is what cryptominers want. */
export default defineCheck({
  id: 'PAL-0101',
  name: 'missing-cpu-limit',
  title: 'Container has no CPU limit',
  severity: 'low',
  category: 'resources',
  frameworks: ['nsa:NSA-15', 'mitre:T1496', 'mitre:T1499', 'ms:MS-TA9039', 'ms:MS-TA9040'],
  docs: {
    description:
      'A container without `resources.limits.cpu` may use every idle CPU of its node. A compromised or runaway container ' +
      '(a cryptominer, a busy loop) then slows its neighbours down and hides in the noise. The check passes when the limit ' +
      'comes from pod-level `spec.resources` or from a LimitRange default in the same namespace of the scan. ' +
      'Ephemeral (debug) containers cannot have resources and are not checked.',
    remediation:
      'Set `resources.limits.cpu` on every container (for example `500m`), or give the namespace a LimitRange with a ' +
      '`default` CPU limit. Where CPU throttling hurts latency, set at least a CPU request and accept this finding by exception.',
    references: ['https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/', 'https://kubernetes.io/docs/concepts/policy/limit-range/'],
  },
  target: { kind: 'container' },
  fixSafety: 'review',
  paramsSchema: fixValueSchema('string', 'the CPU limit the fix sets (default 500m)'),
  needs: ['LimitRange'],
  evaluate({ container, inventory, resource, params }) {
    if (container.list === 'ephemeralContainers') return undefined;
    if (resourceBound(container, 'limits', 'cpu', inventory) !== undefined) return undefined;
    return {
      path: '/resources/limits/cpu',
      message: `${describeContainer(container)} has no CPU limit`,
      fix: [
        addOperation(
          resource.object,
          `${container.pointer}/resources/limits/cpu`,
          limitAtLeastRequest(requestOf(container.container, 'cpu'), fixParam(params, FIX_DEFAULTS.cpuLimit)),
        ),
      ],
    };
  },
});
