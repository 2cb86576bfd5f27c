import { defineCheck } from '../../core/check.js';

/** Namespaces with no user pods, or whose add-ons are sized by the platform. */
const SKIPPED: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

/** A LimitRange gives every container defaults and bounds, so no pod runs unbounded by omission. */
export default defineCheck({
  id: 'PAL-0219',
  name: 'namespace-without-limit-range',
  title: 'Namespace has no LimitRange',
  severity: 'low',
  category: 'resources',
  frameworks: ['nsa:NSA-15', 'mitre:T1499', 'ms:MS-TA9040'],
  docs: {
    description:
      'No LimitRange among the scanned objects is in this namespace. Containers that do not declare requests and limits run ' +
      'unbounded (BestEffort) and can exhaust the memory or CPU of their node, and with a ResourceQuota on compute resources ' +
      'such pods are rejected outright. A LimitRange sets default requests/limits and minimum/maximum values per container. ' +
      'kube-system, kube-public and kube-node-lease are skipped.',
    remediation:
      'Add a LimitRange of `type: Container` with `default`, `defaultRequest` and `max` for cpu and memory (and, if needed, ' +
      'ephemeral-storage and PersistentVolumeClaim sizes).',
    references: ['https://kubernetes.io/docs/concepts/policy/limit-range/'],
  },
  target: { kind: 'resource', kinds: ['Namespace'] },
  needs: ['LimitRange'],
  evaluate({ resource, inventory }) {
    const ns = resource.ref.name;
    if (SKIPPED.has(ns)) return undefined;
    if (inventory.inNamespace('LimitRange', ns).length > 0) return undefined;
    return {
      path: '/metadata/name',
      message: `Namespace ${ns} has no LimitRange: containers without requests and limits run unbounded`,
      evidence: { namespace: ns, limitRanges: 0 },
    };
  },
});
