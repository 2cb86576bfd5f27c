import { defineCheck } from '../../core/check.js';
import { describeContainer, isLongRunning } from '../../security-context/security-context.js';
import { isObject } from '../../core/object.js';

/** Without a readiness probe traffic and rollouts go to containers that are not ready yet. */
export default defineCheck({
  id: 'PAL-0119',
  name: 'missing-readiness-probe',
  title: 'Container has no readiness probe',
  severity: 'low',
  category: 'reliability',
  frameworks: [],
  docs: {
    description:
      'A readiness probe tells Services and rollouts when a container can take traffic. Without one, a pod receives requests as soon as its containers start, before the application is listening or warmed up, and a rolling update proceeds even when new replicas are broken. ' +
      'Only long-running containers are checked: regular containers and native sidecars (init containers with `restartPolicy: Always`), ' +
      'not init or ephemeral containers, and not pods that run to completion (Jobs, CronJobs, pods owned by a Job, pods with ' +
      '`restartPolicy` Never or OnFailure).',
    remediation:
      'Add a `readinessProbe` that succeeds only when the container can serve (an HTTP readiness endpoint or the serving TCP port). Containers that serve no traffic can be accepted by exception.',
    references: [
      'https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/',
      'https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment',
    ],
  },
  target: { kind: 'container' },
  evaluate({ container }) {
    if (!isLongRunning(container) || isObject(container.container.readinessProbe)) return undefined;
    return { path: '/readinessProbe', message: `${describeContainer(container)} has no readinessProbe` };
  },
});
