import { useState } from 'preact/hooks';
import type { ExceptionInput, ExceptionRecord, Page as ApiPage, ScanRecord } from '../../../src/store/types.js';
import { ApiError, del, get, getSession, post, seg } from '../api.js';
import { Page, Pager } from '../components/common.js';
import { percent, SEVERITIES, time } from '../format.js';
import { Empty, Freshness, REFRESH_MS, Show, useLoad } from '../load.js';
import { href, navigate } from '../router.js';

function scope(e: ExceptionRecord): string {
  const parts = [
    e.cluster ? `cluster ${e.cluster}` : 'every cluster',
    e.namespace ? `namespace ${e.namespace}` : null,
    e.kind ?? null,
    e.name ? `name ${e.name}` : null,
  ];
  return parts.filter(Boolean).join(', ');
}

function stateOf(e: ExceptionRecord, now: number): 'revoked' | 'expired' | 'active' {
  if (e.revokedAt) return 'revoked';
  if (e.expires && Date.parse(e.expires) < now) return 'expired';
  return 'active';
}

/**
 * `#/exceptions`: the list, and for admins the create form and revoke buttons. Viewers see
 * the form disabled with the reason; a request the server refuses anyway (a role changed
 * since login) shows the server's own message.
 */
export function Exceptions({ query }: { query: URLSearchParams }) {
  const session = getSession();
  const admin = session?.role === 'admin';
  const includeRevoked = query.get('revoked') === '1';
  const list = useLoad(
    () => get<{ items: ExceptionRecord[] }>('/exceptions', { includeRevoked: includeRevoked || undefined }).then((r) => r.items),
    `exc:${includeRevoked}`,
  );
  const [revokeError, setRevokeError] = useState<string | null>(null);
  const now = Date.now();
  return (
    <Page title="Exceptions">
      <p>An exception waives the findings it matches from the next scan on. It needs a reason and may expire; every change is recorded with who made it.</p>
      <ExceptionForm admin={admin} role={session?.role ?? 'viewer'} query={query} onCreated={list.reload} />
      <h2>Exceptions</h2>
      <p>
        <label class="check">
          <input
            type="checkbox"
            checked={includeRevoked}
            onChange={(e) => navigate(href(['exceptions'], { revoked: (e.currentTarget as HTMLInputElement).checked ? '1' : '' }))}
          />{' '}
          include revoked exceptions
        </label>
      </p>
      {revokeError && (
        <p class="error" role="alert">
          {revokeError}
        </p>
      )}
      <Show loaded={list} what="the exceptions">
        {(items) =>
          items.length === 0 ? (
            <Empty>No exception{includeRevoked ? '' : ' is active'}.</Empty>
          ) : (
            <table class="data exceptions">
              <thead>
                <tr>
                  <th scope="col">check</th>
                  <th scope="col">scope</th>
                  <th scope="col">reason</th>
                  <th scope="col">expires</th>
                  <th scope="col">created</th>
                  <th scope="col">state</th>
                  <th scope="col">
                    <span class="sr-only">actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((e) => {
                  const st = stateOf(e, now);
                  return (
                    <tr key={e.id} data-exception={e.id}>
                      <th scope="row">
                        <code>{e.check}</code>
                      </th>
                      <td>{scope(e)}</td>
                      <td>{e.reason}</td>
                      <td>{e.expires ? time(e.expires) : 'never'}</td>
                      <td>
                        {time(e.createdAt)} by {e.createdBy}
                      </td>
                      <td>
                        <span class={`status status-${st}`}>{st}</span>
                        {e.revokedAt ? ` ${time(e.revokedAt)} by ${e.revokedBy ?? '?'}` : ''}
                      </td>
                      <td>
                        {st !== 'revoked' && (
                          <button
                            type="button"
                            disabled={!admin}
                            title={admin ? undefined : 'Only admins revoke exceptions'}
                            aria-label={`Revoke the exception for ${e.check} (${scope(e)})`}
                            onClick={async () => {
                              setRevokeError(null);
                              try {
                                await del<ExceptionRecord>(`/exceptions/${seg(e.id)}`);
                                list.reload();
                              } catch (err) {
                                setRevokeError(`The server refused to revoke it: ${(err as Error).message}`);
                              }
                            }}
                          >
                            Revoke
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )
        }
      </Show>
    </Page>
  );
}

const FIELDS = ['cluster', 'check', 'namespace', 'kind', 'name'] as const;

function ExceptionForm({ admin, role, query, onCreated }: { admin: boolean; role: string; query: URLSearchParams; onCreated: () => void }) {
  const [f, setF] = useState<Record<string, string>>(() => {
    const o: Record<string, string> = { reason: '', expires: '' };
    for (const k of FIELDS) o[k] = query.get(k) ?? '';
    return o;
  });
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: string) => (e: Event) => {
    const v = (e.currentTarget as HTMLInputElement).value;
    setF((o) => ({ ...o, [k]: v }));
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setResult(null);
    if (!f.check?.trim() || !f.reason?.trim()) {
      setResult({ ok: false, text: 'A check (or * for every check) and a reason are required.' });
      return;
    }
    const orNull = (v: string | undefined) => (v?.trim() ? v.trim() : null);
    const input: ExceptionInput = {
      cluster: orNull(f.cluster),
      check: (f.check ?? '').trim(),
      namespace: orNull(f.namespace),
      kind: orNull(f.kind),
      name: orNull(f.name),
      reason: (f.reason ?? '').trim(),
      expires: f.expires ? new Date(`${f.expires}T23:59:59Z`).toISOString() : null,
    };
    setBusy(true);
    try {
      const rec = await post<ExceptionRecord>('/exceptions', input);
      setResult({ ok: true, text: `Exception ${rec.id} created: it applies from the next scan on.` });
      setF({ cluster: '', check: '', namespace: '', kind: '', name: '', reason: '', expires: '' });
      onCreated();
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      setResult({ ok: false, text: `The server refused the exception${status ? ` (${status})` : ''}: ${(err as Error).message}` });
    } finally {
      setBusy(false);
    }
  };
  const input = (k: string, label: string, hint: string) => (
    <div class="field">
      <label for={`ex-${k}`}>{label}</label>
      <input id={`ex-${k}`} name={k} type="text" value={f[k] ?? ''} onInput={set(k)} placeholder={hint} required={k === 'check'} />
    </div>
  );
  return (
    <form class="filters exception-form" onSubmit={submit} aria-labelledby="ex-form-h">
      <h2 id="ex-form-h" class="full">
        New exception
      </h2>
      {!admin && (
        <p class="notice full" id="ex-viewer-note">
          You are signed in as a {role}: only admins create and revoke exceptions.
        </p>
      )}
      <fieldset disabled={!admin || busy} class="full grid" aria-describedby={admin ? undefined : 'ex-viewer-note'}>
        <legend class="sr-only">exception</legend>
        {input('check', 'Check', 'PAL-0001, a name, or *')}
        {input('cluster', 'Cluster', 'every cluster')}
        {input('namespace', 'Namespace', 'every namespace')}
        {input('kind', 'Kind', 'every kind')}
        {input('name', 'Object name', 'every object (glob * allowed)')}
        <div class="field">
          <label for="ex-expires">Expires on (optional)</label>
          <input id="ex-expires" name="expires" type="date" value={f.expires ?? ''} onInput={set('expires')} />
        </div>
        <div class="field full">
          <label for="ex-reason">Reason</label>
          <textarea id="ex-reason" name="reason" required rows={2} value={f.reason ?? ''} onInput={set('reason')} />
        </div>
        <div class="actions full">
          <button type="submit">{busy ? 'Creating…' : 'Create exception'}</button>
        </div>
      </fieldset>
      {result && (
        <p class={`full ${result.ok ? 'ok' : 'error'}`} role={result.ok ? 'status' : 'alert'}>
          {result.text}
        </p>
      )}
    </form>
  );
}

/** `#/scans?cluster=&cursor=`: recorded scans, newest first. */
export function Scans({ query }: { query: URLSearchParams }) {
  const cluster = query.get('cluster') ?? '';
  const cursor = query.get('cursor') ?? '';
  const page = useLoad(() => get<ApiPage<ScanRecord>>('/scans', { cluster, cursor, limit: 50 }), `scans:${cluster}:${cursor}`, REFRESH_MS);
  return (
    <Page title={cluster ? `Scans of ${cluster}` : 'Scans'} actions={<Freshness loaded={page} />}>
      <Show loaded={page} what="the scans">
        {(p) =>
          p.items.length === 0 ? (
            <Empty>No scan is recorded yet.</Empty>
          ) : (
            <>
              <table class="data scans">
                <caption>{p.total} scans, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">finished</th>
                    <th scope="col">cluster</th>
                    <th scope="col">kind</th>
                    <th scope="col" class="num">
                      objects
                    </th>
                    {SEVERITIES.map((s) => (
                      <th scope="col" class="num" key={s}>
                        {s}
                      </th>
                    ))}
                    <th scope="col" class="num">
                      opened
                    </th>
                    <th scope="col" class="num">
                      resolved
                    </th>
                    <th scope="col" class="num">
                      coverage
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {p.items.map((s) => (
                    <tr key={s.id} data-scan={s.id}>
                      <th scope="row">{time(s.finishedAt)}</th>
                      <td>
                        <a href={href(['scans'], { cluster: s.cluster })}>{s.cluster}</a>
                      </td>
                      <td>{s.kind}</td>
                      <td class="num">{s.resources}</td>
                      {SEVERITIES.map((k) => (
                        <td class="num" key={k}>
                          {s.counts.open[k] ?? 0}
                        </td>
                      ))}
                      <td class="num">{s.counts.opened}</td>
                      <td class="num">{s.counts.resolved}</td>
                      <td class="num" title={s.coverage.incomplete.map((c) => `${c.kind}: ${c.status}`).join(', ')}>
                        {percent(s.coverage.ratio)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager
                total={p.total}
                shown={p.items.length}
                onFirst={!cursor}
                firstHref={href(['scans'], { cluster })}
                nextHref={p.nextCursor ? href(['scans'], { cluster, cursor: p.nextCursor }) : null}
              />
            </>
          )
        }
      </Show>
    </Page>
  );
}
