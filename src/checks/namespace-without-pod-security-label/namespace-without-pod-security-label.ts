import { defineCheck } from '../../core/check.js';
import { joinPointer } from '../../core/pointer.js';
import type { JsonValue } from '../../core/types.js';

const ENFORCE = 'pod-security.kubernetes.io/enforce';
const LEVELS: ReadonlySet<string> = new Set(['privileged', 'baseline', 'restricted']);

/** Namespaces that hold no pods by design. */
const PODLESS_NAMESPACES: ReadonlySet<string> = new Set(['kube-public', 'kube-node-lease']);

const labelsOf = (metadata: JsonValue | undefined): Readonly<Record<string, JsonValue>> => {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return {};
  const labels = metadata.labels;
  return typeof labels === 'object' && labels !== null && !Array.isArray(labels) ? labels : {};
};

/** Pod Security Admission enforces nothing in a namespace without a level (unless the cluster default is changed). */
export default defineCheck({
  id: 'PAL-0216',
  name: 'namespace-without-pod-security-label',
  title: 'Namespace does not enforce a Pod Security Standard',
  severity: 'medium',
  category: 'admission-control',
  frameworks: ['cis:5.2.1', 'nsa:NSA-10', 'mitre:T1610'],
  docs: {
    description:
      'The Namespace has no valid `pod-security.kubernetes.io/enforce` label (privileged, baseline or restricted). Pod Security ' +
      'Admission then applies the cluster default, which is `privileged` unless the API server was configured otherwise: ' +
      'privileged, host-namespace and hostPath pods are admitted, and one compromised deployment pipeline or namespace admin ' +
      'can take over the node. kube-public and kube-node-lease, which hold no pods, are skipped. If another admission ' +
      'controller (Kyverno, Gatekeeper) enforces pod security, exempt this check.',
    remediation:
      'Label the namespace with `pod-security.kubernetes.io/enforce: restricted` (or `baseline` where restricted is not yet ' +
      'possible) and pin `pod-security.kubernetes.io/enforce-version`; use the `warn` and `audit` labels to try a stricter level first.',
    references: [
      'https://kubernetes.io/docs/concepts/security/pod-security-admission/',
      'https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-namespace-labels/',
    ],
  },
  target: { kind: 'resource', kinds: ['Namespace'] },
  evaluate({ resource }) {
    const ns = resource.ref.name;
    if (PODLESS_NAMESPACES.has(ns)) return undefined;
    const value = labelsOf(resource.object.metadata)[ENFORCE];
    if (typeof value === 'string' && LEVELS.has(value)) return undefined;
    const invalid = value !== undefined;
    return {
      path: joinPointer('/metadata/labels', ENFORCE),
      message: invalid
        ? `Namespace ${ns} sets ${ENFORCE} to ${JSON.stringify(value)}, which is not privileged, baseline or restricted`
        : `Namespace ${ns} has no ${ENFORCE} label, so Pod Security Admission applies the cluster default (privileged unless configured)`,
      evidence: { namespace: ns, label: ENFORCE, ...(invalid ? { value } : {}) },
    };
  },
});
