import { defineCheck } from '../../core/check.js';
import { joinPointer } from '../../core/pointer.js';
import type { JsonValue } from '../../core/types.js';

const ENFORCE = 'pod-security.kubernetes.io/enforce';

/** System namespaces whose add-ons need host access; extended with the `allowedNamespaces` parameter. */
const DEFAULT_ALLOWED: readonly string[] = ['kube-system'];

const labelsOf = (metadata: JsonValue | undefined): Readonly<Record<string, JsonValue>> => {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return {};
  const labels = metadata.labels;
  return typeof labels === 'object' && labels !== null && !Array.isArray(labels) ? labels : {};
};

/** `privileged` is an explicit opt-out of every pod-level protection. */
export default defineCheck({
  id: 'PAL-0217',
  name: 'namespace-pss-privileged',
  title: 'Namespace enforces the privileged Pod Security level',
  severity: 'medium',
  category: 'admission-control',
  frameworks: ['cis:5.2.1', 'nsa:NSA-10', 'mitre:T1611'],
  docs: {
    description:
      'The Namespace is labelled `pod-security.kubernetes.io/enforce: privileged`, which switches Pod Security Admission off ' +
      'for it: privileged containers, host namespaces, hostPath volumes and added capabilities are all admitted, so anyone who ' +
      'can create pods there can take over the node. Only system namespaces running node-level agents (CNI, CSI, monitoring ' +
      'agents) need it. kube-system is allowed by default; list further namespaces in the `allowedNamespaces` parameter.',
    remediation:
      'Enforce `baseline` or `restricted`; move the few workloads that need host access into a dedicated namespace with ' +
      'restricted RBAC, and list that namespace in `allowedNamespaces`.',
    references: [
      'https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-levels',
      'https://kubernetes.io/docs/concepts/security/pod-security-standards/#privileged',
    ],
  },
  target: { kind: 'resource', kinds: ['Namespace'] },
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowedNamespaces: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        description: 'namespaces allowed to enforce privileged, besides kube-system',
      },
    },
  },
  evaluate({ resource, params }) {
    const ns = resource.ref.name;
    const extra = Array.isArray(params.allowedNamespaces) ? params.allowedNamespaces.filter((n): n is string => typeof n === 'string') : [];
    if (DEFAULT_ALLOWED.includes(ns) || extra.includes(ns)) return undefined;
    if (labelsOf(resource.object.metadata)[ENFORCE] !== 'privileged') return undefined;
    return {
      path: joinPointer('/metadata/labels', ENFORCE),
      message: `Namespace ${ns} enforces the privileged Pod Security level: any pod, including privileged and host-access pods, is admitted`,
      evidence: { namespace: ns, label: ENFORCE, value: 'privileged' },
    };
  },
});
