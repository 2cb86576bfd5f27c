import { defineCheck, type Violation } from '../../core/check.js';
import { joinPointer } from '../../core/pointer.js';
import { credentialLabel, detectCredential, redact, scanText } from '../../credentials/detect.js';
import type { JsonValue } from '../../core/types.js';
import { podSpecsOf } from '../../core/workloads.js';
import { isObject } from '../../core/object.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Key names of the data a Secret's last-applied annotation repeats; undefined when it holds none. */
function leakedSecretKeys(annotation: string): string[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(annotation);
  } catch {
    // Unparsable but visibly carrying data: still a leak.
    return /"(?:data|stringData)"\s*:\s*\{\s*"/.test(annotation) ? [] : undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const keys: string[] = [];
  for (const field of ['data', 'stringData']) {
    const entries = (parsed as Record<string, unknown>)[field];
    if (typeof entries === 'object' && entries !== null) keys.push(...Object.keys(entries));
  }
  return keys.length > 0 ? keys : undefined;
}

/** Annotations are readable by anyone who can list the object, and copied into events, audit logs and CI output. */
export default defineCheck({
  id: 'PAL-0201',
  name: 'credentials-in-annotations',
  title: 'Annotation holds credentials',
  severity: 'high',
  category: 'secrets',
  frameworks: ['mitre:T1552.001', 'ms:MS-TA9027'],
  docs: {
    description:
      'An annotation (on the object or on a pod template) looks like a credential: a known token format or a password/token under a ' +
      'credential-named annotation. Annotations are visible to everyone who can get or list the object, including read-only roles ' +
      'that are never granted Secrets. A Secret that was created with `kubectl apply` also carries the ' +
      '`kubectl.kubernetes.io/last-applied-configuration` annotation, which repeats its data in clear text: anyone who can read ' +
      'the Secret metadata, or a tool that prints annotations, sees the values. For other kinds that annotation only repeats the ' +
      'object (whose fields other checks inspect), so it is not scanned here. Annotations that name a Secret (`auth-secret: basic-auth`), ' +
      'checksums (`checksum/secret`) and placeholders are ignored.',
    remediation:
      'Move credentials to a Secret and reference them. For Secrets, create them with `kubectl create secret`, server-side apply ' +
      '(`kubectl apply --server-side`) or an external secret operator, then remove the annotation with ' +
      '`kubectl annotate secret <name> kubectl.kubernetes.io/last-applied-configuration-`, and rotate the exposed values.',
    references: [
      'https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/',
      'https://kubernetes.io/docs/concepts/security/secrets-good-practices/',
      'https://kubernetes.io/docs/reference/labels-annotations-taints/#kubectl-kubernetes-io-last-applied-configuration',
    ],
  },
  target: { kind: 'resource', kinds: ['*'] },
  evaluate({ resource }) {
    const { kind, name } = resource.ref;
    const places: { readonly pointer: string; readonly metadata: JsonValue | undefined; readonly where: string }[] = [
      { pointer: '/metadata', metadata: resource.object.metadata, where: '' },
    ];
    for (const pod of podSpecsOf(resource)) {
      if (pod.metadataPointer !== '/metadata') places.push({ pointer: pod.metadataPointer, metadata: pod.metadata, where: 'pod template ' });
    }
    const out: Violation[] = [];
    for (const place of places) {
      if (!isObject(place.metadata) || !isObject(place.metadata.annotations)) continue;
      for (const [key, value] of Object.entries(place.metadata.annotations)) {
        if (typeof value !== 'string') continue;
        const pointer = joinPointer(place.pointer, 'annotations', key);
        if (key === LAST_APPLIED) {
          if (kind !== 'Secret' || place.pointer !== '/metadata') continue;
          const keys = leakedSecretKeys(value);
          if (!keys) continue;
          out.push({
            pointer,
            message: `Secret ${name} carries the ${LAST_APPLIED} annotation, which repeats its data${keys.length > 0 ? ` (${keys.join(', ')})` : ''} in clear text`,
            evidence: { annotation: key, secretKeys: keys },
          });
          continue;
        }
        // The whole key is weighed: its prefix can mark a digest (`checksum/secret`).
        const found = detectCredential(key, value);
        if (!found) continue;
        const line = value.includes('\n') ? scanText(value)[0] : undefined;
        out.push({
          pointer,
          message: `${kind} ${name} ${place.where}annotation "${key}" holds what looks like ${credentialLabel(found.kind)}`,
          evidence: { annotation: key, detector: found.kind, confidence: found.confidence, value: line ? line.redacted : redact(value) },
          ...(found.confidence === 'medium' ? { severity: 'medium' as const } : {}),
        });
      }
    }
    return out;
  },
});
