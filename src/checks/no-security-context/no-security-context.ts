import { defineCheck, type Violation } from '../../core/check.js';
import { addOperation, containerSecurityContext, describeContainer, podSecurityContext } from '../../security-context/security-context.js';
import { containersOf } from '../../core/workloads.js';

/** With no security context anywhere, every runtime default applies: root, writable filesystem, default capabilities. */
export default defineCheck({
  id: 'PAL-0124',
  name: 'no-security-context',
  title: 'Container has no security context at any level',
  severity: 'low',
  category: 'security-context',
  frameworks: ['cis:5.6.3'],
  docs: {
    description:
      'Neither the pod nor the container sets a `securityContext` (or sets an empty one). The container then runs with every runtime ' +
      'default: as whatever user the image says (often root), with a writable root filesystem, privilege escalation allowed, the ' +
      "runtime's default capabilities and no seccomp profile. CIS 5.6.3 asks for a security context on pods and containers. Each " +
      'regular and init container without one is reported when its pod has none; ephemeral (debug) containers are not checked. Other ' +
      'checks judge the individual settings.',
    remediation:
      'Add a pod `securityContext` (`runAsNonRoot: true`, `runAsUser`, `runAsGroup`, `fsGroup`, `seccompProfile: {type: RuntimeDefault}`) ' +
      'and a container `securityContext` (`allowPrivilegeEscalation: false`, `readOnlyRootFilesystem: true`, `capabilities: {drop: [ALL]}`).',
    references: [
      'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/',
      'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted',
    ],
  },
  target: { kind: 'pod' },
  evaluate({ pod, resource }) {
    if (Object.keys(podSecurityContext(pod)).length > 0) return undefined;
    const out: Violation[] = [];
    for (const c of containersOf(pod)) {
      if (c.list === 'ephemeralContainers' || Object.keys(containerSecurityContext(c)).length > 0) continue;
      out.push({
        pointer: `${c.pointer}/securityContext`,
        // The least a security context can say without changing how the workload runs.
        fix: [addOperation(resource.object, `${c.pointer}/securityContext`, { allowPrivilegeEscalation: false })],
        message: `${describeContainer(c)} has no securityContext and neither has its pod, so it runs with every runtime default`,
      });
    }
    return out;
  },
});
