import { defineCheck, type Violation } from '../../core/check.js';
import { describeObject, isObject } from '../../core/object.js';
import { labelsOf } from '../scope-model.js';
import { describeSelector, isEmptySelector, parseSelector, selectorMatches } from '../selectors.js';

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
      'selector is also immutable after creation, so changing it later means deleting and recreating the workload. An object ' +
      'without any selector is not reported: kustomize bases and patches leave it to `labels`/`commonLabels`, and the API server ' +
      'rejects a rendered apps/v1 object without one anyway.',
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
    // No selector at all is left alone: kustomize bases and patches omit it and get it from
    // `labels`/`commonLabels` when rendered, so its absence in a file is not an error yet.
    if (raw === undefined || raw === null) return undefined;
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
