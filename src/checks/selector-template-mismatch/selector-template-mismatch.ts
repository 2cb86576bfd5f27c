import { defineCheck, type Violation } from '../../core/check.js';
import { describeObject, isObject } from '../../core/object.js';
import { describeSelector, isEmptySelector, labelsOf, parseSelector, selectorMatches } from '../selectors.js';

/** API versions in which `spec.selector` is required (older betas defaulted it from the template labels). */
const SELECTOR_REQUIRED = new Set(['apps/v1', 'apps/v1beta2']);

/**
 * The API server rejects a controller whose selector does not select its own template
 * (`ValidateDeploymentSpec` and its siblings: "selector does not match template labels").
 */
export default defineCheck({
  id: 'PAL-0133',
  name: 'selector-template-mismatch',
  title: "Workload selector does not match its own pod template's labels",
  severity: 'high',
  category: 'reliability',
  frameworks: [],
  docs: {
    description:
      'A Deployment, StatefulSet, DaemonSet or ReplicaSet manages the pods its `spec.selector` selects, so the selector must match ' +
      'the labels of `spec.template.metadata.labels`. When it does not, or when an apps/v1 object has no (or an empty) selector, ' +
      'the API server rejects the object: the manifest cannot be applied, and in a GitOps pipeline the whole sync fails. The ' +
      'selector is also immutable after creation, so changing it later means deleting and recreating the workload.',
    remediation:
      'Set `spec.selector.matchLabels` to a subset of `spec.template.metadata.labels` that identifies this workload alone ' +
      '(usually `app.kubernetes.io/name` and `app.kubernetes.io/instance`), and keep those labels on the template.',
    references: [
      'https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#selector',
      'https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
    ],
  },
  target: { kind: 'resource', kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'] },
  evaluate({ resource }): Violation | undefined {
    const spec = resource.object.spec;
    if (!isObject(spec)) return undefined;
    const what = describeObject(resource.ref);
    const raw = spec.selector;
    const template = isObject(spec.template) ? spec.template : undefined;
    const labels = labelsOf(template?.metadata);
    if (raw === undefined || raw === null) {
      if (!SELECTOR_REQUIRED.has(resource.ref.apiVersion)) return undefined;
      return {
        path: '/spec',
        message: `${what} has no spec.selector: ${resource.ref.apiVersion} requires one that matches the template labels, so the API server rejects it`,
      };
    }
    const selector = parseSelector(raw);
    if (selector.kind === 'invalid') return { path: '/spec/selector', message: `${what} has an unreadable spec.selector (${selector.reason})` };
    if (isEmptySelector(selector)) {
      return {
        path: '/spec/selector',
        message: `${what} has an empty spec.selector, which the API server rejects: it would select every pod of the namespace`,
      };
    }
    if (selectorMatches(selector, labels)) return undefined;
    const shown = Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    return {
      path: '/spec/selector',
      message: `${what} selects ${describeSelector(selector)}, which its pod template's labels (${shown || 'none'}) do not match: the API server rejects it`,
      evidence: { selector: describeSelector(selector), templateLabels: shown },
    };
  },
});
