import { defineCheck, type Violation } from '../../core/check.js';
import { describeObject } from '../../core/object.js';
import { missingReferences, REFERENCE_SCOPE_DOCS } from '../references.js';

/** Pod refers to a ServiceAccount that does not exist: the pods cannot start until it exists, and whoever creates it later decides what they get. */
export default defineCheck({
  id: 'PAL-0134',
  name: 'service-account-not-found',
  title: 'Pod refers to a ServiceAccount that does not exist',
  severity: 'medium',
  category: 'identity',
  frameworks: [],
  docs: {
    description:
      'The pod spec names a ServiceAccount (`serviceAccountName`) that is not among the scanned objects. The API server refuses to create pods for a ServiceAccount that does not exist, so the workload never starts (its ReplicaSet reports `error looking up service account`); and if someone later creates a ServiceAccount of that name, the pods silently get whatever that account is granted. The built-in `default` ServiceAccount is never reported. ' +
      REFERENCE_SCOPE_DOCS,
    remediation: "Create the ServiceAccount in the workload's namespace (with the RBAC bindings the workload needs), or correct the name.",
    references: [
      'https://kubernetes.io/docs/concepts/security/service-accounts/',
      'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/',
    ],
  },
  target: { kind: 'pod' },
  uses: ['scopes'],
  needs: ['ServiceAccount'],
  evaluate({ models, resource, pod }): Violation[] {
    const missing = missingReferences(models.scopes, resource, pod, 'ServiceAccount') ?? [];
    const where = models.scopes.describeScope(resource);
    return missing.map((r) => ({
      pointer: r.pointer,
      message: `${describeObject(resource.ref)} uses ServiceAccount ${r.name} (${r.via}), which does not exist in ${where}`,
      evidence: { serviceAccount: r.name, via: r.via },
    }));
  },
});
