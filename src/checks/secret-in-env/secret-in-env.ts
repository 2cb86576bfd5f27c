import { defineCheck, type Violation } from '../../core/check.js';
import { joinPointer } from '../../core/pointer.js';
import { describeContainer } from '../../security-context/security-context.js';
import { isObject } from '../../core/object.js';

/** Environment variables leak more easily than files: child processes, crash dumps, debug pages and logs all see them. */
export default defineCheck({
  id: 'PAL-0108',
  name: 'secret-in-env',
  title: 'Secret exposed as an environment variable',
  severity: 'low',
  category: 'secrets',
  frameworks: ['cis:5.4.1'],
  docs: {
    description:
      'A Secret referenced through `env[].valueFrom.secretKeyRef` or `envFrom[].secretRef` ends up in the process environment. ' +
      'Every child process inherits it, it is readable in `/proc/<pid>/environ` by anything sharing the process namespace, and ' +
      'applications commonly print their environment in crash reports, debug endpoints and logs. Environment variables are also ' +
      'fixed at container start, so a rotated Secret is not picked up. CIS 5.4.1 prefers Secrets mounted as files.',
    remediation:
      'Mount the Secret as a volume (`volumes[].secret` with `volumeMounts[].readOnly: true`) and have the application read the file, ' +
      'or fetch it from an external secret store at run time.',
    references: [
      'https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod',
      'https://kubernetes.io/docs/concepts/security/secrets-good-practices/',
    ],
  },
  target: { kind: 'container' },
  evaluate({ container }) {
    const out: Violation[] = [];
    const { env, envFrom } = container.container;
    if (Array.isArray(env)) {
      env.forEach((e, i) => {
        if (!isObject(e) || !isObject(e.valueFrom) || !isObject(e.valueFrom.secretKeyRef)) return;
        const ref = e.valueFrom.secretKeyRef;
        const secret = typeof ref.name === 'string' ? ref.name : '';
        const key = typeof ref.key === 'string' ? ref.key : '';
        const variable = typeof e.name === 'string' ? e.name : `#${i}`;
        out.push({
          path: joinPointer('', 'env', i, 'valueFrom', 'secretKeyRef'),
          message: `${describeContainer(container)} exposes key "${key}" of Secret "${secret}" as environment variable ${variable}`,
          evidence: { variable, secret, key },
        });
      });
    }
    if (Array.isArray(envFrom)) {
      envFrom.forEach((e, i) => {
        if (!isObject(e) || !isObject(e.secretRef)) return;
        const secret = typeof e.secretRef.name === 'string' ? e.secretRef.name : '';
        out.push({
          path: joinPointer('', 'envFrom', i, 'secretRef'),
          message: `${describeContainer(container)} exposes every key of Secret "${secret}" as environment variables (envFrom)`,
          evidence: { secret },
        });
      });
    }
    return out;
  },
});
