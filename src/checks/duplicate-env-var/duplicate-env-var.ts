import { defineCheck, type Violation } from '../../core/check.js';
import { isObject } from '../../core/object.js';
import { describeContainer } from '../../security-context/security-context.js';

/** A name set twice is an edit gone wrong: the container silently gets the last value only. */
export default defineCheck({
  id: 'PAL-0131',
  name: 'duplicate-env-var',
  title: 'Container sets the same environment variable twice',
  severity: 'low',
  category: 'reliability',
  frameworks: [],
  docs: {
    description:
      "The same name appears more than once in a container's `env` list. The container gets only the last value, without any " +
      'error, so whoever reads or edits the first entry (a credential reference, a feature flag) is misled. `kubectl apply` merges ' +
      '`env` by name, so later edits to such a list may also drop or reorder entries unexpectedly. Each repetition is reported at ' +
      'its `name`, naming the earlier entries.',
    remediation: 'Keep one entry per name: delete the entries that are overridden, after checking which value the container should get.',
    references: ['https://kubernetes.io/docs/tasks/inject-data-application/define-environment-variable-container/'],
  },
  target: { kind: 'container' },
  evaluate({ container }): Violation[] {
    const env = container.container.env;
    if (!Array.isArray(env)) return [];
    const seen = new Map<string, number[]>();
    const out: Violation[] = [];
    env.forEach((e, i) => {
      if (!isObject(e) || typeof e.name !== 'string') return;
      const earlier = seen.get(e.name);
      if (earlier) {
        out.push({
          path: `/env/${i}/name`,
          message: `${describeContainer(container)} sets ${e.name} again in env[${i}] (also in env[${earlier.join('], env[')}]): only the last value is used`,
          evidence: { variable: e.name, entries: [...earlier, i] },
        });
        earlier.push(i);
      } else seen.set(e.name, [i]);
    });
    return out;
  },
});
