/**
 * Pod Security policy versions and levels as users write them. PSA namespace labels take
 * `latest` or `vX.Y`; Palisade also accepts `X.Y` on the command line for convenience.
 * Only major version 1 exists; minors have no upper bound here, because versions newer than
 * the newest rule are clamped by the registry (see `registry.ts`), as PSA does.
 */
import { PalisadeError } from '../core/errors.js';
import { PSS_LEVELS, type PssLevel } from './types.js';

/** A parsed policy version: `latest`, or a minor version of Kubernetes v1. */
export type PolicyVersion = { readonly kind: 'latest' } | { readonly kind: 'minor'; readonly minor: number };

// No leading zeros, as in PSA's own parser: `v1.05` is a typo, not v1.5.
const VERSION_RE = /^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;

/**
 * Parses `latest`, `v1.N` or `1.N`. Throws a `usage` PalisadeError for anything else.
 *
 * @example
 * parsePolicyVersion('v1.25'); // { kind: 'minor', minor: 25 }
 * parsePolicyVersion('latest'); // { kind: 'latest' }
 * parsePolicyVersion('v2.x'); // throws: invalid Pod Security version "v2.x" ...
 */
export function parsePolicyVersion(text: string): PolicyVersion {
  if (text === 'latest') return { kind: 'latest' };
  const m = VERSION_RE.exec(text);
  if (!m) {
    throw new PalisadeError('usage', `invalid Pod Security version "${text}": use latest or v1.N, for example v1.30`, { version: text });
  }
  if (m[1] !== '1') {
    throw new PalisadeError('usage', `invalid Pod Security version "${text}": only v1.N versions exist (use latest or v1.N, for example v1.30)`, {
      version: text,
    });
  }
  return { kind: 'minor', minor: Number(m[2]) };
}

/**
 * Formats a version the way PSA labels spell it.
 *
 * @example
 * formatPolicyVersion({ kind: 'minor', minor: 25 }); // 'v1.25'
 */
export function formatPolicyVersion(version: PolicyVersion | number): string {
  if (typeof version === 'number') return `v1.${version}`;
  return version.kind === 'latest' ? 'latest' : `v1.${version.minor}`;
}

/** Type guard for level names given by users. */
export function isPssLevel(text: unknown): text is PssLevel {
  return typeof text === 'string' && (PSS_LEVELS as readonly string[]).includes(text);
}

/**
 * Parses a level name. Throws a `usage` PalisadeError for anything but privileged,
 * baseline or restricted.
 *
 * @example
 * parsePssLevel('restricted'); // 'restricted'
 */
export function parsePssLevel(text: string): PssLevel {
  if (isPssLevel(text)) return text;
  throw new PalisadeError('usage', `invalid Pod Security level "${text}": use ${PSS_LEVELS.join(', ')}`, { level: text });
}
