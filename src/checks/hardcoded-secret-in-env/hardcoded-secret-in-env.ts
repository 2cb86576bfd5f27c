import { defineCheck, type Violation } from '../../core/check.js';
import { joinPointer } from '../../core/pointer.js';
import { describeContainer } from '../../security-context/security-context.js';
import { isObject } from '../../core/object.js';

// Env-var names get their own policy: a literal under a credential name is a finding even when
// weak (`changeme`), unlike secrets-detect.ts, which is tuned against false positives in large
// config text. The key-name classification overlaps secrets-detect.ts classifyKey (a known duplicate).

/** Final words (after splitting on `_`, `-`, `.` and camelCase) that name a credential. */
const CREDENTIAL_WORDS: ReadonlySet<string> = new Set([
  'password',
  'passwd',
  'pass',
  'passphrase',
  'pwd',
  'secret',
  'token',
  'apikey',
  'credential',
  'credentials',
  'creds',
  'auth',
]);

/** Words that make a trailing `key` a credential: `API_KEY`, `AWS_SECRET_ACCESS_KEY`, `SSH_PRIVATE_KEY`. */
const KEY_QUALIFIERS: ReadonlySet<string> = new Set(['api', 'access', 'secret', 'private', 'encryption', 'signing', 'master', 'auth', 'client', 'license']);

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/**
 * True when an environment variable name ends with a credential word: `DB_PASSWORD`,
 * `githubToken`, `API_KEY`, `CLIENT_SECRET`. Names that end with a qualifier describing
 * the credential rather than holding it (`PASSWORD_FILE`, `TOKEN_TTL`, `SECRET_NAME`,
 * `ACCESS_KEY_ID`) are not credentials. `PWD` alone is the working directory.
 *
 * @example
 * isCredentialName('MYSQL_ROOT_PASSWORD'); // true
 * isCredentialName('PASSWORD_FILE'); // false
 */
export function isCredentialName(name: string): boolean {
  const ws = words(name);
  const last = ws.at(-1)?.replace(/\d+$/, '');
  if (last === undefined || last === '') return false;
  if (last === 'pwd') return ws.length > 1;
  if (CREDENTIAL_WORDS.has(last)) return true;
  if (last === 'key') return KEY_QUALIFIERS.has(ws.at(-2) ?? '');
  return false;
}

const REFERENCE_ONLY = /^(?:\$\([A-Za-z0-9_.-]+\)|\$\{[A-Za-z0-9_.-]+\})+$/;
const NOT_SECRET_VALUES: ReadonlySet<string> = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'enabled', 'disabled', 'none', 'null']);
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:([^/\s@]+)@/i;
const URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Whether a literal value could be a secret: not empty, not only `$(VAR)` references,
 * not a boolean word, not a file path, not a URL without credentials.
 *
 * @example
 * couldBeSecret('$(DB_PASSWORD)'); // false
 */
export function couldBeSecret(value: string): boolean {
  const v = value.trim();
  if (v === '' || REFERENCE_ONLY.test(v) || NOT_SECRET_VALUES.has(v.toLowerCase())) return false;
  if (v.startsWith('/') && !/\s/.test(v)) return false;
  if (URL.test(v) && !URL_WITH_PASSWORD.test(v)) return false;
  return true;
}

/**
 * The password embedded in a URL's user info (`postgres://app:s3cret@db/app`), unless it
 * is a `$(VAR)` reference.
 *
 * @example
 * urlPassword('https://user:pw@example.com'); // 'pw'
 */
export function urlPassword(value: string): string | undefined {
  const m = URL_WITH_PASSWORD.exec(value.trim());
  const pw = m?.[1];
  return pw !== undefined && !REFERENCE_ONLY.test(pw) ? pw : undefined;
}

/** A credential written into the manifest is readable by everyone who can read the workload or its Git history. */
export default defineCheck({
  id: 'PAL-0109',
  name: 'hardcoded-secret-in-env',
  title: 'Credential hard-coded in an environment variable',
  severity: 'high',
  category: 'secrets',
  frameworks: ['mitre:T1552.001', 'ms:MS-TA9027'],
  docs: {
    description:
      'An environment variable whose name denotes a credential (`*_PASSWORD`, `*_TOKEN`, `*_SECRET`, `API_KEY`, `*_ACCESS_KEY`, ' +
      '`*_PRIVATE_KEY`, `*_CREDENTIALS`, `*_AUTH`...) has a literal `value`, or a literal value is a URL with a password in it. ' +
      'The credential is then stored in plain text in the manifest, in Git, in Helm release history and in the object itself, ' +
      'where anyone allowed to read the workload (not only Secrets) can see it. Names that describe rather than hold a credential ' +
      '(`PASSWORD_FILE`, `TOKEN_TTL`, `ACCESS_KEY_ID`) and values that are empty, `$(VAR)` references, booleans, file paths or ' +
      'URLs without credentials are ignored. Findings never include the value: only the variable name and the value length.',
    remediation:
      'Move the value into a Secret (or an external secret store), rotate it since it has been exposed, and reference it from a ' +
      'mounted Secret volume or, failing that, `env[].valueFrom.secretKeyRef`.',
    references: ['https://kubernetes.io/docs/concepts/configuration/secret/', 'https://kubernetes.io/docs/concepts/security/secrets-good-practices/'],
  },
  target: { kind: 'container' },
  evaluate({ container }) {
    const env = container.container.env;
    if (!Array.isArray(env)) return undefined;
    const out: Violation[] = [];
    env.forEach((e, i) => {
      if (!isObject(e) || typeof e.name !== 'string' || typeof e.value !== 'string') return;
      const variable = e.name;
      const value = e.value;
      const path = joinPointer('', 'env', i, 'value');
      const pw = urlPassword(value);
      if (pw !== undefined) {
        out.push({
          path,
          message: `${describeContainer(container)} embeds a literal password (${pw.length} characters) in the URL of environment variable ${variable}`,
          evidence: { variable, passwordLength: pw.length },
        });
      } else if (isCredentialName(variable) && couldBeSecret(value)) {
        out.push({
          path,
          message: `${describeContainer(container)} sets environment variable ${variable} to a literal value (${value.length} characters) instead of a Secret reference`,
          evidence: { variable, valueLength: value.length },
        });
      }
    });
    return out;
  },
});
