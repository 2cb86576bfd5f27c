/** Network and attack-path views: tables first, and an SVG drawing of the same data. */
import { useState } from 'preact/hooks';
import { get, seg } from '../api.js';
import { ClusterPicker, Page } from '../components/common.js';
import { Empty, Show, useLoad } from '../load.js';
import { href, navigate } from '../router.js';
import type { AttackPathAnswer, MatrixAnswer, NetEndpoint } from '../types.js';

function endpointLabel(e: NetEndpoint): string {
  if (!('ipRange' in e)) return `${e.namespace}/${e.name}`;
  if (e.ipRange === '0.0.0.0-255.255.255.255') return 'any IPv4 address';
  if (e.ipRange === '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff') return 'any IPv6 address';
  return e.ipRange;
}

function portsLabel(p: MatrixAnswer['connections'][number]['ports']): string {
  if (typeof p === 'string') return p;
  return p.map((x) => (typeof x === 'object' && x !== null ? Object.values(x).join('/') : String(x))).join(', ');
}

/** Above this many nodes the matrix and the drawing stop being readable: the list remains. */
const MAX_DRAWN = 40;

/** `#/network/{cluster}?namespace=` */
export function Network({ cluster, query }: { cluster: string | undefined; query: URLSearchParams }) {
  const namespace = query.get('namespace') ?? '';
  const m = useLoad(
    () => (cluster ? get<MatrixAnswer>(`/clusters/${seg(cluster)}/network/matrix`, { namespace }) : Promise.resolve(null)),
    `net:${cluster ?? ''}:${namespace}`,
  );
  const [ns, setNs] = useState(namespace);
  return (
    <Page title={cluster ? `Network of ${cluster}` : 'Network'} actions={<ClusterPicker current={cluster} link={(c) => href(['network', c])} />}>
      {!cluster ? (
        <Empty>Choose a cluster.</Empty>
      ) : (
        <>
          <form
            class="filters"
            aria-label="filter the matrix"
            onSubmit={(e) => {
              e.preventDefault();
              navigate(href(['network', cluster], { namespace: ns.trim() }));
            }}
          >
            <div class="field">
              <label for="net-ns">Namespace</label>
              <input id="net-ns" value={ns} placeholder="all namespaces" onInput={(e) => setNs((e.currentTarget as HTMLInputElement).value)} />
            </div>
            <div class="actions">
              <button type="submit">Show</button>
            </div>
          </form>
          <Show loaded={m} what="the network matrix">
            {(a) => (!a ? null : a.connections.length === 0 ? <Empty>No connection is allowed between the workloads shown.</Empty> : <MatrixView answer={a} />)}
          </Show>
        </>
      )}
    </Page>
  );
}

function MatrixView({ answer }: { answer: MatrixAnswer }) {
  const nodes = [...new Set(answer.connections.flatMap((c) => [endpointLabel(c.src), endpointLabel(c.dst)]))].sort();
  const cell = new Map<string, string>();
  for (const c of answer.connections) cell.set(`${endpointLabel(c.src)}\u0000${endpointLabel(c.dst)}`, portsLabel(c.ports));
  const srcs = nodes.filter((n) => answer.connections.some((c) => endpointLabel(c.src) === n));
  const dsts = nodes.filter((n) => answer.connections.some((c) => endpointLabel(c.dst) === n));
  return (
    <>
      <p>
        {answer.connections.length} allowed connections between {nodes.length} endpoints.
      </p>
      {nodes.length <= MAX_DRAWN ? (
        <>
          <div class="scroll">
            <table class="data matrix">
              <caption>Allowed connections: row may connect to column (ports)</caption>
              <thead>
                <tr>
                  <td />
                  {dsts.map((d) => (
                    <th scope="col" key={d}>
                      <span class="vertical">{d}</span>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {srcs.map((s) => (
                  <tr key={s}>
                    <th scope="row">{s}</th>
                    {dsts.map((d) => {
                      const v = cell.get(`${s}\u0000${d}`);
                      return (
                        <td key={d} class={v ? 'yes' : 'no'} title={v ? `${s} → ${d}: ${v}` : `${s} → ${d}: denied`}>
                          {v ? v === 'all' ? '✓' : v : <span class="sr-only">denied</span>}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <NetworkGraph nodes={nodes} edges={answer.connections.map((c) => [endpointLabel(c.src), endpointLabel(c.dst)] as const)} />
        </>
      ) : (
        <table class="data">
          <caption>Allowed connections (too many endpoints to draw)</caption>
          <thead>
            <tr>
              <th scope="col">from</th>
              <th scope="col">to</th>
              <th scope="col">ports</th>
            </tr>
          </thead>
          <tbody>
            {answer.connections.map((c) => (
              <tr key={`${endpointLabel(c.src)}>${endpointLabel(c.dst)}`}>
                <td>{endpointLabel(c.src)}</td>
                <td>{endpointLabel(c.dst)}</td>
                <td>{portsLabel(c.ports)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** Endpoints on a circle, allowed connections as arrows. */
function NetworkGraph({ nodes, edges }: { nodes: readonly string[]; edges: readonly (readonly [string, string])[] }) {
  const W = 720;
  const H = 560;
  const cx = W / 2;
  const cy = H / 2;
  const r = Math.min(W, H) / 2 - 90;
  const pos = new Map(
    nodes.map((n, i) => [
      n,
      { x: cx + r * Math.cos((2 * Math.PI * i) / nodes.length - Math.PI / 2), y: cy + r * Math.sin((2 * Math.PI * i) / nodes.length - Math.PI / 2) },
    ]),
  );
  return (
    <figure class="chart">
      <figcaption>The same connections drawn: an arrow from A to B means A may open connections to B.</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`network graph of ${nodes.length} endpoints and ${edges.length} connections`} class="graph">
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="16" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
            <path d="M0 0L10 5L0 10z" fill="#4b5563" />
          </marker>
        </defs>
        {edges.map(([a, b]) => {
          const p = pos.get(a);
          const q = pos.get(b);
          if (!p || !q || a === b) return null;
          // A slight bend to the right of the direction of travel: A->B and B->A stay apart.
          const mx = (p.x + q.x) / 2 + (q.y - p.y) * 0.08;
          const my = (p.y + q.y) / 2 - (q.x - p.x) * 0.08;
          return <path key={`${a}>${b}`} d={`M${p.x} ${p.y}Q${mx} ${my} ${q.x} ${q.y}`} fill="none" class="edge" marker-end="url(#arrow)" />;
        })}
        {nodes.map((n) => {
          const p = pos.get(n);
          if (!p) return null;
          const right = p.x >= cx;
          return (
            <g key={n} class="node" data-node={n}>
              <title>{n}</title>
              <circle cx={p.x} cy={p.y} r={7} />
              <text x={p.x + (right ? 11 : -11)} y={p.y + 4} text-anchor={right ? 'start' : 'end'}>
                {n.length > 34 ? `${n.slice(0, 33)}…` : n}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

const SINKS = ['cluster-admin', 'all-secrets', 'node-root', 'cloud-credentials', 'namespace-secrets'];

/** `#/paths/{cluster}?to=&max-hops=` */
export function Paths({ cluster, query }: { cluster: string | undefined; query: URLSearchParams }) {
  const to = query.get('to') ?? '';
  const maxHops = query.get('max-hops') ?? '';
  const a = useLoad(
    () => (cluster ? get<AttackPathAnswer>(`/clusters/${seg(cluster)}/paths`, { to, 'max-hops': maxHops }) : Promise.resolve(null)),
    `paths:${cluster ?? ''}:${to}:${maxHops}`,
  );
  const [f, setF] = useState({ to, maxHops });
  return (
    <Page title={cluster ? `Attack paths in ${cluster}` : 'Attack paths'} actions={<ClusterPicker current={cluster} link={(c) => href(['paths', c])} />}>
      {!cluster ? (
        <Empty>Choose a cluster.</Empty>
      ) : (
        <>
          <form
            class="filters"
            aria-label="filter attack paths"
            onSubmit={(e) => {
              e.preventDefault();
              navigate(href(['paths', cluster], { to: f.to, 'max-hops': f.maxHops }));
            }}
          >
            <div class="field">
              <label for="p-to">Target</label>
              <select id="p-to" value={f.to} onChange={(e) => setF({ ...f, to: (e.currentTarget as HTMLSelectElement).value })}>
                <option value="">every target</option>
                {SINKS.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="p-hops">Most hops</label>
              <input
                id="p-hops"
                type="number"
                min={1}
                max={20}
                value={f.maxHops}
                onInput={(e) => setF({ ...f, maxHops: (e.currentTarget as HTMLInputElement).value })}
              />
            </div>
            <div class="actions">
              <button type="submit">Show</button>
            </div>
          </form>
          <Show loaded={a} what="the attack paths">
            {(ans) =>
              !ans ? null : ans.paths.length === 0 ? (
                <Empty>No attack path from an entry point to {to || 'any target'}.</Empty>
              ) : (
                <>
                  <p>
                    {ans.total} paths; the {ans.paths.length} most likely and most harmful first.
                  </p>
                  {ans.notes?.map((n) => (
                    <p class="muted" key={n}>
                      {n}
                    </p>
                  ))}
                  {ans.paths.map((p, i) => (
                    <figure class="path" key={i} data-path={i}>
                      <figcaption>
                        <strong>{p.entry.label}</strong> → <strong>{p.sink.label}</strong>: score {p.score} (likelihood {p.likelihood}, impact {p.impact})
                      </figcaption>
                      <PathDrawing path={p} />
                      <details>
                        <summary>The steps and their evidence</summary>
                        <ol>
                          {p.hops.map((h) => (
                            <li key={`${h.from}>${h.to}`}>
                              <strong>{h.edge}</strong>
                              {h.technique?.mitre ? ` (${h.technique.mitre.id} ${h.technique.mitre.name})` : ''}: {h.explanation}
                              {h.evidence && h.evidence.length > 0 && (
                                <ul>
                                  {h.evidence.map((e) => (
                                    <li key={e.text}>
                                      {e.text}
                                      {e.file ? (
                                        <span class="muted">
                                          {' '}
                                          ({e.file}
                                          {e.line ? `:${e.line}` : ''})
                                        </span>
                                      ) : null}
                                    </li>
                                  ))}
                                </ul>
                              )}
                            </li>
                          ))}
                        </ol>
                      </details>
                    </figure>
                  ))}
                </>
              )
            }
          </Show>
        </>
      )}
    </Page>
  );
}

function wrap(text: string, width: number): string[] {
  const words = text.split(' ');
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (`${line} ${w}`.trim().length > width && line) {
      lines.push(line);
      line = w;
    } else line = `${line} ${w}`.trim();
  }
  if (line) lines.push(line);
  return lines.slice(0, 3);
}

/** One attack path drawn top to bottom: boxes for the steps, labelled arrows for the moves. */
function PathDrawing({ path }: { path: AttackPathAnswer['paths'][number] }) {
  const nodes = [path.hops[0]?.from ?? path.entry.label, ...path.hops.map((h) => h.to)];
  const W = 720;
  const boxW = 360;
  const boxH = 54;
  const gap = 58;
  const H = nodes.length * boxH + (nodes.length - 1) * gap + 8;
  const x = 20;
  return (
    <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`attack path: ${nodes.join(' then ')}`} class="pathsvg">
      <defs>
        <marker id="parrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
          <path d="M0 0L10 5L0 10z" fill="#9f1239" />
        </marker>
      </defs>
      {nodes.map((n, i) => {
        const y = 4 + i * (boxH + gap);
        const hop = path.hops[i];
        return (
          <g key={`${i}:${n}`}>
            <rect x={x} y={y} width={boxW} height={boxH} rx={6} class={i === 0 ? 'entry' : i === nodes.length - 1 ? 'sink' : 'step'} />
            <title>{n}</title>
            {wrap(n, 52).map((l, k) => (
              <text key={l} x={x + 10} y={y + 18 + k * 15} class="box-text">
                {l}
              </text>
            ))}
            {hop && (
              <g>
                <line x1={x + boxW / 2} y1={y + boxH} x2={x + boxW / 2} y2={y + boxH + gap} class="path-edge" marker-end="url(#parrow)" />
                <text x={x + boxW / 2 + 12} y={y + boxH + gap / 2 + 4} class="edge-text">
                  {hop.edge}
                  {hop.technique?.mitre ? ` (${hop.technique.mitre.id} ${hop.technique.mitre.name})` : ''}
                </text>
                <title>{hop.explanation}</title>
              </g>
            )}
          </g>
        );
      })}
    </svg>
  );
}
