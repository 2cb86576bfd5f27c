/**
 * Renderers of `palisade paths`: the ranked attack paths with every hop explained (table), the
 * documented JSON shape (docs/attack-paths.md), and drawings (Graphviz DOT, Mermaid). Choke
 * points render as a table or JSON.
 */
import type { Resource } from '../core/types.js';
import type { AttackPath, ChokePoint, Evidence, Hop } from '../paths/graph.js';
import { EDGE_SPECS } from '../paths/techniques.js';

/** Output formats of `palisade paths`. */
export const PATHS_FORMATS = ['table', 'json', 'dot', 'mermaid'] as const;
export type PathsFormat = (typeof PATHS_FORMATS)[number];

function objectName(r: Resource): string {
  return `${r.ref.kind} ${r.ref.namespace ? `${r.ref.namespace}/` : ''}${r.ref.name}`;
}

/** Where evidence points: `file:line` for files, else the object and the JSON Pointer. */
export function evidenceWhere(e: Evidence): string | undefined {
  if (!e.resource) return undefined;
  const loc = (e.pointer !== undefined ? e.resource.positions?.locate(e.pointer) : undefined) ?? e.resource.location;
  if (loc) return `${loc.file}:${loc.line}`;
  return `${objectName(e.resource)}${e.pointer ? ` ${e.pointer}` : ''}`;
}

function evidenceJson(e: Evidence): Record<string, unknown> {
  const loc = e.resource ? ((e.pointer !== undefined ? e.resource.positions?.locate(e.pointer) : undefined) ?? e.resource.location) : undefined;
  return {
    text: e.text,
    ...(e.resource
      ? { object: { kind: e.resource.ref.kind, ...(e.resource.ref.namespace ? { namespace: e.resource.ref.namespace } : {}), name: e.resource.ref.name } }
      : {}),
    ...(e.pointer !== undefined ? { pointer: e.pointer } : {}),
    ...(loc ? { file: loc.file, line: loc.line } : {}),
  };
}

function hopJson(h: Hop): Record<string, unknown> {
  return {
    from: h.from,
    to: h.to,
    edge: h.edge,
    technique: { mitre: h.mitre, ms: h.ms },
    explanation: h.explanation,
    evidence: h.evidence.map(evidenceJson),
  };
}

/**
 * One path as JSON: `entry`, `sink`, `score`, `likelihood`, `impact`, `hops[]`.
 *
 * @example
 * JSON.stringify(pathJson(graph.paths()[0]));
 */
export function pathJson(p: AttackPath): Record<string, unknown> {
  return {
    entry: { kind: p.entryKind, label: p.entry.label, key: p.entry.key },
    sink: { kind: p.sinkKind, label: p.sink.label, key: p.sink.key },
    score: p.score,
    likelihood: Math.round(p.likelihood * 1000) / 1000,
    impact: p.impact,
    hops: p.hops.map(hopJson),
  };
}

function chokeJson(c: ChokePoint): Record<string, unknown> {
  return { edge: c.edge.kind, from: c.from.label, to: c.to.label, paths: c.paths, score: c.score, evidence: c.edge.evidence.map(evidenceJson) };
}

function table(paths: readonly AttackPath[], notes: readonly string[], total: number): string {
  const out: string[] = [];
  for (const n of notes) out.push(`note: ${n}`);
  if (paths.length === 0) {
    out.push('no attack path found');
    return `${out.join('\n')}\n`;
  }
  paths.forEach((p, i) => {
    out.push('');
    out.push(
      `#${i + 1}  score ${p.score.toFixed(1)}  ${p.entry.label} => ${p.sink.label}  (${p.hops.length} hop${p.hops.length === 1 ? '' : 's'}, likelihood ${p.likelihood.toFixed(3)}, impact ${p.impact})`,
    );
    p.hops.forEach((h, j) => {
      out.push(`  ${j + 1}. ${h.from} -> ${h.to}`);
      out.push(`     ${h.edge}  [${h.mitre.id} ${h.mitre.name}; ${h.ms.id} ${h.ms.name}]`);
      out.push(`     ${h.explanation}`);
      for (const e of h.evidence) {
        const where = evidenceWhere(e);
        out.push(`     evidence: ${e.text}${where ? ` (${where})` : ''}`);
      }
    });
  });
  out.push('');
  out.push(total > paths.length ? `${paths.length} of ${total} paths shown (--limit)` : `${total} path${total === 1 ? '' : 's'}`);
  return `${out.join('\n')}\n`;
}

function quoteDot(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function drawingNodes(paths: readonly AttackPath[]): { nodes: Map<string, number>; edges: Map<string, { from: number; to: number; label: string }> } {
  const nodes = new Map<string, number>();
  const edges = new Map<string, { from: number; to: number; label: string }>();
  const id = (label: string) => {
    let n = nodes.get(label);
    if (n === undefined) {
      n = nodes.size;
      nodes.set(label, n);
    }
    return n;
  };
  for (const p of paths)
    for (const h of p.hops) {
      const from = id(h.from);
      const to = id(h.to);
      edges.set(`${from}>${to}>${h.edge}`, { from, to, label: `${h.edge} (${h.mitre.id})` });
    }
  return { nodes, edges };
}

function dot(paths: readonly AttackPath[]): string {
  const { nodes, edges } = drawingNodes(paths);
  const sinks = new Set(paths.map((p) => p.sink.label));
  const entries = new Set(paths.map((p) => p.entry.label));
  const out = ['digraph attack_paths {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];'];
  for (const [label, n] of nodes) {
    const style = sinks.has(label) ? ', style=filled, fillcolor="#f4cccc"' : entries.has(label) ? ', style=filled, fillcolor="#fff2cc"' : '';
    out.push(`  n${n} [label=${quoteDot(label)}${style}];`);
  }
  for (const e of edges.values()) out.push(`  n${e.from} -> n${e.to} [label=${quoteDot(e.label)}];`);
  out.push('}');
  return `${out.join('\n')}\n`;
}

function mermaidText(s: string): string {
  return `"${s.replace(/"/g, '#quot;')}"`;
}

function mermaid(paths: readonly AttackPath[]): string {
  const { nodes, edges } = drawingNodes(paths);
  const out = ['flowchart LR'];
  for (const [label, n] of nodes) out.push(`  n${n}[${mermaidText(label)}]`);
  for (const e of edges.values()) out.push(`  n${e.from} -->|${mermaidText(e.label)}| n${e.to}`);
  return `${out.join('\n')}\n`;
}

/**
 * Renders paths (already ranked and limited) in one format; `total` is how many there were
 * before the limit.
 *
 * @example
 * process.stdout.write(renderPaths(graph.paths().slice(0, 20), graph.notes, 'table', total));
 */
export function renderPaths(paths: readonly AttackPath[], notes: readonly string[], format: PathsFormat, total = paths.length): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify({ notes, total, paths: paths.map(pathJson) }, null, 2)}\n`;
    case 'dot':
      return dot(paths);
    case 'mermaid':
      return mermaid(paths);
    default:
      return table(paths, notes, total);
  }
}

/**
 * Renders choke points: the edges most paths go through, with the field to change.
 *
 * @example
 * process.stdout.write(renderChokePoints(graph.chokePoints(paths), 'table'));
 */
export function renderChokePoints(chokes: readonly ChokePoint[], format: 'table' | 'json'): string {
  if (format === 'json') return `${JSON.stringify({ chokePoints: chokes.map(chokeJson) }, null, 2)}\n`;
  if (chokes.length === 0) return 'no attack path found\n';
  const out: string[] = [];
  chokes.forEach((c, i) => {
    out.push(`#${i + 1}  cuts ${c.paths} path${c.paths === 1 ? '' : 's'} (score ${c.score.toFixed(1)}): ${c.edge.kind}  ${c.from.label} -> ${c.to.label}`);
    out.push(`     ${EDGE_SPECS[c.edge.kind].explanation}`);
    for (const e of c.edge.evidence) {
      const where = evidenceWhere(e);
      out.push(`     fix: ${e.text}${where ? ` (${where})` : ''}`);
    }
  });
  return `${out.join('\n')}\n`;
}
