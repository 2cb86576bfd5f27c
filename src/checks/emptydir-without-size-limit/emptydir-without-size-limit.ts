import { defineCheck, type Violation } from '../../core/check.js';
import { FIX_DEFAULTS, fixParam, fixValueSchema } from '../../core/fix.js';
import { addOperation, podVolumes, resourceBound, volumeMounts } from '../../security-context/security-context.js';
import type { JsonValue } from '../../core/types.js';
import { containersOf } from '../../core/workloads.js';
import { describeObject, isObject } from '../../core/object.js';

function hasSizeLimit(v: JsonValue | undefined): boolean {
  return (typeof v === 'string' && v.trim() !== '') || typeof v === 'number';
}

/** An unbounded scratch volume is a way to fill the node's disk or memory from inside a pod. */
export default defineCheck({
  id: 'PAL-0129',
  name: 'emptydir-without-size-limit',
  title: 'emptyDir volume has no size limit',
  severity: 'low',
  category: 'resources',
  frameworks: ['nsa:NSA-15', 'mitre:T1499', 'ms:MS-TA9040'],
  docs: {
    description:
      "An `emptyDir` volume without `sizeLimit` can grow until something else stops it. A disk-backed one fills the node's ephemeral " +
      'storage, and the kubelet evicts pods under disk pressure; it is bounded only when every container of the pod has an ' +
      'ephemeral-storage limit, since the pod limit is their sum. A `medium: Memory` (tmpfs) one consumes node memory; it is bounded ' +
      'when every container mounting it has a memory limit, because tmpfs pages are charged to the writer. The check reports a volume ' +
      'only when no such bound exists: low for disk, medium for memory. Volumes no container mounts are ignored.',
    remediation: 'Set `emptyDir.sizeLimit` (for example `sizeLimit: 500Mi`), or give the containers ephemeral-storage (disk) or memory (tmpfs) limits.',
    references: [
      'https://kubernetes.io/docs/concepts/storage/volumes/#emptydir',
      'https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#local-ephemeral-storage',
    ],
  },
  target: { kind: 'pod' },
  fixSafety: 'review',
  paramsSchema: fixValueSchema('string', 'the sizeLimit the fix sets (default 1Gi)'),
  needs: ['LimitRange'],
  evaluate({ pod, resource, inventory, params }) {
    const out: Violation[] = [];
    for (const v of podVolumes(pod)) {
      const emptyDir = v.volume.emptyDir;
      if (emptyDir === undefined || (emptyDir !== null && !isObject(emptyDir))) continue;
      const spec = isObject(emptyDir) ? emptyDir : {};
      if (hasSizeLimit(spec.sizeLimit)) continue;
      const mounts = volumeMounts(pod, v.name);
      if (mounts.length === 0) continue;
      const memory = spec.medium === 'Memory';
      if (!memory && spec.medium !== undefined && spec.medium !== '') continue; // HugePages media are bounded by hugepage limits
      const bounded = memory
        ? mounts.every((m) => m.container.list !== 'ephemeralContainers' && resourceBound(m.container, 'limits', 'memory', inventory) !== undefined)
        : containersOf(pod).every((c) => c.list === 'ephemeralContainers' || resourceBound(c, 'limits', 'ephemeral-storage', inventory) !== undefined);
      if (bounded) continue;
      out.push({
        path: `${v.path}/emptyDir/sizeLimit`,
        message: memory
          ? `${describeObject(resource.ref)} has memory-backed emptyDir volume "${v.name}" without sizeLimit, and a container writing to it has no memory limit`
          : `${describeObject(resource.ref)} has emptyDir volume "${v.name}" without sizeLimit, and not every container has an ephemeral-storage limit`,
        severity: memory ? 'medium' : 'low',
        evidence: { volume: v.name, medium: memory ? 'Memory' : 'disk' },
        fix: [addOperation(resource.object, `${pod.pointer}${v.path}/emptyDir/sizeLimit`, fixParam(params, FIX_DEFAULTS.emptyDirSizeLimit))],
      });
    }
    return out;
  },
});
