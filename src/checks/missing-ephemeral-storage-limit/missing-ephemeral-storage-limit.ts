import { defineCheck } from '../../core/check.js';
import { FIX_DEFAULTS, fixParam, fixValueSchema, limitAtLeastRequest, requestOf } from '../../core/fix.js';
import { addOperation, describeContainer, resourceBound } from '../../security-context/security-context.js';

/** Logs, the writable layer and emptyDir volumes share the node's disk; one container can fill it for all. */
export default defineCheck({
  id: 'PAL-0105',
  name: 'missing-ephemeral-storage-limit',
  title: 'Container has no ephemeral-storage limit',
  severity: 'low',
  category: 'resources',
  frameworks: ['nsa:NSA-15', 'mitre:T1499', 'ms:MS-TA9040'],
  docs: {
    description:
      "A container's writable layer, its logs and the pod's disk-backed emptyDir volumes live on the node's disk. Without " +
      '`resources.limits.ephemeral-storage` a container can fill that disk; the kubelet then evicts pods under disk pressure, ' +
      'including pods that did nothing wrong. The check passes when a LimitRange in the same namespace of the scan supplies ' +
      'a default limit. Ephemeral (debug) containers cannot have resources and are not checked.',
    remediation:
      'Set `resources.limits.ephemeral-storage` on every container (for example `1Gi`), or give the namespace a LimitRange with a `default` ephemeral-storage limit.',
    references: ['https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#local-ephemeral-storage'],
  },
  target: { kind: 'container' },
  fixSafety: 'review',
  paramsSchema: fixValueSchema('string', 'the ephemeral-storage limit the fix sets (default 1Gi)'),
  needs: ['LimitRange'],
  evaluate({ container, inventory, resource, params }) {
    if (container.list === 'ephemeralContainers') return undefined;
    if (resourceBound(container, 'limits', 'ephemeral-storage', inventory) !== undefined) return undefined;
    return {
      path: '/resources/limits/ephemeral-storage',
      message: `${describeContainer(container)} has no ephemeral-storage limit`,
      fix: [
        addOperation(
          resource.object,
          `${container.pointer}/resources/limits/ephemeral-storage`,
          limitAtLeastRequest(requestOf(container.container, 'ephemeral-storage'), fixParam(params, FIX_DEFAULTS.ephemeralStorageLimit)),
        ),
      ],
    };
  },
});
