import { defineCheck } from '../../core/check.js';
import { describeObject } from '../../core/object.js';

/** `default` is where everything lands by accident; policies, quotas and RBAC are rarely scoped for it. */
export default defineCheck({
  id: 'PAL-0117',
  name: 'workload-in-default-namespace',
  title: 'Workload is deployed to the default namespace',
  severity: 'low',
  category: 'isolation',
  frameworks: ['cis:5.6.4', 'nsa:NSA-13'],
  docs: {
    description:
      'Namespaces are the unit of isolation for RBAC, NetworkPolicies, ResourceQuotas and Pod Security Admission. The `default` namespace ' +
      'is shared by everything deployed without a thought, its default service account is used by every such pod, and it rarely has ' +
      'restrictive policies. The check reports workloads (Pods, controllers and custom resources with a pod template) that explicitly ' +
      'set `metadata.namespace: default`. Manifests without a namespace are not reported: they are applied to whatever namespace the ' +
      'user or the tool chooses at deploy time, which the manifest cannot know.',
    remediation:
      'Create a namespace per application or team, with its own RBAC, NetworkPolicies, quotas and Pod Security labels, and set `metadata.namespace` to it.',
    references: [
      'https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/',
      'https://kubernetes.io/docs/concepts/security/multi-tenancy/',
    ],
  },
  target: { kind: 'pod' },
  evaluate({ resource }) {
    if (resource.ref.namespace !== 'default') return undefined;
    return { pointer: '/metadata/namespace', message: `${describeObject(resource.ref)} is deployed to the default namespace` };
  },
});
