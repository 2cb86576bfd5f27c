import { defineCheck } from '../../core/check.js';

/** Namespaces with no user pods, or whose add-ons are sized by the platform rather than by quota. */
const SKIPPED: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

/** Without a quota one namespace can exhaust the cluster (runaway scaling, cryptomining). */
export default defineCheck({
  id: 'PAL-0218',
  name: 'namespace-without-resource-quota',
  title: 'Namespace has no ResourceQuota',
  severity: 'low',
  category: 'resources',
  frameworks: ['nsa:NSA-15', 'mitre:T1496', 'mitre:T1499', 'ms:MS-TA9039'],
  docs: {
    description:
      'No ResourceQuota among the scanned objects is in this namespace. Nothing caps the CPU, memory, storage or object counts ' +
      'its workloads can claim: a compromised or misconfigured workload (cryptominer, fork of replicas, PVC loop) can starve ' +
      'the other tenants of the cluster. kube-system, kube-public and kube-node-lease are skipped. The check only sees scanned ' +
      'objects: scan the namespace together with its quotas.',
    remediation:
      'Add a ResourceQuota with `requests.cpu`, `requests.memory`, `limits.cpu`, `limits.memory` and object counts (pods, ' +
      'services.loadbalancers, persistentvolumeclaims) sized for the namespace.',
    references: [
      'https://kubernetes.io/docs/concepts/policy/resource-quotas/',
      'https://kubernetes.io/docs/tasks/administer-cluster/manage-resources/quota-memory-cpu-namespace/',
    ],
  },
  target: { kind: 'resource', kinds: ['Namespace'] },
  needs: ['ResourceQuota'],
  evaluate({ resource, inventory }) {
    const ns = resource.ref.name;
    if (SKIPPED.has(ns)) return undefined;
    if (inventory.inNamespace('ResourceQuota', ns).length > 0) return undefined;
    return {
      path: '/metadata/name',
      message: `Namespace ${ns} has no ResourceQuota: nothing limits the resources its workloads can consume`,
      evidence: { namespace: ns, resourceQuotas: 0 },
    };
  },
});
