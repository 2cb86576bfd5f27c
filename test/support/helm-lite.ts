/**
 * TEST UTILITY: renders the subset of Helm's Go templates that deploy/helm uses, so that the
 * chart's templates can be checked without the helm binary (none is installed here): `.Values`,
 * `.Release` and `.Chart` fields, pipelines with `quote`, `toYaml`, `nindent`, `indent`,
 * `required`, `not`, `and`, `or`, `eq`, string and boolean literals, and `if`/`else`/`end`
 * blocks, with `{{-`/`-}}` whitespace trimming as text/template does. A field that does not
 * exist throws (helm would print `<no value>`), so that a typo in a template fails the test.
 * Anything else (range, define, include...) throws: the chart must stay inside this subset.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parse as parseYaml, stringify } from 'yaml';

type Scope = Readonly<Record<string, unknown>>;

type Node = { kind: 'text'; text: string } | { kind: 'action'; expr: string } | { kind: 'if'; cond: string; yes: Node[]; no: Node[] };

function tokenize(template: string): { kind: 'text' | 'action'; text: string }[] {
  const out: { kind: 'text' | 'action'; text: string }[] = [];
  const re = /\{\{(-?)\s*([\s\S]*?)\s*(-?)\}\}/g;
  let last = 0;
  let trimNext = false;
  for (let m = re.exec(template); m !== null; m = re.exec(template)) {
    let text = template.slice(last, m.index);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (m[1] === '-') text = text.replace(/\s+$/, '');
    out.push({ kind: 'text', text });
    const action = (m[2] as string).trim();
    if (!action.startsWith('/*')) out.push({ kind: 'action', text: action });
    trimNext = m[3] === '-';
    last = re.lastIndex;
  }
  let tail = template.slice(last);
  if (trimNext) tail = tail.replace(/^\s+/, '');
  out.push({ kind: 'text', text: tail });
  return out;
}

function parse(tokens: { kind: 'text' | 'action'; text: string }[]): Node[] {
  let i = 0;
  const block = (inIf: boolean): { nodes: Node[]; end: 'end' | 'else' | 'eof' } => {
    const nodes: Node[] = [];
    while (i < tokens.length) {
      const t = tokens[i++] as { kind: 'text' | 'action'; text: string };
      if (t.kind === 'text') {
        nodes.push({ kind: 'text', text: t.text });
        continue;
      }
      if (t.text === 'end' || t.text === 'else') {
        if (!inIf) throw new Error(`{{ ${t.text} }} without if`);
        return { nodes, end: t.text };
      }
      if (t.text.startsWith('if ')) {
        const then = block(true);
        const otherwise = then.end === 'else' ? block(true) : { nodes: [], end: 'end' as const };
        if (then.end === 'eof' || otherwise.end !== 'end') throw new Error(`unterminated {{ ${t.text} }}`);
        nodes.push({ kind: 'if', cond: t.text.slice(3), yes: then.nodes, no: otherwise.nodes });
        continue;
      }
      if (/^(range|with|define|template|include|block)\b/.test(t.text)) throw new Error(`helm-lite does not support {{ ${t.text} }}`);
      nodes.push({ kind: 'action', expr: t.text });
    }
    return { nodes, end: 'eof' };
  };
  const top = block(false);
  return top.nodes;
}

function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

/** Splits on a separator outside double-quoted strings and parentheses. */
function split(text: string, sep: RegExp): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"' && text[i - 1] !== '\\') quoted = !quoted;
    if (!quoted && c === '(') depth++;
    if (!quoted && c === ')') depth--;
    if (!quoted && depth === 0 && sep.test(c)) {
      if (cur.trim() !== '') out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

function lookup(path: string, scope: Scope): unknown {
  let v: unknown = scope;
  for (const key of path.slice(1).split('.')) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) throw new Error(`template reads ${path}, which does not exist`);
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function operand(text: string, scope: Scope): unknown {
  if (text.startsWith('(') && text.endsWith(')')) return pipeline(text.slice(1, -1), scope);
  if (text.startsWith('"')) return JSON.parse(text);
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^-?\d+$/.test(text)) return Number(text);
  if (text.startsWith('.')) return lookup(text, scope);
  throw new Error(`helm-lite cannot read operand ${text}`);
}

const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  quote: (v) => JSON.stringify(typeof v === 'string' ? v : String(v)),
  toYaml: (v) => stringify(v, { lineWidth: 0 }).trimEnd(),
  nindent: (n, v) =>
    `\n${String(v)
      .split('\n')
      .map((l) => ' '.repeat(Number(n)) + l)
      .join('\n')}`,
  indent: (n, v) =>
    String(v)
      .split('\n')
      .map((l) => ' '.repeat(Number(n)) + l)
      .join('\n'),
  required: (message, v) => {
    if (!truthy(v)) throw new Error(`required: ${String(message)}`);
    return v;
  },
  not: (v) => !truthy(v),
  and: (...a) => a.every(truthy),
  or: (...a) => a.some(truthy),
  eq: (a, b) => a === b,
};

function command(text: string, scope: Scope, piped: unknown[]): unknown {
  const parts = split(text, /\s/);
  const head = parts[0] as string;
  const fn = FUNCTIONS[head];
  if (fn) return fn(...parts.slice(1).map((p) => operand(p, scope)), ...piped);
  if (parts.length > 1 || piped.length > 0) throw new Error(`helm-lite does not know function ${head}`);
  return operand(head, scope);
}

function pipeline(expr: string, scope: Scope): unknown {
  let value: unknown;
  split(expr, /\|/).forEach((stage, i) => {
    value = command(stage, scope, i === 0 ? [] : [value]);
  });
  return value;
}

function render(nodes: readonly Node[], scope: Scope): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') out += n.text;
    else if (n.kind === 'action') {
      const v = pipeline(n.expr, scope);
      out += typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
    } else out += render(truthy(pipeline(n.cond, scope)) ? n.yes : n.no, scope);
  }
  return out;
}

/**
 * Renders one template with `.Values`, `.Release` and `.Chart`.
 *
 * @example
 * renderTemplate('name: {{ .Release.Name }}', { Values: {}, Release: { Name: 'x', Namespace: 'y' }, Chart: {} }); // 'name: x'
 */
export function renderTemplate(template: string, scope: Scope): string {
  return render(parse(tokenize(template)), scope);
}

type Values = Record<string, unknown>;

function mergeValues(a: Values, b: Values): Values {
  const out: Values = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    const isMap = (x: unknown): x is Values => x !== null && typeof x === 'object' && !Array.isArray(x);
    out[k] = isMap(v) && isMap(cur) ? mergeValues(cur, v) : v;
  }
  return out;
}

/**
 * Renders every `templates/*.yaml` of a chart directory with its values.yaml merged with
 * `overrides` (as `helm template --set` would), and parses the YAML documents; a template that
 * renders invalid YAML throws, naming the file.
 *
 * @example
 * renderChart('deploy/helm/palisade', { agent: { enabled: true } }, { name: 'palisade', namespace: 'palisade' });
 */
export function renderChart(dir: string, overrides: Values, release: { name: string; namespace: string }): Record<string, unknown>[] {
  const chart = parseYaml(readFileSync(join(dir, 'Chart.yaml'), 'utf8')) as { name: string; version: string; appVersion: string };
  const values = mergeValues(parseYaml(readFileSync(join(dir, 'values.yaml'), 'utf8')) as Values, overrides);
  const scope = {
    Values: values,
    Release: { Name: release.name, Namespace: release.namespace },
    Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
  };
  const objects: Record<string, unknown>[] = [];
  for (const file of readdirSync(join(dir, 'templates')).sort()) {
    if (!file.endsWith('.yaml')) continue;
    const text = renderTemplate(readFileSync(join(dir, 'templates', file), 'utf8'), scope);
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
      const value = doc.toJSON() as Record<string, unknown> | null;
      if (value !== null) objects.push(value);
    }
  }
  return objects;
}
