/**
 * Identities as the RBAC authorizer sees them: a user name and a list of groups. Subjects
 * are written `user:NAME`, `group:NAME` or `sa:NAMESPACE/NAME` on the command line and in
 * reports; this module parses them and turns them into the user info the API server would
 * build, including the implicit groups.
 *
 * The implicit groups follow the API server's authenticators and its impersonation filter
 * (`staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go`), so that an answer
 * for `user:alice` equals `kubectl auth can-i --as alice`.
 */
import { PalisadeError } from '../core/errors.js';

/** Every authenticated request is in this group. */
export const AUTHENTICATED = 'system:authenticated';
/** Every request without credentials is in this group. */
export const UNAUTHENTICATED = 'system:unauthenticated';
/** The user name of requests without credentials. */
export const ANONYMOUS = 'system:anonymous';
/** Members bypass authorization altogether (the API server's privileged-group authorizer). */
export const MASTERS = 'system:masters';
/** Every service account is in this group. */
export const ALL_SERVICE_ACCOUNTS = 'system:serviceaccounts';

const SA_PREFIX = 'system:serviceaccount:';

/** The kinds of subject a binding can name. */
export type SubjectKind = 'User' | 'Group' | 'ServiceAccount';

/** A subject: a user, a group, or a service account of a namespace. */
export type Subject =
  | { readonly kind: 'User'; readonly name: string }
  | { readonly kind: 'Group'; readonly name: string }
  | { readonly kind: 'ServiceAccount'; readonly namespace: string; readonly name: string };

/** What the authorizer knows about the caller of a request. */
export interface UserInfo {
  /** The user name; `''` stands for "any member of the groups" (a group subject). */
  readonly name: string;
  readonly groups: readonly string[];
}

/**
 * The user name of a service account: `system:serviceaccount:NS:NAME`.
 *
 * @example
 * serviceAccountUsername('shop', 'web'); // 'system:serviceaccount:shop:web'
 */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SA_PREFIX}${namespace}:${name}`;
}

/**
 * The namespace and name of a service account user name, or undefined for other users.
 * Mirrors `serviceaccount.SplitUsername`: exactly two non-empty parts after the prefix.
 *
 * @example
 * parseServiceAccountUsername('system:serviceaccount:shop:web'); // { namespace: 'shop', name: 'web' }
 */
export function parseServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SA_PREFIX)) return undefined;
  const parts = username.slice(SA_PREFIX.length).split(':');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') return undefined;
  return { namespace: parts[0] as string, name: parts[1] as string };
}

/**
 * Parses `user:NAME`, `group:NAME` or `sa:NS/NAME` (also `serviceaccount:NS/NAME`). A user
 * written as a service account user name (`user:system:serviceaccount:ns:name`) is that
 * service account, as the API server treats it.
 *
 * @example
 * parseSubject('sa:shop/web'); // { kind: 'ServiceAccount', namespace: 'shop', name: 'web' }
 */
export function parseSubject(text: string): Subject {
  const colon = text.indexOf(':');
  const prefix = colon < 0 ? '' : text.slice(0, colon).toLowerCase();
  const rest = colon < 0 ? '' : text.slice(colon + 1);
  if ((prefix === 'user' || prefix === 'u') && rest !== '') {
    const sa = parseServiceAccountUsername(rest);
    return sa ? { kind: 'ServiceAccount', ...sa } : { kind: 'User', name: rest };
  }
  if ((prefix === 'group' || prefix === 'g') && rest !== '') return { kind: 'Group', name: rest };
  if (prefix === 'sa' || prefix === 'serviceaccount') {
    const slash = rest.indexOf('/');
    const namespace = slash < 0 ? '' : rest.slice(0, slash);
    const name = slash < 0 ? '' : rest.slice(slash + 1);
    if (namespace !== '' && name !== '' && !name.includes('/')) return { kind: 'ServiceAccount', namespace, name };
  }
  throw new PalisadeError('usage', `subject "${text}": write user:NAME, group:NAME or sa:NAMESPACE/NAME`, { subject: text });
}

/**
 * The canonical text of a subject: `user:alice`, `group:dev`, `sa:shop/web`.
 *
 * @example
 * formatSubject({ kind: 'Group', name: 'dev' }); // 'group:dev'
 */
export function formatSubject(subject: Subject): string {
  if (subject.kind === 'ServiceAccount') return `sa:${subject.namespace}/${subject.name}`;
  return `${subject.kind === 'User' ? 'user' : 'group'}:${subject.name}`;
}

/**
 * How a subject reads in messages: `ServiceAccount shop/web`, `User alice`, `Group dev`.
 *
 * @example
 * describeSubjectOf({ kind: 'ServiceAccount', namespace: 'a', name: 'b' }); // 'ServiceAccount a/b'
 */
export function describeSubjectOf(subject: Subject): string {
  return subject.kind === 'ServiceAccount' ? `ServiceAccount ${subject.namespace}/${subject.name}` : `${subject.kind} ${subject.name}`;
}

/**
 * The user info of a subject, as the API server builds it for `kubectl --as` (users and
 * service accounts) with `extraGroups` as `--as-group`:
 * - a service account gets `system:serviceaccounts` and `system:serviceaccounts:NS` unless
 *   groups are given;
 * - `system:anonymous` gets `system:unauthenticated`; every other user gets
 *   `system:authenticated`, unless one of the two is among the groups already.
 * A group subject stands for "any member of the group": no user name, the group, and
 * `system:authenticated` (unless the group is `system:unauthenticated`).
 *
 * @example
 * userInfoOf({ kind: 'ServiceAccount', namespace: 'shop', name: 'web' }).groups;
 * // ['system:serviceaccounts', 'system:serviceaccounts:shop', 'system:authenticated']
 */
export function userInfoOf(subject: Subject, extraGroups: readonly string[] = []): UserInfo {
  if (subject.kind === 'Group') return withImplicitGroups('', [subject.name, ...extraGroups]);
  const name = subject.kind === 'User' ? subject.name : serviceAccountUsername(subject.namespace, subject.name);
  const groups =
    subject.kind === 'ServiceAccount' && extraGroups.length === 0 ? [ALL_SERVICE_ACCOUNTS, `${ALL_SERVICE_ACCOUNTS}:${subject.namespace}`] : [...extraGroups];
  return withImplicitGroups(name, groups);
}

function withImplicitGroups(name: string, groups: string[]): UserInfo {
  const unique = [...new Set(groups)];
  if (name === ANONYMOUS) {
    if (!unique.includes(UNAUTHENTICATED)) unique.push(UNAUTHENTICATED);
  } else if (!unique.includes(AUTHENTICATED) && !unique.includes(UNAUTHENTICATED)) {
    unique.push(AUTHENTICATED);
  }
  return { name, groups: unique };
}

/**
 * True for the groups every caller of some class is in: `system:authenticated`,
 * `system:unauthenticated`, `system:serviceaccounts` and `system:serviceaccounts:NS`.
 *
 * @example
 * isCatchAllGroup('system:serviceaccounts:shop'); // true
 */
export function isCatchAllGroup(group: string): boolean {
  return group === AUTHENTICATED || group === UNAUTHENTICATED || group === ALL_SERVICE_ACCOUNTS || group.startsWith(`${ALL_SERVICE_ACCOUNTS}:`);
}
