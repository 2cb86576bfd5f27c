import { useState } from 'preact/hooks';
import type { FindingEvent, Page as ApiPage, StoredFinding } from '../../../src/store/types.js';
import { get, seg } from '../api.js';
import { Diff, Markdown, Page, Pager, SeverityBadge, StatusBadge, useClusters } from '../components/common.js';
import { resourceName, SEVERITIES, time } from '../format.js';
import { Empty, Freshness, REFRESH_MS, Show, useLoad } from '../load.js';
import { href, navigate } from '../router.js';
import type { FindingDetail } from '../types.js';

const FILTERS = ['cluster', 'namespace', 'check', 'kind', 'severity', 'status', 'q', 'sort', 'order'] as const;

/** `#/findings?cluster=&namespace=&check=&severity=&status=&q=&cursor=`: the URL is the filter. */
export function Findings({ query }: { query: URLSearchParams }) {
  const params: Record<string, string> = {};
  for (const k of FILTERS) {
    const v = query.get(k);
    if (v) params[k] = v;
  }
  const cursor = query.get('cursor') ?? undefined;
  const key = `${new URLSearchParams(params).toString()}|${cursor ?? ''}`;
  const page = useLoad(() => get<ApiPage<StoredFinding>>('/findings', { ...params, cursor, limit: 50 }), key, REFRESH_MS);
  return (
    <Page title="Findings" actions={<Freshness loaded={page} />}>
      <FindingFilters key={new URLSearchParams(params).toString()} initial={params} />
      <Show loaded={page} what="the findings">
        {(p) =>
          p.items.length === 0 ? (
            <Empty>No finding matches these filters{params.status === 'all' ? '' : ` (status ${params.status ?? 'open'})`}.</Empty>
          ) : (
            <>
              <table class="data findings" aria-describedby="findings-count">
                <caption id="findings-count">
                  {p.total} {p.total === 1 ? 'finding' : 'findings'} match
                </caption>
                <thead>
                  <tr>
                    <th scope="col">severity</th>
                    <th scope="col">finding</th>
                    <th scope="col">resource</th>
                    <th scope="col">check</th>
                    <th scope="col">cluster</th>
                    <th scope="col">status</th>
                    <th scope="col">last seen</th>
                  </tr>
                </thead>
                <tbody>
                  {p.items.map((f) => (
                    <tr key={`${f.cluster}/${f.id}`} data-finding={f.id}>
                      <td>
                        <SeverityBadge severity={f.severity} />
                      </td>
                      <td>
                        <a href={href(['findings', f.cluster, f.id])}>{f.title}</a>
                        <div class="muted small">{f.message}</div>
                      </td>
                      <td>
                        {resourceName(f)}
                        {f.container ? ` (container ${f.container})` : ''}
                      </td>
                      <td>
                        <code>{f.check}</code> {f.checkName}
                      </td>
                      <td>{f.cluster}</td>
                      <td>
                        <StatusBadge status={f.exceptionId ? 'excepted' : f.status} />
                      </td>
                      <td>{time(f.lastSeen)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager
                total={p.total}
                shown={p.items.length}
                onFirst={!cursor}
                firstHref={href(['findings'], params)}
                nextHref={p.nextCursor ? href(['findings'], { ...params, cursor: p.nextCursor }) : null}
              />
            </>
          )
        }
      </Show>
    </Page>
  );
}

function FindingFilters({ initial }: { initial: Readonly<Record<string, string>> }) {
  const clusters = useClusters();
  const [f, setF] = useState<Record<string, string>>({ ...initial });
  const severities = new Set((f.severity ?? '').split(',').filter(Boolean));
  const set = (k: string, v: string) => setF((old) => ({ ...old, [k]: v }));
  const text = (k: string, label: string, placeholder: string) => (
    <div class="field">
      <label for={`f-${k}`}>{label}</label>
      {k === 'q' ? (
        <input
          id={`f-${k}`}
          name={k}
          type="search"
          placeholder={placeholder}
          value={f[k] ?? ''}
          onInput={(e) => set(k, (e.currentTarget as HTMLInputElement).value)}
        />
      ) : (
        <input
          id={`f-${k}`}
          name={k}
          type="text"
          placeholder={placeholder}
          value={f[k] ?? ''}
          onInput={(e) => set(k, (e.currentTarget as HTMLInputElement).value)}
        />
      )}
    </div>
  );
  const submit = (e: Event) => {
    e.preventDefault();
    const q: Record<string, string> = {};
    for (const [k, v] of Object.entries(f)) if (v.trim()) q[k] = v.trim();
    navigate(href(['findings'], q));
  };
  return (
    <form class="filters" onSubmit={submit} aria-label="filter findings">
      <div class="field">
        <label for="f-cluster">Cluster</label>
        <select id="f-cluster" name="cluster" value={f.cluster ?? ''} onChange={(e) => set('cluster', (e.currentTarget as HTMLSelectElement).value)}>
          <option value="">all clusters</option>
          {clusters.state === 'ok' &&
            clusters.data.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          {f.cluster && clusters.state === 'ok' && !clusters.data.some((c) => c.name === f.cluster) && <option value={f.cluster}>{f.cluster}</option>}
        </select>
      </div>
      {text('namespace', 'Namespace', 'any')}
      {text('check', 'Check', 'PAL-0001 or name')}
      {text('q', 'Search', 'message, object or check name')}
      <fieldset class="field">
        <legend>Severity</legend>
        {SEVERITIES.map((s) => (
          <label key={s} class="check">
            <input
              type="checkbox"
              name="severity"
              value={s}
              checked={severities.has(s)}
              onChange={(e) => {
                const next = new Set(severities);
                if ((e.currentTarget as HTMLInputElement).checked) next.add(s);
                else next.delete(s);
                set('severity', SEVERITIES.filter((x) => next.has(x)).join(','));
              }}
            />{' '}
            {s}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for="f-status">Status</label>
        <select id="f-status" name="status" value={f.status ?? 'open'} onChange={(e) => set('status', (e.currentTarget as HTMLSelectElement).value)}>
          <option value="open">open</option>
          <option value="resolved">resolved</option>
          <option value="all">all</option>
        </select>
      </div>
      <div class="field">
        <label for="f-sort">Sort by</label>
        <select id="f-sort" name="sort" value={f.sort ?? 'severity'} onChange={(e) => set('sort', (e.currentTarget as HTMLSelectElement).value)}>
          <option value="severity">severity</option>
          <option value="lastSeen">last seen</option>
          <option value="firstSeen">first seen</option>
          <option value="check">check</option>
          <option value="resource">resource</option>
        </select>
      </div>
      <div class="actions">
        <button type="submit">Apply filters</button>
        <a href="#/findings">Clear</a>
      </div>
    </form>
  );
}

/** `#/findings/{cluster}/{id}`: evidence, the check's docs, the fix as a diff, the history. */
export function FindingPage({ cluster, id }: { cluster: string; id: string }) {
  const path = `/clusters/${seg(cluster)}/findings/${seg(id)}`;
  const finding = useLoad(() => get<FindingDetail>(path), path, REFRESH_MS);
  const history = useLoad(() => get<{ items: FindingEvent[] }>(`${path}/history`).then((r) => r.items), `${path}/history`, REFRESH_MS);
  return (
    <Page
      title={finding.state === 'ok' ? finding.data.title : 'Finding'}
      actions={<a href={href(['findings'], { cluster })}>Back to the findings of {cluster}</a>}
    >
      <Show loaded={finding} what="the finding">
        {(f) => (
          <>
            <dl class="facts">
              <dt>Severity</dt>
              <dd>
                <SeverityBadge severity={f.severity} />
              </dd>
              <dt>Status</dt>
              <dd>
                <StatusBadge status={f.status} />
                {f.resolvedAt ? ` since ${time(f.resolvedAt)}` : ''}
                {f.exceptionId ? ` (waived by exception ${f.exceptionId})` : ''}
              </dd>
              <dt>Resource</dt>
              <dd>
                {resourceName(f)} <span class="muted">({f.apiVersion})</span>
                {f.container ? `, container ${f.container}` : ''}
                {f.kind === 'ServiceAccount' && f.namespace ? (
                  <>
                    {' '}
                    (<a href={href(['rbac', f.cluster, 'subject', 'ServiceAccount', f.namespace, f.name])}>its permissions</a>)
                  </>
                ) : null}
              </dd>
              <dt>Field</dt>
              <dd>
                <code>{f.pointer || '/'}</code>
              </dd>
              <dt>Check</dt>
              <dd>
                <code>{f.check}</code> {f.checkName} ({f.category})
              </dd>
              <dt>Cluster</dt>
              <dd>
                {f.cluster} (<a href={href(['findings'], { cluster: f.cluster, namespace: f.namespace ?? '', q: f.name })}>other findings on this object</a>)
              </dd>
              <dt>First seen</dt>
              <dd>{time(f.firstSeen)}</dd>
              <dt>Last seen</dt>
              <dd>{time(f.lastSeen)}</dd>
              {f.frameworks.length > 0 && (
                <>
                  <dt>Frameworks</dt>
                  <dd>{f.frameworks.join(', ')}</dd>
                </>
              )}
            </dl>
            <p class="message">{f.message}</p>
            <p>
              <a
                href={href(['exceptions'], {
                  cluster: f.cluster,
                  check: f.check,
                  namespace: f.namespace ?? '',
                  kind: f.kind,
                  name: f.name,
                })}
              >
                Waive this finding with an exception…
              </a>
            </p>
            <h2>Evidence</h2>
            {f.evidence ? <pre class="code">{JSON.stringify(f.evidence, null, 2)}</pre> : <Empty>The check recorded no evidence beyond the message.</Empty>}
            <h2>Fix</h2>
            {f.fixDiff ? (
              <>
                <p>
                  {f.fixable === 'unsafe'
                    ? 'Review this fix before applying it: it may change behaviour.'
                    : 'palisade fix applies this change to the manifest:'}
                </p>
                <Diff text={f.fixDiff} />
              </>
            ) : (
              <Empty>No automatic fix: follow the remediation below.</Empty>
            )}
            <h2>About the check</h2>
            {f.checkDoc ? (
              <div class="doc">
                <Markdown text={f.checkDoc.description} />
                <h3>Remediation</h3>
                <Markdown text={f.checkDoc.remediation} />
                {f.checkDoc.docs && (
                  <details>
                    <summary>Full documentation of {f.check}</summary>
                    <Markdown text={f.checkDoc.docs} />
                  </details>
                )}
              </div>
            ) : (
              <Empty>The check {f.check} is not in this server's catalogue (a custom check, or a newer version).</Empty>
            )}
          </>
        )}
      </Show>
      <h2>History</h2>
      <Show loaded={history} what="the history">
        {(events) =>
          events.length === 0 ? (
            <Empty>No recorded event.</Empty>
          ) : (
            <ol class="timeline">
              {events.map((e) => (
                <li key={`${e.scanId}:${e.event}:${e.at}`} data-event={e.event}>
                  <time dateTime={e.at}>{time(e.at)}</time> <strong>{e.event}</strong>
                  {e.detail && e.event === 'severity-changed' ? ` from ${String(e.detail.from)} to ${String(e.detail.to)}` : ''}
                  {e.detail && (e.event === 'excepted' || e.event === 'unexcepted') ? ` (exception ${String(e.detail.exceptionId)})` : ''}{' '}
                  <span class="muted">scan {e.scanId}</span>
                </li>
              ))}
            </ol>
          )
        }
      </Show>
    </Page>
  );
}
