import { defineCheck, NOT_APPLICABLE } from '../../core/check.js';
import { isObject } from '../../core/object.js';
import { NODE_FACTS_KIND, nodeDocument } from '../node-facts.js';

/** Providers that encrypt; `identity` stores clear text and `aesgcm` needs key rotation every 200k writes. */
const STRONG = new Set(['aescbc', 'kms', 'secretbox']);

/**
 * CIS 1.2.28: the first provider for `secrets` in the API server's EncryptionConfiguration
 * (the file `--encryption-provider-config` names, recorded by `palisade node`) must encrypt.
 * kube-bench accepts aescbc, kms and secretbox.
 */
export default defineCheck({
  id: 'PAL-0901',
  name: 'encryption-provider-weak',
  title: 'Secrets are not encrypted at rest with a strong provider',
  severity: 'high',
  category: 'control-plane',
  frameworks: ['cis:1.2.28', 'nsa:NSA-18', 'soc2:CC6.7'],
  docs: {
    description:
      'The API server encrypts a resource with the first provider listed for it in its EncryptionConfiguration. When that provider is ' +
      '`identity` (or the resource is not listed), Secrets reach etcd and its backups in clear text. `aesgcm` is accepted by Kubernetes but ' +
      'needs a key rotation every 200,000 writes, so CIS accepts only kms, aescbc and secretbox. The check reads the file that ' +
      '`--encryption-provider-config` names, as `palisade node` records it on a control-plane node.',
    remediation:
      'List `kms` (v2), `aescbc` or `secretbox` first under `providers` for `secrets`, keep `identity` last for reading old data, then ' +
      'rewrite every Secret (`kubectl get secrets -A -o json | kubectl replace -f -`).',
    references: ['https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/'],
  },
  target: { kind: 'resource', kinds: [NODE_FACTS_KIND] },
  evaluate({ resource }) {
    const doc = nodeDocument(resource, 'encryptionConfiguration');
    if (!doc) return NOT_APPLICABLE;
    const resources = Array.isArray(doc.content.resources) ? doc.content.resources : [];
    const i = resources.findIndex((r) => isObject(r) && Array.isArray(r.resources) && r.resources.some((x) => x === 'secrets' || x === '*.*' || x === '*.'));
    const entry = resources[i];
    if (!isObject(entry)) return { pointer: doc.pointer, message: `${doc.path} lists no provider for secrets, so Secrets are stored in clear text` };
    const first = Array.isArray(entry.providers) ? entry.providers[0] : undefined;
    const name = isObject(first) ? Object.keys(first)[0] : undefined;
    if (name !== undefined && STRONG.has(name)) return undefined;
    return {
      pointer: `${doc.pointer}/resources/${i}/providers/0`,
      message: `${doc.path} encrypts secrets first with ${name ?? 'no provider'}, not kms, aescbc or secretbox`,
      evidence: { path: doc.path, provider: name ?? null },
    };
  },
});
