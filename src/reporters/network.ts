/**
 * Renderers of `palisade network`: reachability verdicts, the matrix (table, JSON, CSV,
 * Graphviz DOT, Mermaid) and the exposure list (table, JSON). The JSON shape of the matrix is
 * documented in docs/network.md.
 */
import { type ConnSet, connsToJson, formatConns, hasPort, type Protocol } from '../network/conn.js';
import type { Exposure } from '../network/exposure.js';
import { type Decision, type DirectionVerdict, type Endpoint, endpointName, type Matrix, type Reachability } from '../network/model.js';

/** Output formats of `network matrix`. */
export const MATRIX_FORMATS = ['table', 'json', 'csv', 'dot', 'mermaid'] as const;
export type MatrixFormat = (typeof MATRIX_FORMATS)[number];

/** An endpoint in JSON: a workload `{namespace, name, kind}` or `{ipRange}`. */
export function endpointJson(e: Endpoint): { namespace: string; name: string; kind: string } | { ipRange: string } {
  return e.kind === 'workload' ? { namespace: e.node.namespace, name: e.node.name, kind: e.node.kind } : { ipRange: e.node.text };
}

function decisionText(d: Decision): string {
  const who = d.tier === 'default' ? 'no policy decides' : `${d.tier} ${d.policy}${d.rule ? ` ${d.rule}` : ''}`;
  if (d.effect === 'isolate') return `isolated by ${d.tier} ${d.policy}`;
  return `${d.effect === 'allow' ? 'allows' : d.effect === 'deny' ? 'denies' : 'passes'} ${formatConns(d.conns)}: ${who}`;
}

function decisionJson(d: Decision): Record<string, unknown> {
  return {
    tier: d.tier,
    ...(d.policy !== undefined ? { policy: d.policy } : {}),
    ...(d.rule !== undefined ? { rule: d.rule } : {}),
    effect: d.effect,
    ports: connsToJson(d.conns),
  };
}

function directionJson(v: DirectionVerdict | undefined): Record<string, unknown> | undefined {
  if (!v) return undefined;
  return { isolated: v.isolated, allowed: connsToJson(v.allowed), decisions: v.decisions.map(decisionJson), ...(v.note ? { note: v.note } : {}) };
}

/**
 * The answer of `network reach`: the verdict on the first line, then each side's decisions.
 *
 * @example
 * renderReach(src, dst, model.reach(src, dst), { protocol: 'TCP', port: 80 }, 'table');
 */
export function renderReach(
  src: Endpoint,
  dst: Endpoint,
  r: Reachability,
  port: { protocol: Protocol; port: number } | undefined,
  format: 'table' | 'json',
): string {
  const allowed = port ? hasPort(r.allowed, port.protocol, port.port) : formatConns(r.allowed) !== 'none';
  const what = port ? ` on ${port.port}/${port.protocol}` : '';
  if (format === 'json') {
    return `${JSON.stringify(
      {
        src: endpointJson(src),
        dst: endpointJson(dst),
        ...(port ? { port: { protocol: port.protocol, port: port.port } } : {}),
        allowed,
        ports: formatConns(r.allowed) === 'none' ? [] : connsToJson(r.allowed),
        ...(r.egress ? { egress: directionJson(r.egress) } : {}),
        ...(r.ingress ? { ingress: directionJson(r.ingress) } : {}),
      },
      null,
      2,
    )}\n`;
  }
  const lines = [`${allowed ? 'allowed' : 'denied'}: ${endpointName(src)} -> ${endpointName(dst)}${what}`, `connections allowed: ${formatConns(r.allowed)}`];
  const side = (label: string, e: Endpoint, v: DirectionVerdict | undefined): void => {
    if (!v) {
      lines.push(`${label} of ${endpointName(e)}: outside the cluster, no policy applies`);
      return;
    }
    lines.push(
      `${label} of ${endpointName(e)}: ${v.note ?? (v.isolated ? 'isolated' : 'not isolated by any NetworkPolicy')}; allows ${formatConns(v.allowed)}`,
    );
    for (const d of v.decisions) lines.push(`  ${decisionText(d)}`);
  };
  side('egress', src, r.egress);
  side('ingress', dst, r.ingress);
  return `${lines.join('\n')}\n`;
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function dotId(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The matrix in one of {@link MATRIX_FORMATS}: one row (or edge) per allowed pair, pairs
 * without allowed traffic absent.
 *
 * @example
 * renderMatrix(model.matrix(), 'csv');
 */
export function renderMatrix(m: Matrix, format: MatrixFormat): string {
  const conns = m.connections();
  if (format === 'json') {
    // Streamed by hand: a full matrix can hold millions of pairs.
    const parts: string[] = [];
    for (const c of conns) parts.push(`    ${JSON.stringify({ src: endpointJson(c.src), dst: endpointJson(c.dst), ports: connsToJson(c.conns) })}`);
    return parts.length === 0 ? '{\n  "connections": []\n}\n' : `{\n  "connections": [\n${parts.join(',\n')}\n  ]\n}\n`;
  }
  if (format === 'csv') {
    const rows = ['src,dst,ports'];
    for (const c of conns) rows.push([endpointName(c.src), endpointName(c.dst), formatConns(c.conns)].map(csvCell).join(','));
    return `${rows.join('\n')}\n`;
  }
  if (format === 'dot' || format === 'mermaid') {
    const ids = new Map<string, string>();
    const nodes: Endpoint[] = [];
    const edges: { s: string; d: string; label: string }[] = [];
    const idOf = (e: Endpoint): string => {
      const name = endpointName(e);
      let id = ids.get(name);
      if (id === undefined) {
        id = `n${ids.size}`;
        ids.set(name, id);
        nodes.push(e);
      }
      return id;
    };
    for (const w of m.workloads) idOf({ kind: 'workload', node: w });
    for (const c of conns) edges.push({ s: idOf(c.src), d: idOf(c.dst), label: formatConns(c.conns) });
    if (format === 'mermaid') {
      const lines = ['flowchart LR'];
      for (const n of nodes) {
        const label = endpointName(n).replace(/"/g, '#quot;');
        lines.push(`  ${ids.get(endpointName(n))}${n.kind === 'external' ? `{{"${label}"}}` : `["${label}"]`}`);
      }
      for (const e of edges) lines.push(`  ${e.s} -->|"${e.label.replace(/"/g, '#quot;')}"| ${e.d}`);
      return `${lines.join('\n')}\n`;
    }
    const lines = ['digraph palisade_network {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];'];
    const byNs = new Map<string, Endpoint[]>();
    for (const n of nodes) {
      const key = n.kind === 'workload' ? n.node.namespace : '';
      byNs.set(key, [...(byNs.get(key) ?? []), n]);
    }
    let i = 0;
    for (const [ns, list] of byNs) {
      if (ns === '') {
        for (const n of list) lines.push(`  ${ids.get(endpointName(n))} [label=${dotId(endpointName(n))}, shape=ellipse, style=dashed];`);
        continue;
      }
      lines.push(`  subgraph cluster_${i++} {`, `    label=${dotId(ns)};`);
      for (const n of list)
        lines.push(`    ${ids.get(endpointName(n))} [label=${dotId(n.kind === 'workload' ? `${n.node.name}[${n.node.kind}]` : endpointName(n))}];`);
      lines.push('  }');
    }
    for (const e of edges) lines.push(`  ${e.s} -> ${e.d} [label=${dotId(e.label)}];`);
    lines.push('}');
    return `${lines.join('\n')}\n`;
  }
  const rows: string[][] = [];
  for (const c of conns) rows.push([endpointName(c.src), endpointName(c.dst), formatConns(c.conns)]);
  if (rows.length === 0) return 'No allowed connections.\n';
  return table(['SOURCE', 'DESTINATION', 'PORTS'], rows);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

function portsText(c: ConnSet): string {
  return formatConns(c);
}

/**
 * The exposure list: one row per way in to a workload, with its path.
 *
 * @example
 * renderExposure(model.exposures(), 'table');
 */
export function renderExposure(list: readonly Exposure[], format: 'table' | 'json'): string {
  if (format === 'json') {
    return `${JSON.stringify(
      {
        exposures: list.map((e) => ({
          workload: endpointJson({ kind: 'workload', node: e.workload }),
          via: e.via,
          entry: { kind: e.entry.ref.kind, ...(e.entry.ref.namespace ? { namespace: e.entry.ref.namespace } : {}), name: e.entry.ref.name },
          path: e.path,
          ports: connsToJson(e.ports),
          tls: e.tls ?? null,
          hosts: e.hosts,
          networkPolicy: e.policy,
          allowedFrom: e.allowedFrom,
        })),
      },
      null,
      2,
    )}\n`;
  }
  if (list.length === 0) return 'No workload is exposed outside the cluster.\n';
  const rows = list.map((e) => [
    endpointName({ kind: 'workload', node: e.workload }),
    e.via,
    portsText(e.ports),
    e.tls === undefined ? '?' : e.tls ? 'yes' : 'no',
    e.policy,
    e.path.join(' -> '),
  ]);
  return table(['WORKLOAD', 'VIA', 'PORTS', 'TLS', 'POLICY', 'PATH'], rows);
}
