/** Small building blocks shared by the views. */
import type { ComponentChildren } from 'preact';
import { get } from '../api.js';
import { Show, useLoad } from '../load.js';
import type { ClusterStats } from '../types.js';

export function SeverityBadge({ severity }: { severity: string }) {
  return <span class={`sev sev-${severity}`}>{severity}</span>;
}

export function StatusBadge({ status }: { status: string }) {
  return <span class={`status status-${status}`}>{status}</span>;
}

export function Page({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <section aria-labelledby="view-title">
      <div class="view-head">
        <h1 id="view-title" tabIndex={-1}>
          {title}
        </h1>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** Loads the cluster list once per view: the cluster pickers and overview read it. */
export function useClusters() {
  return useLoad(() => get<{ items: ClusterStats[] }>('/clusters').then((r) => r.items), 'clusters');
}

/**
 * For the views of one cluster (`#/inventory/{cluster}` ...): a labelled select that switches
 * the cluster in the URL, or, without a cluster in the URL, a list to choose from.
 */
export function ClusterPicker({ current, link, id = 'cluster-picker' }: { current: string | undefined; link: (cluster: string) => string; id?: string }) {
  const clusters = useClusters();
  return (
    <Show loaded={clusters} what="the clusters">
      {(items) =>
        items.length === 0 ? (
          <p class="empty">No cluster is known yet: start palisade serve with --cluster, or point an agent at it.</p>
        ) : (
          <div class="picker">
            <label for={id}>Cluster</label>
            <select
              id={id}
              value={current ?? ''}
              onChange={(e) => {
                const v = (e.currentTarget as HTMLSelectElement).value;
                if (v) location.hash = link(v);
              }}
            >
              {current === undefined && <option value="">choose a cluster…</option>}
              {items.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
        )
      }
    </Show>
  );
}

/** Cursor paging: "first page" and "next page" links that keep the rest of the query. */
export function Pager({
  total,
  shown,
  nextHref,
  firstHref,
  onFirst,
}: {
  total: number;
  shown: number;
  nextHref: string | null;
  firstHref: string | null;
  onFirst: boolean;
}) {
  return (
    <nav class="pager" aria-label="pages">
      <span>
        {shown} shown of {total}
      </span>
      {!onFirst && firstHref && <a href={firstHref}>First page</a>}
      {nextHref && (
        <a href={nextHref} rel="next">
          Next page
        </a>
      )}
    </nav>
  );
}

/** A unified diff with added and removed lines marked (not only by colour: the +/- stay). */
export function Diff({ text }: { text: string }) {
  return (
    <pre class="diff">
      {text.split('\n').map((line, i) => {
        const cls =
          line.startsWith('+++') || line.startsWith('---')
            ? 'meta'
            : line.startsWith('+')
              ? 'add'
              : line.startsWith('-')
                ? 'del'
                : line.startsWith('@@')
                  ? 'hunk'
                  : '';
        return (
          <span key={i} class={cls}>
            {line}
            {'\n'}
          </span>
        );
      })}
    </pre>
  );
}

/**
 * The check docs are Markdown written by the project; this renders the part they use
 * (paragraphs, lists, fenced code, `code`, **bold**, links) as elements, never as HTML.
 */
export function Markdown({ text }: { text: string }) {
  const blocks: ComponentChildren[] = [];
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (line.startsWith('```')) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] ?? '').startsWith('```')) code.push(lines[i++] ?? '');
      i++;
      blocks.push(<pre class="code">{code.join('\n')}</pre>);
    } else if (/^\s*[-*] /.test(line)) {
      const items: string[] = [];
      while (i < lines.length && /^\s*[-*] /.test(lines[i] ?? '')) items.push((lines[i++] ?? '').replace(/^\s*[-*] /, ''));
      blocks.push(
        <ul>
          {items.map((t, k) => (
            <li key={k}>
              <Inline text={t} />
            </li>
          ))}
        </ul>,
      );
    } else if (/^#{1,6} /.test(line)) {
      blocks.push(
        <h3>
          <Inline text={line.replace(/^#+ /, '')} />
        </h3>,
      );
      i++;
    } else if (line.trim() === '') i++;
    else {
      const para: string[] = [];
      while (i < lines.length && (lines[i] ?? '').trim() !== '' && !/^(```|\s*[-*] |#{1,6} )/.test(lines[i] ?? '')) para.push(lines[i++] ?? '');
      blocks.push(
        <p>
          <Inline text={para.join(' ')} />
        </p>,
      );
    }
  }
  return <div class="markdown">{blocks}</div>;
}

function Inline({ text }: { text: string }) {
  const out: ComponentChildren[] = [];
  const re = /`([^`]+)`|\*\*([^*]+)\*\*|\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)|(https?:\/\/[^\s)]+)/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    const at = m.index ?? 0;
    if (at > last) out.push(text.slice(last, at));
    if (m[1] !== undefined) out.push(<code>{m[1]}</code>);
    else if (m[2] !== undefined) out.push(<strong>{m[2]}</strong>);
    else if (m[3] !== undefined && m[4] !== undefined)
      out.push(
        <a href={m[4]} rel="noreferrer noopener" target="_blank">
          {m[3]}
        </a>,
      );
    else if (m[5] !== undefined)
      out.push(
        <a href={m[5]} rel="noreferrer noopener" target="_blank">
          {m[5]}
        </a>,
      );
    last = at + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return <>{out}</>;
}
