import { defineCheck, type Violation } from '../../core/check.js';
import { joinPointer } from '../../core/pointer.js';
import { describeContainer, podVolumes } from '../../security-context/security-context.js';
import { isObject } from '../../core/object.js';

/** Whatever a container can write on the host survives the pod and can plant files that the node or other pods execute. */
export default defineCheck({
  id: 'PAL-0112',
  name: 'writable-host-path',
  title: 'Container mounts a hostPath volume writable',
  severity: 'medium',
  category: 'host-access',
  frameworks: ['nsa:NSA-09', 'mitre:T1611', 'ms:MS-TA9013'],
  docs: {
    description:
      'A container mounts a `hostPath` volume without `readOnly: true`. It can then create and change files on the node: plant ' +
      'binaries, scripts or cron entries that the host or other pods run, fill the node disk, or use symlink tricks against the ' +
      'kubelet. Files it leaves behind outlive the pod. Each writable mount is reported on the container that has it.',
    remediation:
      'Set `readOnly: true` on the volume mount when the container only reads from the host. When it must write, prefer an ' +
      'emptyDir or a persistent volume; a node agent that truly needs to write on the host should get the narrowest path, a ' +
      'dedicated namespace, and an exception with a reason.',
    references: ['https://kubernetes.io/docs/concepts/storage/volumes/#hostpath', 'https://kubernetes.io/docs/concepts/storage/volumes/#read-only-mounts'],
  },
  target: { kind: 'container' },
  evaluate({ container }) {
    const mounts = container.container.volumeMounts;
    if (!Array.isArray(mounts)) return undefined;
    const volumes = new Map(podVolumes(container.pod).map((v) => [v.name, v]));
    const out: Violation[] = [];
    mounts.forEach((m, i) => {
      if (!isObject(m) || m.readOnly === true || typeof m.name !== 'string') return;
      const hostPath = volumes.get(m.name)?.volume.hostPath;
      if (!isObject(hostPath)) return;
      const path = typeof hostPath.path === 'string' ? hostPath.path : '';
      const at = typeof m.mountPath === 'string' ? ` at ${m.mountPath}` : '';
      out.push({
        path: joinPointer('', 'volumeMounts', i, 'readOnly'),
        message: `${describeContainer(container)} mounts hostPath volume "${m.name}" (${path}) writable${at}`,
        evidence: { volume: m.name, path },
      });
    });
    return out;
  },
});
