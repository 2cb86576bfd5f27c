import { defineCheck, type Violation } from '../../core/check.js';
import { isObject, describeObject } from '../../core/object.js';
import { describeSelector, isEmptySelector, parseSelector, POD_KINDS, scopeOf, SELECTOR_SCOPE_DOCS, selectsNoPod } from '../selectors.js';

/** A policy that selects no pod protects nothing: usually a label typo that leaves the intended pods open. */
export default defineCheck({
  id: 'PAL-0229',
  name: 'networkpolicy-selector-matches-nothing',
  title: 'NetworkPolicy podSelector matches no pod',
  severity: 'medium',
  category: 'network',
  frameworks: [],
  docs: {
    description:
      "The NetworkPolicy's `spec.podSelector` is not empty, yet no pod template in its namespace has matching labels, so the policy " +
      'applies to no pod. Such a policy is almost always meant for a workload whose labels differ (a typo, a renamed label), which ' +
      'then runs without the isolation the policy was written to give. An empty podSelector (every pod of the namespace) is ' +
      'never reported. ' +
      SELECTOR_SCOPE_DOCS,
    remediation: 'Make `spec.podSelector` match the labels of the pod template it is meant to isolate, or delete the stale policy.',
    references: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/'],
  },
  target: { kind: 'resource', kinds: ['NetworkPolicy'] },
  needs: POD_KINDS,
  uses: ['scopes'],
  evaluate({ models, resource }): Violation | undefined {
    const spec = resource.object.spec;
    const raw = isObject(spec) ? spec.podSelector : undefined;
    if (raw === undefined || raw === null) return undefined;
    const selector = parseSelector(raw);
    if (isEmptySelector(selector) || selectsNoPod(models.scopes, resource, selector) !== true) return undefined;
    return {
      path: '/spec/podSelector',
      message: `${describeObject(resource.ref)} selects pods with ${describeSelector(selector)}, but no pod template ${scopeOf(models.scopes, resource)} has them: the policy isolates nothing`,
      evidence: { selector: describeSelector(selector) },
    };
  },
});
