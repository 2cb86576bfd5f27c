import { defineCheck } from '../../core/check.js';
import { controlViolations } from '../../pss/check-violations.js';

/** Pod Security Standards Baseline: PSA control `hostPathVolumes`, at the newest policy version. */
export default defineCheck({
  id: 'PAL-0005',
  name: 'pss-host-path-volumes',
  title: 'Pod mounts a hostPath volume (PSS Baseline)',
  severity: 'high',
  category: 'pod-security',
  frameworks: ['pss:baseline/host-path-volumes', 'cis:5.2.11', 'nsa:NSA-09', 'mitre:T1611', 'ms:MS-TA9013'],
  docs: {
    description:
      'A hostPath volume mounts a directory of the node into the pod. Writable mounts of paths such as /, /etc, /var/run/docker.sock or the kubelet directory let the pod take over the node; even read-only mounts leak secrets of other workloads. The Baseline level forbids hostPath volumes.',
    remediation: 'Replace the hostPath volume with a persistentVolumeClaim, configMap, secret, emptyDir or CSI volume.',
    references: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
  },
  target: { kind: 'pod' },
  uses: ['pss'],
  evaluate: (ctx) => controlViolations('hostPathVolumes', ctx),
});
