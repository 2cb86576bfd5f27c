import type { TrendPoint } from '../../../src/store/types.js';
import { get } from '../api.js';
import { ScoreRing, SeverityBars, TrendChart } from '../components/charts.js';
import { Page, useClusters } from '../components/common.js';
import { percent, SEVERITIES, time } from '../format.js';
import { Empty, Freshness, REFRESH_MS, Show, useLoad } from '../load.js';
import { href } from '../router.js';
import type { Summary } from '../types.js';

/** `#/overview`: score, open findings by severity, the trend over scans, coverage, clusters. */
export function Overview({ cluster }: { cluster: string | undefined }) {
  const summary = useLoad(() => get<Summary>('/summary', { cluster }), `summary:${cluster ?? ''}`, REFRESH_MS);
  const trends = useLoad(
    () => get<{ points: TrendPoint[] }>('/trends', { cluster, by: 'severity' }).then((r) => r.points),
    `trends:${cluster ?? ''}`,
    REFRESH_MS,
  );
  const clusters = useClusters();
  return (
    <Page title={cluster ? `Overview of ${cluster}` : 'Overview'} actions={<Freshness loaded={summary} />}>
      <Show loaded={summary} what="the summary">
        {(s) =>
          s.clusters === 0 && !s.lastScan ? (
            <Empty>No scan is stored yet. Findings appear here after the first scan of a cluster (palisade serve --cluster, or an agent).</Empty>
          ) : (
            <div class="cards">
              <article class="card" aria-labelledby="score-h">
                <h2 id="score-h">Posture score</h2>
                <ScoreRing score={s.score} />
                <p class="muted">100 means no open finding; critical and high findings weigh most.</p>
              </article>
              <article class="card" aria-labelledby="open-h">
                <h2 id="open-h">Open findings by severity</h2>
                <SeverityBars open={s.open} label="open findings by severity" />
                <p>
                  <a href={href(['findings'], { cluster: cluster ?? '', status: 'open' })}>
                    All {SEVERITIES.reduce((n, k) => n + (s.open[k] ?? 0), 0)} open findings
                  </a>
                </p>
              </article>
              <article class="card" aria-labelledby="cov-h">
                <h2 id="cov-h">Coverage</h2>
                <p class="big" data-testid="coverage">
                  {percent(s.coverage.ratio)}
                </p>
                <p class="muted">of resource types read completely in the last scans.</p>
                {s.coverage.incomplete.length > 0 ? (
                  <details>
                    <summary>{s.coverage.incomplete.length} resource types not read completely</summary>
                    <ul>
                      {s.coverage.incomplete.map((c) => (
                        <li key={`${c.group}/${c.resource}`}>
                          {c.kind || c.resource} ({c.group || 'core'}): {c.status}
                          {c.reason ? `, ${c.reason}` : ''}
                        </li>
                      ))}
                    </ul>
                  </details>
                ) : (
                  <p>Every resource type was read.</p>
                )}
                <p class="muted">Last scan: {s.lastScan ? `${time(s.lastScan.finishedAt)} (${s.lastScan.kind})` : 'none'}</p>
              </article>
            </div>
          )
        }
      </Show>
      <h2>Trend</h2>
      <Show loaded={trends} what="the trend">
        {(points) => <TrendChart points={points} title={`Open findings by severity after each scan${cluster ? ` of ${cluster}` : ', all clusters'}`} />}
      </Show>
      <h2>Clusters</h2>
      <Show loaded={clusters} what="the clusters">
        {(items) =>
          items.length === 0 ? (
            <Empty>No cluster is known yet.</Empty>
          ) : (
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">cluster</th>
                  <th scope="col" class="num">
                    score
                  </th>
                  {SEVERITIES.map((s) => (
                    <th scope="col" class="num" key={s}>
                      {s}
                    </th>
                  ))}
                  <th scope="col" class="num">
                    coverage
                  </th>
                  <th scope="col">last scan</th>
                  <th scope="col">source</th>
                </tr>
              </thead>
              <tbody>
                {items.map((c) => (
                  <tr key={c.name}>
                    <th scope="row">
                      <a href={href(['overview'], { cluster: c.name })}>{c.name}</a>
                    </th>
                    <td class="num">{Math.round(c.score)}</td>
                    {SEVERITIES.map((s) => (
                      <td class="num" key={s}>
                        <a href={href(['findings'], { cluster: c.name, severity: s, status: 'open' })}>{c.open?.[s] ?? 0}</a>
                      </td>
                    ))}
                    <td class="num">{percent(c.coverage)}</td>
                    <td>{time(c.lastScanAt)}</td>
                    <td>{c.source}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Show>
    </Page>
  );
}
