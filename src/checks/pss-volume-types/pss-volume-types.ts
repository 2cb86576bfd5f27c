import { defineCheck } from '../../core/check.js';
import { controlViolations } from '../../pss/check-violations.js';

/** Pod Security Standards Restricted: PSA control `restrictedVolumes`, at the newest policy version. */
export default defineCheck({
  id: 'PAL-0013',
  name: 'pss-volume-types',
  title: 'Volume type outside the Restricted set (PSS Restricted)',
  severity: 'medium',
  category: 'pod-security',
  frameworks: ['pss:restricted/volume-types'],
  docs: {
    description:
      "The Restricted level allows only volume types that cannot reach the node or external storage outside Kubernetes' control: configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret and image. Anything else, such as hostPath, nfs or gitRepo, fails.",
    remediation: 'Replace the volume with a persistentVolumeClaim (backed by a PersistentVolume the cluster admin manages) or another allowed type.',
    references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted'],
  },
  target: { kind: 'pod' },
  uses: ['pss'],
  evaluate: (ctx) => controlViolations('restrictedVolumes', ctx),
});
