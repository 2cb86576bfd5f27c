import { defineCheck, type Violation } from '../../core/check.js';
import { describeObject } from '../../core/object.js';
import { missingReferences, REFERENCE_SCOPE_DOCS } from '../references.js';

/** Pod refers to a ConfigMap that does not exist: the pods cannot start until it exists, and whoever creates it later decides what they get. */
export default defineCheck({
  id: 'PAL-0136',
  name: 'configmap-not-found',
  title: 'Pod refers to a ConfigMap that does not exist',
  severity: 'low',
  category: 'reliability',
  frameworks: [],
  docs: {
    description:
      'The pod spec names a ConfigMap (a configMap or projected volume, `envFrom.configMapRef` or `env[].valueFrom.configMapKeyRef`) that is not among the scanned objects: the pod stays in ContainerCreating or fails with CreateContainerConfigError until it exists. The `kube-root-ca.crt` ConfigMap that Kubernetes publishes in every namespace is never reported. ' +
      REFERENCE_SCOPE_DOCS,
    remediation: "Create the ConfigMap in the workload's namespace, correct the name, or mark the reference `optional: true` when the pod can run without it.",
    references: ['https://kubernetes.io/docs/concepts/configuration/configmap/#configmaps-and-pods'],
  },
  target: { kind: 'pod' },
  uses: ['scopes'],
  needs: ['ConfigMap'],
  evaluate({ models, resource, pod }): Violation[] {
    const missing = missingReferences(models.scopes, resource, pod, 'ConfigMap') ?? [];
    const where = models.scopes.describeScope(resource);
    return missing.map((r) => ({
      pointer: r.pointer,
      message: `${describeObject(resource.ref)} uses ConfigMap ${r.name} (${r.via}), which does not exist in ${where}`,
      evidence: { configMap: r.name, via: r.via },
    }));
  },
});
