/**
 * The dashboard's only way to the server: `fetch` on the same origin with the bearer token
 * the user typed at login. The token lives in sessionStorage (gone when the tab closes, not
 * shared with other tabs), never in localStorage or a cookie, so no other site can make the
 * browser send it. A 401 forgets it and returns to the login view (see `onUnauthorized`).
 */
import type { Role } from '../../src/store/types.js';

const TOKEN_KEY = 'palisade.token';
const ROLE_KEY = 'palisade.role';
const NAME_KEY = 'palisade.name';

/** An error answer of the API (`{ "error": { code, message } }`), or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export interface Session {
  readonly token: string;
  readonly role: Exclude<Role, 'agent'>;
  readonly name: string;
}

export function getSession(): Session | null {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const role = sessionStorage.getItem(ROLE_KEY);
  const name = sessionStorage.getItem(NAME_KEY) ?? '';
  if (!token || (role !== 'viewer' && role !== 'admin')) return null;
  return { token, role, name };
}

export function saveSession(s: Session): void {
  sessionStorage.setItem(TOKEN_KEY, s.token);
  sessionStorage.setItem(ROLE_KEY, s.role);
  sessionStorage.setItem(NAME_KEY, s.name);
}

export function clearSession(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(ROLE_KEY);
  sessionStorage.removeItem(NAME_KEY);
}

let unauthorized: () => void = () => {};
/** Called once by the app: what to do when the server answers 401 (the token is already forgotten). */
export function onUnauthorized(handler: () => void): void {
  unauthorized = handler;
}

type Query = Readonly<Record<string, string | number | boolean | undefined | null>>;

/** `/api/v1` + path + the query without empty values. */
export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ''}`;
}

/** One path segment, escaped (cluster names and ids come from the server, not from us). */
export function seg(value: string): string {
  return encodeURIComponent(value);
}

async function request<T>(method: string, url: string, body: unknown, token: string | undefined): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const t = token ?? getSession()?.token;
  if (t) headers.authorization = `Bearer ${t}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch (e) {
    throw new ApiError(0, 'network', `the server did not answer (${e instanceof Error ? e.message : String(e)})`);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    const code = typeof err?.code === 'string' ? err.code : `http_${res.status}`;
    const message = typeof err?.message === 'string' ? err.message : `${res.status} ${res.statusText || 'error'}`;
    if (res.status === 401 && token === undefined) {
      clearSession();
      unauthorized();
    }
    // Refused: the role kept since sign-in may be stale (the token's role changed); re-read it so
    // the page stops offering what the server refuses.
    if (res.status === 403 && token === undefined) await refreshRole();
    throw new ApiError(res.status, code, message);
  }
  if (json === undefined) throw new ApiError(res.status, 'bad_response', `the server answered ${url} with something that is not JSON`);
  return json as T;
}

async function refreshRole(): Promise<void> {
  const s = getSession();
  if (!s) return;
  try {
    const me = await whoAmI(s.token);
    if (me.role === 'viewer' || me.role === 'admin') saveSession({ ...s, role: me.role, name: me.name });
  } catch {
    // The next request reports what is wrong.
  }
}

/** GET a JSON route. */
export function get<T>(path: string, query?: Query): Promise<T> {
  return request<T>('GET', apiUrl(path, query), undefined, undefined);
}

export function post<T>(path: string, body: unknown): Promise<T> {
  return request<T>('POST', apiUrl(path), body, undefined);
}

export function del<T>(path: string): Promise<T> {
  return request<T>('DELETE', apiUrl(path), undefined, undefined);
}

/** Checks a token at login (`GET /api/v1/me` with it); a 401 here is an answer, not a logout. */
export function whoAmI(token: string): Promise<{ name: string; role: Role }> {
  return request('GET', apiUrl('/me'), undefined, token);
}
