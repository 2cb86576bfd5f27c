import { defineCheck } from '../../core/check.js';
import { describeObject } from '../../core/object.js';

/** A shared PID namespace removes the process boundary between the containers of a pod. */
export default defineCheck({
  id: 'PAL-0122',
  name: 'share-process-namespace',
  title: 'Pod shares one process namespace between its containers',
  severity: 'low',
  category: 'isolation',
  frameworks: [],
  docs: {
    description:
      "With `shareProcessNamespace: true` all containers of the pod see each other's processes. A compromised sidecar can then signal " +
      'the main process, read its environment (and the secrets in it) from `/proc/<pid>/environ`, and reach its filesystem through ' +
      "`/proc/<pid>/root` when the user IDs match or it has `SYS_PTRACE`. It also breaks the assumption that each container's " +
      'entrypoint is PID 1. This is not the host PID namespace, which the Pod Security Standards checks cover.',
    remediation:
      'Remove `shareProcessNamespace` unless a sidecar genuinely needs to see the main process (some debuggers and process managers). ' +
      'For debugging, use `kubectl debug --target` with an ephemeral container instead.',
    references: ['https://kubernetes.io/docs/tasks/configure-pod-container/share-process-namespace/'],
  },
  target: { kind: 'pod' },
  fixSafety: 'review',
  evaluate({ pod, resource }) {
    if (pod.spec.shareProcessNamespace !== true) return undefined;
    return {
      path: '/shareProcessNamespace',
      message: `${describeObject(resource.ref)} sets shareProcessNamespace: true, so its containers see each other's processes, environment and files through /proc`,
      fix: [{ op: 'replace', path: `${pod.pointer}/shareProcessNamespace`, value: false }],
    };
  },
});
