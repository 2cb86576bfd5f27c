import { defineCheck, type Violation } from '../../core/check.js';
import { isPlaceholder } from '../../credentials/detect.js';
import type { JsonObject } from '../../core/types.js';
import { isObject } from '../../core/object.js';
import { decodeBase64, utf8Text } from '../../core/bytes.js';

/** Types whose data a controller or tool writes in the cluster; they are never authored by hand. */
const GENERATED_TYPES: ReadonlySet<string> = new Set(['kubernetes.io/service-account-token', 'helm.sh/release.v1']);

/** Objects read from a cluster carry server-set metadata; the check is about authored manifests. */
function isLiveObject(metadata: JsonObject): boolean {
  return typeof metadata.uid === 'string' || typeof metadata.resourceVersion === 'string' || Array.isArray(metadata.ownerReferences);
}

function decode(b64: string): string {
  return utf8Text(decodeBase64(b64));
}

/** Keys whose value is real content, not empty or a template placeholder (`${DB_PASSWORD}`). */
function keysWithValues(entries: JsonObject, base64: boolean): string[] {
  return Object.entries(entries)
    .filter(([, v]) => typeof v === 'string' && !isPlaceholder(base64 ? decode(v) : v))
    .map(([k]) => k);
}

/** CIS 5.4.2: secret values belong in a secret store, not in the manifests that version control keeps forever. */
export default defineCheck({
  id: 'PAL-0202',
  name: 'secret-values-in-manifest',
  title: 'Secret manifest carries its values',
  severity: 'info',
  category: 'secrets',
  frameworks: ['cis:5.4.2', 'mitre:T1552.001'],
  docs: {
    description:
      'A Secret manifest contains its values in `data` (base64, which is an encoding, not encryption) or `stringData` (clear text). ' +
      'Manifests are kept in Git, copied into CI logs, Helm release history and artefact stores, so every value is exposed to ' +
      'everyone with access to them, and stays in history after rotation. Secrets read from a live cluster (with a uid, ' +
      'resourceVersion or owner), generated types (service-account tokens, Helm releases) and values that are placeholders ' +
      // biome-ignore lint/suspicious/noTemplateCurlyInString: names the placeholder syntax, not a template
      '(`${DB_PASSWORD}`, empty) are not reported. Only key names are shown in findings.',
    remediation:
      'Keep the values out of the manifests: use an external secret store (External Secrets Operator, Secrets Store CSI driver, ' +
      'Vault) or commit encrypted Secrets (Sealed Secrets, SOPS). Rotate values that were committed in clear text.',
    references: [
      'https://kubernetes.io/docs/concepts/configuration/secret/',
      'https://kubernetes.io/docs/concepts/security/secrets-good-practices/',
      'https://kubernetes.io/docs/tasks/configmap-secret/managing-secret-using-config-file/',
    ],
  },
  target: { kind: 'resource', kinds: ['Secret'] },
  evaluate({ resource }) {
    const obj = resource.object;
    const metadata = isObject(obj.metadata) ? obj.metadata : {};
    if (isLiveObject(metadata)) return undefined;
    if (typeof obj.type === 'string' && GENERATED_TYPES.has(obj.type)) return undefined;
    const out: Violation[] = [];
    for (const field of ['stringData', 'data'] as const) {
      const entries = obj[field];
      if (!isObject(entries)) continue;
      const keys = keysWithValues(entries, field === 'data');
      if (keys.length === 0) continue;
      out.push({
        path: `/${field}`,
        message: `Secret ${resource.ref.name} has ${field === 'stringData' ? 'clear-text' : 'base64-encoded'} values in ${field} (${keys.join(', ')}) committed in the manifest`,
        evidence: { field, keys },
      });
    }
    return out;
  },
});
