/**
 * Credential detection in strings, for checks that look at ConfigMaps, annotations and
 * other places where secrets do not belong. Pure and allocation-light: no I/O, no clock.
 *
 * Two kinds of evidence are combined:
 * - known token formats (AWS key ids, GitHub/GitLab/Slack/Stripe/npm/OpenAI tokens, Google
 *   API keys, PEM private keys, JWTs, credentials in URLs, Azure account keys), matched
 *   anywhere in a value: high confidence;
 * - a key-name heuristic (`db_password`, `apiKey`, `client-secret`...) gated by placeholder,
 *   reference and entropy tests, so that `${PASSWORD}`, `/etc/creds/token` or `true` are not
 *   reported while `password123` is.
 *
 * Values are never returned: results carry a {@link redact}ed preview at most.
 * Token formats follow the vendors' published formats (GitHub, GitLab, Slack, Stripe, AWS IAM
 * identifiers), as collected by gitleaks and GitHub secret scanning.
 */
import { decodeBase64, utf8Text } from '../core/bytes.js';

/** What a detector recognised. Vendor formats first, then key-name based kinds. */
export type CredentialKind =
  | 'private-key'
  | 'aws-access-key-id'
  | 'aws-secret-access-key'
  | 'github-token'
  | 'gitlab-token'
  | 'slack-token'
  | 'slack-webhook'
  | 'stripe-secret-key'
  | 'google-api-key'
  | 'jwt'
  | 'npm-token'
  | 'openai-api-key'
  | 'azure-storage-key'
  | 'authorization-header'
  | 'url-credentials'
  | 'password'
  | 'generic-secret';

const LABELS: Readonly<Record<CredentialKind, string>> = {
  'private-key': 'a private key',
  'aws-access-key-id': 'an AWS access key ID',
  'aws-secret-access-key': 'an AWS secret access key',
  'github-token': 'a GitHub token',
  'gitlab-token': 'a GitLab token',
  'slack-token': 'a Slack token',
  'slack-webhook': 'a Slack webhook URL',
  'stripe-secret-key': 'a Stripe secret key',
  'google-api-key': 'a Google API key',
  jwt: 'a JSON Web Token',
  'npm-token': 'an npm token',
  'openai-api-key': 'an OpenAI API key',
  'azure-storage-key': 'an Azure storage account key',
  'authorization-header': 'an HTTP authorization credential',
  'url-credentials': 'a password in a URL',
  password: 'a password',
  'generic-secret': 'a secret token or key',
};

/**
 * A readable phrase, with its article, for messages.
 *
 * @example
 * credentialLabel('aws-access-key-id'); // 'an AWS access key ID'
 */
export function credentialLabel(kind: CredentialKind): string {
  return LABELS[kind];
}

/** `high`: a known format or a random-looking value; `medium`: a weak or short literal. */
export type CredentialConfidence = 'high' | 'medium';

/** One detection for a key/value pair. */
export interface CredentialMatch {
  readonly kind: CredentialKind;
  readonly confidence: CredentialConfidence;
}

/** One detection inside a text. */
export interface TextCredentialMatch extends CredentialMatch {
  /** 1-based line of the text where the credential sits. */
  readonly line: number;
  /** The assignment's key when the credential was found as `key=value` (never the value). */
  readonly key?: string;
  /** The matched credential, redacted with {@link redact}. */
  readonly redacted: string;
}

interface TokenPattern {
  readonly kind: CredentialKind;
  readonly re: RegExp;
  /** Rejects matches that have the format but are documentation examples or look-alikes. */
  readonly accept?: (match: string) => boolean;
  /** Index of the capture group holding the secret part (default: the whole match). */
  readonly group?: number;
}

const notExample = (m: string): boolean => !/example/i.test(m);

/** Mixed case plus digits: real OpenAI keys have it, kebab-case names starting with `sk-` do not. */
const looksRandom = (m: string): boolean => /[A-Z]/.test(m) && /[a-z]/.test(m) && /[0-9]/.test(m);

/** A JWT's first segment decodes to a JSON header with `alg` or `typ`. */
function isJwtHeader(m: string): boolean {
  const head = m.slice(0, m.indexOf('.'));
  try {
    const parsed: unknown = JSON.parse(utf8Text(decodeBase64(head)));
    return typeof parsed === 'object' && parsed !== null && ('alg' in parsed || 'typ' in parsed);
  } catch {
    return false;
  }
}

/** `LS0tLS1CRUdJTi` is base64 of `-----BEGIN`; the first 48 bytes say whether a private key follows. */
function isBase64PrivateKey(m: string): boolean {
  return /-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY/.test(String.fromCharCode(...decodeBase64(m.slice(0, 64))));
}

// Every pattern is linear: no nested quantifiers, bounded alternations.
const TOKEN_PATTERNS: readonly TokenPattern[] = [
  { kind: 'private-key', re: /-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----/g },
  // Base64 of a PEM private key, as in kubeconfig `client-key-data` and Secret manifests' `tls.key`.
  { kind: 'private-key', re: /\bLS0tLS1CRUdJTi[A-Za-z0-9+/]{40,}={0,2}/g, accept: isBase64PrivateKey },
  { kind: 'aws-access-key-id', re: /\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}\b/g, accept: notExample },
  { kind: 'github-token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{60,255})\b/g },
  { kind: 'gitlab-token', re: /\bglpat-[A-Za-z0-9_-]{20,}/g },
  { kind: 'slack-token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, accept: (m) => /[0-9]/.test(m) },
  { kind: 'slack-webhook', re: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]{16,}/g },
  { kind: 'stripe-secret-key', re: /\b[sr]k_live_[A-Za-z0-9]{16,}\b/g },
  { kind: 'google-api-key', re: /\bAIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g },
  { kind: 'jwt', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, accept: isJwtHeader },
  { kind: 'npm-token', re: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { kind: 'openai-api-key', re: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])/g, accept: looksRandom },
  { kind: 'azure-storage-key', re: /\b(?:AccountKey|SharedAccessKey)=([A-Za-z0-9+/]{30,}={0,2})/g, group: 1 },
  { kind: 'authorization-header', re: /\b(?:Bearer|Basic)\s+([A-Za-z0-9._~+/-]{16,}={0,2})/g, group: 1, accept: (m) => assessValue(m) === 'high' },
];

/** `scheme://user:password@host`: the password is group 2. */
const URL_CREDENTIALS_RE = /\b[a-z][a-z0-9+.-]{0,30}:\/\/([^\s:@/?#"'<>]*):([^\s@/?#"'<>]+)@[^\s/?#"'<>:@]+/gi;

const AWS_SECRET_RE = /^[A-Za-z0-9/+]{40}$/;

/**
 * `key = value`, `key: value`, `"key": "value"`, `--key=value`, `key => value` inside config
 * text (properties, env files, YAML, JSON, INI, connection strings, query strings).
 */
const ASSIGNMENT_RE =
  /(?:^|[\s{,;"'(&?-])["']?([A-Za-z_][A-Za-z0-9_.-]{0,80})["']?[ \t]*(?:=>|:=|=|:)[ \t]*("(?:[^"\\\n]|\\.){0,500}"|'[^'\n]{0,500}'|[^\s"',;&}\]]{1,500})/g;

/** `<password>value</password>` in XML configuration. */
const XML_ELEMENT_RE = /<([A-Za-z_][A-Za-z0-9_.-]{0,80})>([^<\s]{1,500})<\/\1>/g;

const PEM_BEGIN_RE = /-----BEGIN [A-Z0-9 ]+-----/;
const PEM_END_RE = /-----END [A-Z0-9 ]+-----/;

/** A literal every token pattern (and URL credentials) needs; keep in step with TOKEN_PATTERNS. */
const TOKEN_HINT_RE =
  /-----BEGIN|LS0tLS1CRUdJTi|A(?:KIA|SIA|BIA|CCA|3T)|gh[pousr]_|github_pat_|glpat-|xox[abposr]-|hooks\.slack\.com|k_live_|AIza|eyJ|npm_|sk-|AccountKey=|SharedAccessKey=|Bearer|Basic|:\/\//;

/** A fragment every sensitive key name contains (see SENSITIVE_ENDINGS, GLUED_ENDINGS). */
const KEY_HINT_RE = /pass|pwd|secret|token|key|cred|conn/i;

/** Words that turn a sensitive-looking key into a digest of a secret, not the secret. */
const DIGEST_WORDS: ReadonlySet<string> = new Set(['checksum', 'hash', 'digest', 'sha', 'sha1', 'sha256', 'sha512', 'md5', 'fingerprint', 'thumbprint']);

/** Key endings that name a credential, compared on the last one, two or three words joined. */
const SENSITIVE_ENDINGS: ReadonlySet<string> = new Set([
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'pass',
  'secret',
  'secrets',
  'token',
  'tokens',
  'apikey',
  'apikeys',
  'accesskey',
  'secretkey',
  'privatekey',
  'signingkey',
  'encryptionkey',
  'masterkey',
  'authkey',
  'credential',
  'credentials',
  'creds',
  'connectionstring',
  'connstring',
  'connstr',
]);

/** Long endings also recognised glued to a prefix in one word (`dbpassword`, `apitoken`). */
const GLUED_ENDINGS: readonly string[] = ['password', 'passwd', 'passphrase', 'secret', 'token', 'apikey', 'credentials'];

type KeyClass = 'password' | 'aws-secret' | 'secret' | 'credential';

/** Splits `spring.datasource.dbPassword`, `DB_PASSWORD`, `api-key` into lower-case words. */
function splitWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/**
 * Classifies a key name: undefined when it does not name a credential. Only the end of the
 * key counts, so `password_file`, `tokenUrl`, `secretName` and `token_ttl` are not sensitive.
 */
function classifyKey(key: string): KeyClass | undefined {
  const words = splitWords(key);
  if (words.length === 0 || words.some((w) => DIGEST_WORDS.has(w))) return undefined;
  const last = words[words.length - 1] as string;
  const tails = [last, words.slice(-2).join(''), words.slice(-3).join('')];
  const sensitive = tails.some((t) => SENSITIVE_ENDINGS.has(t)) || GLUED_ENDINGS.some((e) => last.length > e.length && last.endsWith(e));
  if (!sensitive) return undefined;
  if (tails.some((t) => t.endsWith('secretaccesskey')) || (words.includes('aws') && (tails[1] === 'secretkey' || tails[1] === 'accesskey')))
    return 'aws-secret';
  if (/(?:password|passwd|passphrase|pwd|pass)$/.test(last)) return 'password';
  if (/(?:secret|secrets|credential|credentials|creds)$/.test(last)) return 'credential';
  return 'secret';
}

/**
 * Shannon entropy of a string in bits per character.
 *
 * @example
 * shannonEntropy('aaaa'); // 0
 * shannonEntropy('ab');   // 1
 */
export function shannonEntropy(value: string): number {
  if (value === '') return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const n = [...value].length;
  let h = 0;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

const PLACEHOLDER_WORDS: ReadonlySet<string> = new Set([
  'true',
  'false',
  'yes',
  'no',
  'on',
  'off',
  'null',
  'nil',
  'none',
  'undefined',
  'empty',
  'n/a',
  'na',
  'tbd',
  'todo',
  'fixme',
  'unset',
  'default',
  'required',
  'optional',
  'enabled',
  'disabled',
  'auto',
  'generated',
  'redacted',
  'masked',
  'hidden',
  'example',
  'sample',
  'dummy',
  'placeholder',
  'changeme',
  'change_me',
  'change-me',
  'replace_me',
  'replace-me',
  'replaceme',
  // The JDK's published default for trust stores, which hold public certificates.
  'changeit',
]);

/**
 * True for values that stand for a secret without being one: empty, templated
 * (`${X}`, `$(X)`, `{{ .Values.x }}`, `<password>`), masked (`***`, `xxx`), booleans, or
 * words such as `example`, `REPLACE_ME`, `changeme` (the author marked them for replacement).
 *
 * @example
 * isPlaceholder('${DB_PASSWORD}'); // true
 * isPlaceholder('password123');    // false
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v === '') return true;
  if (PLACEHOLDER_WORDS.has(v.toLowerCase())) return true;
  if (/^(.)\1*$/.test(v)) return true;
  if (v.includes('${') || v.includes('$(') || v.includes('{{') || v.includes('%(')) return true;
  if (/^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v) || /^%[A-Za-z_][A-Za-z0-9_]*%$/.test(v)) return true;
  if (/^<[^<>]*>$/.test(v) || /^\[[^[\]]*\]$/.test(v)) return true;
  if (/^[x*.#_-]+$/i.test(v)) return true;
  if (/example|placeholder|redacted|\byour[-_ ]|[-_ ]here$|^(?:replace|change|insert|enter)[-_ ]?(?:me|this|it)?$/i.test(v)) return true;
  return false;
}

/** Code that fetches the value (`process.env.X`, `os.getenv("X")`, `config.get(...)`) or a YAML alias. */
const CODE_REFERENCE =
  /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+\s*[([]|^(?:ENV|getenv|env|lookup|secret|file|readFile)\s*[([]|^[*&][\w-]+$|^(?:process\.env|os\.environ|env|self|this|config|settings|params|values|secrets)\./i;

/**
 * Argo CD's reference to a key of a Secret: `$<key>` (a key of `argocd-secret`, e.g.
 * `$dex.github.clientSecret`, `$slack-token`) or `$<secret>:<key>`. Secret keys allow only
 * `[-._a-zA-Z0-9]`, so a value with any other character after the `$` is not one.
 * https://argo-cd.readthedocs.io/en/stable/operator-manual/user-management/#sensitive-data-and-sso-client-secrets
 */
const SECRET_KEY_REFERENCE = /^\$[A-Za-z_][-._A-Za-z0-9]*(?::[-._A-Za-z0-9]+)?$/;

/** Paths, credential-free URLs, secret-manager references and code point at a secret elsewhere. */
function isReference(v: string): boolean {
  if (SECRET_KEY_REFERENCE.test(v)) return true;
  if (CODE_REFERENCE.test(v)) return true;
  if (/^(?:\/|\.\.?\/|~\/|file:)/.test(v)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/i.test(v)) return true;
  if (/^(?:vault:|ref\+|arn:aws[a-z-]*:|secretsmanager:|awssm:|gcpsm:|azkv:|projects\/[^/]+\/secrets\/)/.test(v)) return true;
  // Lower-case slash-separated paths (`database/creds/app`): Vault paths, not random secrets.
  return /^[a-z0-9_.-]+(?:\/[a-z0-9_.-]+)+$/.test(v);
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `my-basic-auth`, `ns/tls-secret`: under a `...secret` key, the name of a Secret object. */
function isObjectName(v: string): boolean {
  if (UUID_RE.test(v)) return false;
  return /^[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?(?:\/[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?)?$/.test(v) && /[-/.]/.test(v);
}

function unquote(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0]) return t.slice(1, -1);
  return t;
}

/**
 * Rates a value found under a credential-named key: undefined when it is a placeholder, a
 * reference, prose or too short/uniform to be a secret; `high` when long and random-looking;
 * `medium` for weak literals such as `password123`.
 */
function assessValue(raw: string): CredentialConfidence | undefined {
  const v = unquote(raw);
  if (isPlaceholder(v) || isReference(v)) return undefined;
  if (/\s/.test(v)) return undefined;
  const n = [...v].length;
  if (n < 4) return undefined;
  if (/^\d+$/.test(v) && n <= 8) return undefined;
  const h = shannonEntropy(v);
  if (h < 1.5) return undefined;
  return n >= 16 && h >= 3.5 ? 'high' : 'medium';
}

/** Classifies a value under a classified key; undefined when it is not a credential. */
function fromKeyAndValue(keyClass: KeyClass, raw: string): CredentialMatch | undefined {
  const v = unquote(raw);
  if (keyClass === 'aws-secret' && AWS_SECRET_RE.test(v) && !/example/i.test(v)) return { kind: 'aws-secret-access-key', confidence: 'high' };
  if (keyClass === 'credential' && isObjectName(v)) return undefined;
  const confidence = assessValue(v);
  if (!confidence) return undefined;
  return { kind: keyClass === 'password' ? 'password' : 'generic-secret', confidence };
}

interface Span {
  readonly start: number;
  readonly end: number;
}

const overlaps = (spans: readonly Span[], s: Span): boolean => spans.some((x) => s.start < x.end && x.start < s.end);

/** Scans one line for known token formats and credential URLs; records their spans. */
function scanTokens(line: string, lineNo: number, out: TextCredentialMatch[], spans: Span[]): void {
  for (const p of TOKEN_PATTERNS) {
    for (const m of line.matchAll(p.re)) {
      const secret = m[p.group ?? 0] ?? m[0];
      if (p.accept && !p.accept(secret)) continue;
      const start = m.index;
      spans.push({ start, end: start + m[0].length });
      out.push({ kind: p.kind, confidence: 'high', line: lineNo, redacted: redact(secret) });
    }
  }
  for (const m of line.matchAll(URL_CREDENTIALS_RE)) {
    const password = m[2] ?? '';
    const confidence = isPlaceholder(password) ? undefined : (assessValue(password) ?? 'medium');
    if (!confidence || /^\d{1,5}$/.test(password)) continue;
    spans.push({ start: m.index, end: m.index + m[0].length });
    out.push({ kind: 'url-credentials', confidence, line: lineNo, redacted: redact(password) });
  }
}

/** Scans one line for `key=value` style assignments whose key names a credential. */
function scanAssignments(line: string, lineNo: number, out: TextCredentialMatch[], spans: readonly Span[]): void {
  for (const re of [ASSIGNMENT_RE, XML_ELEMENT_RE]) {
    for (const m of line.matchAll(re)) {
      const key = m[1] ?? '';
      const value = m[2] ?? '';
      const keyClass = classifyKey(key);
      if (!keyClass) continue;
      const valueStart = m.index + m[0].length - value.length;
      if (overlaps(spans, { start: valueStart, end: valueStart + value.length })) continue;
      const found = fromKeyAndValue(keyClass, value);
      if (found) out.push({ ...found, line: lineNo, key, redacted: redact(unquote(value)) });
    }
  }
}

/**
 * Finds credentials in multi-line text (config files held in ConfigMaps, annotations, JSON):
 * known token formats anywhere, and `key=value` / `key: value` assignments whose key names
 * a credential. Lines inside PEM blocks are only checked for private-key headers, so public
 * certificates never match.
 *
 * @example
 * scanText('db.user=app\ndb.password=s3cr3t-Pa55\n');
 * // [{ kind: 'password', confidence: 'medium', line: 2, key: 'db.password', redacted: 's3… (12 chars)' }]
 */
export function scanText(text: string): TextCredentialMatch[] {
  const out: TextCredentialMatch[] = [];
  // Cheap whole-text and per-line filters: the full patterns run only where a literal they
  // all need is present. Large ConfigMaps (dashboards, rule files) mostly skip them.
  const tokensPossible = TOKEN_HINT_RE.test(text);
  const assignmentsPossible = KEY_HINT_RE.test(text);
  if (!tokensPossible && !assignmentsPossible) return out;
  const lines = text.split('\n');
  let inPem = false;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] as string;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.length === 0) continue;
    const spans: Span[] = [];
    if (tokensPossible && TOKEN_HINT_RE.test(line)) scanTokens(line, i + 1, out, spans);
    if (line.includes('-----')) {
      const begin = line.search(PEM_BEGIN_RE);
      // A block that also ends on this line (JSON-escaped PEM) leaves the scanner outside it.
      if (begin !== -1) inPem = !PEM_END_RE.test(line.slice(begin));
      else if (inPem && PEM_END_RE.test(line)) {
        inPem = false;
        continue;
      }
    }
    if (inPem && !line.includes('-----BEGIN')) continue;
    if (assignmentsPossible && KEY_HINT_RE.test(line)) scanAssignments(line, i + 1, out, spans);
  }
  return out;
}

const rank = (c: CredentialConfidence): number => (c === 'high' ? 2 : 1);

/**
 * Decides whether `value`, stored under `key`, is a credential. Known token formats win
 * (high confidence); then the key name is weighed with the value (placeholders, references,
 * short or uniform values are not credentials); multi-line or config-like values are scanned
 * as text. Returns the strongest detection.
 *
 * @example
 * detectCredential('DB_PASSWORD', 'password123');      // { kind: 'password', confidence: 'medium' }
 * detectCredential('DB_PASSWORD', '${DB_PASSWORD}');   // undefined
 * detectCredential('image', 'nginx:1.27');             // undefined
 * detectCredential('notes', 'AKIAZ2Q7KX4LMNOP3RST');   // { kind: 'aws-access-key-id', confidence: 'high' }
 */
export function detectCredential(key: string, value: string): CredentialMatch | undefined {
  if (value === '') return undefined;
  // A whole value that is a Secret key reference holds no credential, even where parts of it
  // (`$argocd-oidc:oidc.clientSecret`) read like an assignment.
  if (SECRET_KEY_REFERENCE.test(value.trim())) return undefined;
  const inText = scanText(value);
  let best: CredentialMatch | undefined;
  for (const m of inText) if (!best || rank(m.confidence) > rank(best.confidence)) best = { kind: m.kind, confidence: m.confidence };
  if (best?.confidence === 'high') return best;
  const keyClass = classifyKey(key);
  if (keyClass && !value.includes('\n')) {
    const byKey = fromKeyAndValue(keyClass, value);
    if (byKey && (!best || rank(byKey.confidence) > rank(best.confidence))) best = byKey;
  }
  return best;
}

/**
 * Shows at most the first two characters of a secret and its length; values shorter than ten
 * characters show none, so that little of a weak password leaks.
 *
 * @example
 * redact('abcdefghijklmnopqrstuvwxyz0123456789ABCD'); // 'ab… (40 chars)'
 * redact('hunter2');                                  // '… (7 chars)'
 */
export function redact(value: string): string {
  const chars = [...value];
  const shown = chars.length >= 10 ? chars.slice(0, 2).join('') : '';
  return `${shown}… (${chars.length} chars)`;
}
