import { defineCheck, type Violation } from '../../core/check.js';
import { joinPointer } from '../../core/pointer.js';
import { type CredentialKind, credentialLabel, detectCredential, redact, scanText, type TextCredentialMatch } from '../../credentials/detect.js';
import { isObject } from '../../core/object.js';
import { decodeBase64, utf8Text } from '../../core/bytes.js';

/** binaryData is base64; only text that decodes cleanly (no NUL, valid UTF-8) is scanned. */
function decodeText(b64: string): string | undefined {
  if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(b64)) return undefined;
  const buf = decodeBase64(b64);
  if (buf.includes(0)) return undefined;
  const text = utf8Text(buf);
  return text.includes('\uFFFD') ? undefined : text;
}

interface Found {
  readonly kind: CredentialKind;
  readonly confidence: 'high' | 'medium';
  readonly redacted: string;
  readonly line?: number;
  readonly key?: string;
}

/** The strongest detection in one entry; multi-line values are scanned line by line. */
function inspect(key: string, value: string): Found | undefined {
  if (value.includes('\n')) {
    const matches: TextCredentialMatch[] = scanText(value);
    const best = matches.find((m) => m.confidence === 'high') ?? matches[0];
    return best
      ? { kind: best.kind, confidence: best.confidence, redacted: best.redacted, line: best.line, ...(best.key ? { key: best.key } : {}) }
      : undefined;
  }
  const m = detectCredential(key, value);
  return m ? { ...m, redacted: redact(value) } : undefined;
}

/** ConfigMaps are readable far more widely than Secrets and are never encrypted at rest. */
export default defineCheck({
  id: 'PAL-0200',
  name: 'credentials-in-configmap',
  title: 'ConfigMap holds credentials',
  severity: 'high',
  category: 'secrets',
  frameworks: ['mitre:T1552.001', 'ms:MS-TA9027', 'cis:5.4.2'],
  docs: {
    description:
      'A ConfigMap entry looks like a credential: a known token format (cloud keys, GitHub/GitLab/Slack tokens, private keys, JWTs, ' +
      'passwords in URLs) or a password/token/API key under a credential-named key or assignment inside a config file. ConfigMaps are ' +
      'not meant for confidential data: they are granted to many more users and controllers than Secrets, show up in logs and ' +
      // biome-ignore lint/suspicious/noTemplateCurlyInString: names the placeholder syntax, not a template
      'dashboards, are not encrypted at rest, and end up in Git. Placeholders (`${VAR}`, `<password>`, `REPLACE_ME`), file paths and ' +
      'secret-manager references are ignored, and so are Argo CD references to Secret keys (`$dex.github.clientSecret`, `$slack-token`, ' +
      '`$secret-name:key`). Findings of medium confidence (short or weak literal values) are reported at medium severity. A credential ' +
      'inside a config file held as a literal block scalar (`config.yaml: |`) is located at its own line in the file, not at the key.',
    remediation:
      'Move the value into a Secret (or an external secret store) and reference it with `secretKeyRef`/a mounted Secret volume; ' +
      'rotate the credential, since it has already been exposed to everyone who can read the ConfigMap.',
    references: [
      'https://kubernetes.io/docs/concepts/configuration/configmap/',
      'https://kubernetes.io/docs/concepts/configuration/secret/',
      'https://kubernetes.io/docs/concepts/security/secrets-good-practices/',
    ],
  },
  target: { kind: 'resource', kinds: ['ConfigMap'] },
  evaluate({ resource }) {
    const out: Violation[] = [];
    const name = resource.ref.name;
    for (const field of ['data', 'binaryData'] as const) {
      const entries = resource.object[field];
      if (!isObject(entries)) continue;
      for (const [key, raw] of Object.entries(entries)) {
        if (typeof raw !== 'string') continue;
        const value = field === 'binaryData' ? decodeText(raw) : raw;
        if (value === undefined) continue;
        const found = inspect(key, value);
        if (!found) continue;
        const where = found.line !== undefined ? ` (line ${found.line}${found.key ? `, key "${found.key}"` : ''})` : '';
        out.push({
          path: joinPointer('', field, key),
          // binaryData is base64 in the source: its decoded lines are not source lines.
          ...(found.line !== undefined && field === 'data' ? { line: found.line } : {}),
          message: `ConfigMap ${name} ${field}.${key} holds what looks like ${credentialLabel(found.kind)}${where}: store it in a Secret`,
          evidence: {
            key,
            detector: found.kind,
            confidence: found.confidence,
            value: found.redacted,
            ...(found.line !== undefined ? { line: found.line } : {}),
            ...(found.key ? { assignment: found.key } : {}),
          },
          ...(found.confidence === 'medium' ? { severity: 'medium' as const } : {}),
        });
      }
    }
    return out;
  },
});
