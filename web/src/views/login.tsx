import { useState } from 'preact/hooks';
import { ApiError, saveSession, whoAmI } from '../api.js';
import { navigate } from '../router.js';

/** Token login: the token is checked with `GET /api/v1/me` and kept in sessionStorage only. */
export function Login({ next, expired }: { next: string; expired: boolean }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const t = token.trim();
    if (!t) {
      setError('Enter a token.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const me = await whoAmI(t);
      if (me.role === 'agent') {
        setError('This is an agent token: agents may only push scans. Use a viewer or admin token.');
        return;
      }
      saveSession({ token: t, role: me.role, name: me.name });
      navigate(next && next !== '#/login' ? next : '#/overview');
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? 'The server does not know this token (or it was revoked).'
          : `Could not sign in: ${(err as Error).message}`,
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="login">
      <h1>Palisade</h1>
      <form onSubmit={submit} aria-describedby="login-help">
        {expired && (
          <p class="notice" role="status">
            Your session ended (the server refused the token). Sign in again.
          </p>
        )}
        <p id="login-help">
          Sign in with an API token. An admin creates one with <code>palisade serve token create --name NAME --role viewer</code>.
        </p>
        <label for="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="off"
          required
          value={token}
          onInput={(e) => setToken((e.currentTarget as HTMLInputElement).value)}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
