import { defineCheck, type Violation } from '../../core/check.js';
import { describeObject } from '../../core/object.js';
import { missingReferences, REFERENCE_SCOPE_DOCS } from '../references.js';

/** Pod refers to a Secret that does not exist: the pods cannot start until it exists, and whoever creates it later decides what they get. */
export default defineCheck({
  id: 'PAL-0135',
  name: 'secret-not-found',
  title: 'Pod refers to a Secret that does not exist',
  severity: 'medium',
  category: 'secrets',
  frameworks: [],
  docs: {
    description:
      'The pod spec names a Secret (a secret or projected volume, `envFrom.secretRef`, `env[].valueFrom.secretKeyRef` or `imagePullSecrets`) that is not among the scanned objects. A missing volume Secret keeps the pod in ContainerCreating, a missing env Secret fails the container with CreateContainerConfigError, and a missing pull secret makes private image pulls fail; a Secret created later under that name (by anyone allowed to create Secrets in the namespace) is mounted without review. ' +
      REFERENCE_SCOPE_DOCS,
    remediation:
      'Create the Secret (or the ExternalSecret/SealedSecret that produces it), correct the name, or mark the reference `optional: true` when the pod can run without it.',
    references: [
      'https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod',
      'https://kubernetes.io/docs/concepts/configuration/secret/#restriction-secret-must-exist',
    ],
  },
  target: { kind: 'pod' },
  uses: ['scopes'],
  needs: ['Secret'],
  evaluate({ models, resource, pod }): Violation[] {
    const missing = missingReferences(models.scopes, resource, pod, 'Secret') ?? [];
    const where = models.scopes.describeScope(resource);
    return missing.map((r) => ({
      pointer: r.pointer,
      message: `${describeObject(resource.ref)} uses Secret ${r.name} (${r.via}), which does not exist in ${where}`,
      evidence: { secret: r.name, via: r.via },
    }));
  },
});
