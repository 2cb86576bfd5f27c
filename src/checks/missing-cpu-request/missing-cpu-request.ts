import { defineCheck } from '../../core/check.js';
import { FIX_DEFAULTS, fixParam, fixValueSchema } from '../../core/fix.js';
import { addOperation, describeContainer, resourceBound } from '../../security-context/security-context.js';

/** The scheduler places pods by their requests: without one it overcommits nodes and CPU shares are minimal. */
export default defineCheck({
  id: 'PAL-0103',
  name: 'missing-cpu-request',
  title: 'Container has no CPU request',
  severity: 'low',
  category: 'resources',
  frameworks: ['nsa:NSA-15', 'mitre:T1499', 'ms:MS-TA9040'],
  docs: {
    description:
      'The scheduler places pods by their requests and the kernel shares CPU under contention in proportion to them. A ' +
      'container without a CPU request gets the minimum share when its node is busy and lets the scheduler overcommit the ' +
      'node. Kubernetes defaults an unset request to the limit, so a container with `limits.cpu` passes, as does one whose ' +
      'request comes from pod-level `spec.resources` or a LimitRange default in the same namespace of the scan. Ephemeral ' +
      '(debug) containers cannot have resources and are not checked.',
    remediation:
      'Set `resources.requests.cpu` on every container to its usual consumption (for example `100m`), or give the namespace a LimitRange with a `defaultRequest`.',
    references: [
      'https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/',
      'https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/',
    ],
  },
  target: { kind: 'container' },
  paramsSchema: fixValueSchema('string', 'the CPU request the fix sets (default 100m)'),
  needs: ['LimitRange'],
  evaluate({ container, inventory, resource, params }) {
    if (container.list === 'ephemeralContainers') return undefined;
    if (resourceBound(container, 'requests', 'cpu', inventory) !== undefined) return undefined;
    return {
      path: '/resources/requests/cpu',
      message: `${describeContainer(container)} has no CPU request (nor a CPU limit it would default to)`,
      fix: [addOperation(resource.object, `${container.pointer}/resources/requests/cpu`, fixParam(params, FIX_DEFAULTS.cpuRequest))],
    };
  },
});
