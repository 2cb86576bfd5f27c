import { defineCheck } from '../../core/check.js';
import { describeContainer, isLongRunning } from '../../security-context/security-context.js';
import { isObject } from '../../core/object.js';

/** Without a liveness probe a wedged process stays "Running" forever. */
export default defineCheck({
  id: 'PAL-0118',
  name: 'missing-liveness-probe',
  title: 'Container has no liveness probe',
  severity: 'low',
  category: 'reliability',
  frameworks: [],
  docs: {
    description:
      'A liveness probe lets the kubelet restart a container that is running but stuck (deadlocked, out of threads, wedged on a dependency). Without one, a hung process keeps its pod Running and serving errors until someone notices. ' +
      'Only long-running containers are checked: regular containers and native sidecars (init containers with `restartPolicy: Always`), ' +
      'not init or ephemeral containers, and not pods that run to completion (Jobs, CronJobs, pods owned by a Job, pods with ' +
      '`restartPolicy` Never or OnFailure).',
    remediation:
      'Add a `livenessProbe` that checks the process itself (an HTTP health endpoint, a TCP port or a command) with a generous `failureThreshold`; do not make it depend on downstream services, or an outage of a dependency restarts every replica. Use a `startupProbe` for slow starters.',
    references: [
      'https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/',
      'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/',
    ],
  },
  target: { kind: 'container' },
  evaluate({ container }) {
    if (!isLongRunning(container) || isObject(container.container.livenessProbe)) return undefined;
    return { path: '/livenessProbe', message: `${describeContainer(container)} has no livenessProbe` };
  },
});
