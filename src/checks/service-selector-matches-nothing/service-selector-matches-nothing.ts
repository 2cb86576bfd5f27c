import { defineCheck, type Violation } from '../../core/check.js';
import { isObject, describeObject } from '../../core/object.js';
import { describeSelector, isEmptySelector, parseSelector, POD_KINDS, scopeOf, SELECTOR_SCOPE_DOCS, selectsNoPod } from '../selectors.js';

/** A Service whose selector matches no pod has no endpoints: a typo, or a leftover of a removed workload. */
export default defineCheck({
  id: 'PAL-0228',
  name: 'service-selector-matches-nothing',
  title: 'Service selector matches no pod',
  severity: 'low',
  category: 'reliability',
  frameworks: [],
  docs: {
    description:
      'The Service selects pods by label, but no pod template in its namespace carries those labels, so the Service has no ' +
      'endpoints: clients get connection errors, and a leftover Service of a removed workload keeps a name (and possibly a load ' +
      'balancer or node port) that a later workload with matching labels silently takes over. Services without a selector ' +
      '(ExternalName, or endpoints managed by hand) are skipped. ' +
      SELECTOR_SCOPE_DOCS,
    remediation: 'Correct `spec.selector` to the labels of the pod template it should route to, or delete the Service.',
    references: ['https://kubernetes.io/docs/concepts/services-networking/service/#services-without-selectors'],
  },
  target: { kind: 'resource', kinds: ['Service'] },
  needs: POD_KINDS,
  uses: ['scopes'],
  evaluate({ models, resource }): Violation | undefined {
    const spec = resource.object.spec;
    const raw = isObject(spec) ? spec.selector : undefined;
    if (raw === undefined || raw === null) return undefined;
    const selector = parseSelector(raw, true);
    if (isEmptySelector(selector) || selectsNoPod(models.scopes, resource, selector) !== true) return undefined;
    return {
      path: '/spec/selector',
      message: `${describeObject(resource.ref)} selects ${describeSelector(selector)}, which no pod template ${scopeOf(models.scopes, resource)} has: the Service has no endpoints`,
      evidence: { selector: describeSelector(selector) },
    };
  },
});
