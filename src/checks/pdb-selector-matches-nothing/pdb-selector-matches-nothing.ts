import { defineCheck, type Violation } from '../../core/check.js';
import { isObject, describeObject } from '../../core/object.js';
import { describeSelector, isEmptySelector, parseSelector, POD_KINDS, scopeOf, SELECTOR_SCOPE_DOCS, selectsNoPod } from '../selectors.js';

/** A budget that selects no pod protects nothing during node drains and upgrades. */
export default defineCheck({
  id: 'PAL-0230',
  name: 'pdb-selector-matches-nothing',
  title: 'PodDisruptionBudget selector matches no pod',
  severity: 'low',
  category: 'reliability',
  frameworks: [],
  docs: {
    description:
      "The PodDisruptionBudget's `spec.selector` is not empty, yet no pod template in its namespace has matching labels: the budget " +
      'covers no pod, so node drains and cluster upgrades may evict every replica of the workload it was meant for at once. An ' +
      'empty selector (every pod of the namespace in policy/v1) is not reported. ' +
      SELECTOR_SCOPE_DOCS,
    remediation: 'Make `spec.selector` match the labels of the workload the budget protects, or delete the budget.',
    references: ['https://kubernetes.io/docs/tasks/run-application/configure-pdb/'],
  },
  target: { kind: 'resource', kinds: ['PodDisruptionBudget'] },
  needs: POD_KINDS,
  uses: ['scopes'],
  evaluate({ models, resource }): Violation | undefined {
    const spec = resource.object.spec;
    const raw = isObject(spec) ? spec.selector : undefined;
    if (raw === undefined || raw === null) return undefined;
    const selector = parseSelector(raw);
    if (isEmptySelector(selector) || selectsNoPod(models.scopes, resource, selector) !== true) return undefined;
    return {
      path: '/spec/selector',
      message: `${describeObject(resource.ref)} selects pods with ${describeSelector(selector)}, but no pod template ${scopeOf(models.scopes, resource)} has them: the budget protects nothing`,
      evidence: { selector: describeSelector(selector) },
    };
  },
});
