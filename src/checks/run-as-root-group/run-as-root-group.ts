import { defineCheck, type Violation } from '../../core/check.js';
import type { JsonValue } from '../../core/types.js';
import { FIX_DEFAULTS, fixParam, fixValueSchema } from '../../core/fix.js';
import { joinPointer } from '../../core/pointer.js';
import { describeContainer, effectiveSetting, isWindowsPod, podSecurityContext } from '../../security-context/security-context.js';
import { containersOf } from '../../core/workloads.js';
import { describeObject } from '../../core/object.js';

/** Group 0 owns much of a Linux filesystem: files that are group-readable or -writable by root become reachable. */
export default defineCheck({
  id: 'PAL-0121',
  name: 'run-as-root-group',
  title: 'Pod runs with the root group',
  severity: 'low',
  category: 'security-context',
  frameworks: ['nsa:NSA-01'],
  docs: {
    description:
      'A container runs with group ID 0 (`runAsGroup: 0`, on the container or the pod), or the pod adds group 0 to every container ' +
      "through `fsGroup: 0` or `supplementalGroups`. Group 0 is root's group: on a host volume, or after an escape, the process can read " +
      "and write whatever root's group may, and tools that treat group 0 as privileged trust it. Running as a non-root user does not " +
      'help when the group is still root. Only explicit settings are judged; Windows pods are skipped.',
    remediation: "Set `runAsGroup`, `fsGroup` and `supplementalGroups` to a non-zero group (for example 10001) and make the image's files owned by that group.",
    references: ['https://kubernetes.io/docs/tasks/configure-pod-container/security-context/'],
  },
  target: { kind: 'pod' },
  fixSafety: 'review',
  paramsSchema: fixValueSchema('integer', 'the GID the fix sets (default 10001)'),
  evaluate({ pod, resource, params }) {
    if (isWindowsPod(pod)) return undefined;
    const out: Violation[] = [];
    const seen = new Set<string>();
    for (const c of containersOf(pod)) {
      const s = effectiveSetting(c, 'runAsGroup');
      if (s?.value !== 0 || seen.has(s.pointer)) continue;
      seen.add(s.pointer);
      out.push({
        pointer: s.pointer,
        message:
          s.level === 'pod'
            ? `${describeObject(resource.ref)} runs its containers with group ID 0 (root) through the pod's securityContext.runAsGroup`
            : `${describeContainer(c)} runs with group ID 0 (root) through securityContext.runAsGroup`,
        evidence: { runAsGroup: 0, level: s.level },
        fix: [{ op: 'replace', path: s.pointer, value: fixParam(params, FIX_DEFAULTS.runAsGroup) }],
      });
    }
    const sc = podSecurityContext(pod);
    const base = joinPointer(pod.pointer, 'securityContext');
    if (sc.fsGroup === 0) {
      out.push({
        pointer: `${base}/fsGroup`,
        message: `${describeObject(resource.ref)} sets fsGroup: 0, adding the root group to every container`,
        evidence: { fsGroup: 0 },
        fix: [{ op: 'replace', path: `${base}/fsGroup`, value: fixParam(params, FIX_DEFAULTS.runAsGroup) }],
      });
    }
    if (Array.isArray(sc.supplementalGroups)) {
      sc.supplementalGroups.forEach((g, i) => {
        if (g === 0) {
          out.push({
            pointer: joinPointer(base, 'supplementalGroups', i),
            message: `${describeObject(resource.ref)} lists group 0 (root) in supplementalGroups, adding it to every container`,
            evidence: { supplementalGroup: 0 },
            // One replace of the whole list: the fixes of several entries agree.
            fix: [{ op: 'replace', path: joinPointer(base, 'supplementalGroups'), value: (sc.supplementalGroups as JsonValue[]).filter((x) => x !== 0) }],
          });
        }
      });
    }
    return out;
  },
});
