/**
 * Loading, error and empty states, the same in every view: a view names what it loads and
 * renders only the data; this module says "Loading ...", shows the server's error message, or
 * the view's own text for "nothing here".
 */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.js';

export type Loaded<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'error'; readonly error: ApiError }
  | { readonly state: 'ok'; readonly data: T; readonly at: Date };

/** How often the views of live data (overview, findings, a finding, scans) reload. */
export const REFRESH_MS = 15_000;

function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, 'client', e instanceof Error ? e.message : String(e));
}

/**
 * Runs `load` when `key` changes; the answer of an older key never overwrites a newer one.
 * `reload()`, and with `refreshMs` a timer while the tab is visible, load again without
 * blanking what is shown: the server keeps scanning, the page follows.
 */
export function useLoad<T>(load: () => Promise<T>, key: string, refreshMs?: number): Loaded<T> & { reload: () => void } {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const [n, setN] = useState(0);
  const shownKey = useRef<string | null>(null);
  useEffect(() => {
    let current = true;
    if (shownKey.current !== key) setResult({ state: 'loading' });
    shownKey.current = key;
    load().then(
      (data) => current && setResult({ state: 'ok', data, at: new Date() }),
      (e: unknown) => current && setResult({ state: 'error', error: asApiError(e) }),
    );
    return () => {
      current = false;
    };
  }, [key, n]);
  useEffect(() => {
    if (!refreshMs) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') setN((x) => x + 1);
    }, refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs]);
  const reload = useCallback(() => setN((x) => x + 1), []);
  return { ...result, reload };
}

/** "Updated 15:39:15 UTC", for views that refresh themselves. */
export function Freshness({ loaded }: { loaded: Loaded<unknown> }) {
  if (loaded.state !== 'ok') return null;
  return (
    <p class="muted small freshness">
      Updated {loaded.at.toISOString().slice(11, 19)} UTC; refreshes every {REFRESH_MS / 1000} s while this tab is visible.
    </p>
  );
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
