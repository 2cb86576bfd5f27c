/**
 * Loading, error and empty states, the same in every view: a view names what it loads and
 * renders only the data; this module says "Loading ...", shows the server's error message, or
 * the view's own text for "nothing here".
 */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from './api.js';

export type Loaded<T> = { readonly state: 'loading' } | { readonly state: 'error'; readonly error: ApiError } | { readonly state: 'ok'; readonly data: T };

function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, 'client', e instanceof Error ? e.message : String(e));
}

/** Runs `load` when `key` changes; the answer of an older key never overwrites a newer one. */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> & { reload: () => void } {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const [n, setN] = useState(0);
  useEffect(() => {
    let current = true;
    setResult({ state: 'loading' });
    load().then(
      (data) => current && setResult({ state: 'ok', data }),
      (e: unknown) => current && setResult({ state: 'error', error: asApiError(e) }),
    );
    return () => {
      current = false;
    };
  }, [key, n]);
  const reload = useCallback(() => setN((x) => x + 1), []);
  return { ...result, reload };
}

export function ErrorBox({ error, what }: { error: ApiError; what: string }) {
  const hint =
    error.status === 403
      ? ' Your token does not allow this.'
      : error.status === 404
        ? ' It may not exist (yet): a cluster has views once its first scan is stored.'
        : error.status === 0
          ? ' Check that palisade serve is running.'
          : '';
  return (
    <div class="error" role="alert">
      <strong>Could not load {what}:</strong> {error.message}
      {hint}
    </div>
  );
}

/** Renders the loading and error states of `loaded`, else `children(data)`. */
export function Show<T>({ loaded, what, children }: { loaded: Loaded<T>; what: string; children: (data: T) => ComponentChildren }) {
  if (loaded.state === 'loading')
    return (
      <p class="loading" aria-live="polite" aria-busy="true">
        Loading {what}…
      </p>
    );
  if (loaded.state === 'error') return <ErrorBox error={loaded.error} what={what} />;
  return <>{children(loaded.data)}</>;
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}
