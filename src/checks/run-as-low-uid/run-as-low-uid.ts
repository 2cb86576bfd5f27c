import { defineCheck } from '../../core/check.js';
import { FIX_DEFAULTS, fixParam, fixValueSchema } from '../../core/fix.js';
import { addOperation, describeContainer, effectiveSetting, isWindowsPod } from '../../security-context/security-context.js';

/** Below this, UIDs overlap the system and human accounts of typical Linux hosts. */
const MIN_UID = 10000;

/** A low UID shared with a host account gives an escaped process that account's files and privileges. */
export default defineCheck({
  id: 'PAL-0120',
  name: 'run-as-low-uid',
  title: 'Container runs with a low user ID',
  severity: 'low',
  category: 'security-context',
  frameworks: ['nsa:NSA-01'],
  docs: {
    description:
      `The effective \`runAsUser\` (container value, else pod value) is between 1 and ${MIN_UID - 1}. Host accounts live in that ` +
      'range (system services below 1000, people from 1000), so a process that escapes the container, or writes to a host volume, ' +
      'does so as an existing host user and gets its files. Without user namespaces, UIDs in the container are UIDs on the node. ' +
      'Only explicit settings are judged: when `runAsUser` is unset the image decides, and UID 0 (root) is reported by the Pod ' +
      'Security Standards run-as-user check. Windows pods are skipped.',
    remediation:
      `Run as a UID of ${MIN_UID} or more (for example \`runAsUser: 10001\`, with a matching \`runAsGroup\`), built into the image ` +
      'with `USER 10001` so it also holds outside Kubernetes. Where available, `hostUsers: false` maps container UIDs to unprivileged ' +
      'host UIDs altogether.',
    references: [
      'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/',
      'https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/',
    ],
  },
  target: { kind: 'container' },
  fixSafety: 'review',
  paramsSchema: fixValueSchema('integer', 'the UID the fix sets (default 10001)'),
  evaluate({ container, resource, params }) {
    if (isWindowsPod(container.pod)) return undefined;
    const setting = effectiveSetting(container, 'runAsUser');
    const uid = setting?.value;
    if (setting === undefined || typeof uid !== 'number' || !Number.isInteger(uid) || uid <= 0 || uid >= MIN_UID) return undefined;
    return {
      pointer: setting.pointer,
      message: `${describeContainer(container)} runs as UID ${uid}${setting.level === 'pod' ? ' (set on the pod)' : ''}, below ${MIN_UID}, which may be a user of the node`,
      evidence: { runAsUser: uid, level: setting.level },
      fix: [addOperation(resource.object, setting.pointer, fixParam(params, FIX_DEFAULTS.runAsUser))],
    };
  },
});
