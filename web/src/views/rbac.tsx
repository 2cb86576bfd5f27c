import { useState } from 'preact/hooks';
import { get, seg } from '../api.js';
import { ClusterPicker, Page } from '../components/common.js';
import { Empty, Show, useLoad } from '../load.js';
import { href, navigate } from '../router.js';
import type { EscalationStep, SubjectAnswer, WhoCanAnswer } from '../types.js';

const WHO_CAN_FIELDS = ['verb', 'resource', 'namespace', 'subresource', 'name'] as const;

/** The namespace segment of a subject link: users and groups have none. */
export const NO_NAMESPACE = '-';

function subjectHref(cluster: string, kind: string, namespace: string | undefined, name: string): string {
  return href(['rbac', cluster, 'subject', kind, namespace || NO_NAMESPACE, name]);
}

/** `#/rbac/{cluster}?verb=&resource=&namespace=`: the who-can form and its answer. */
export function Rbac({ cluster, query }: { cluster: string | undefined; query: URLSearchParams }) {
  const q: Record<string, string> = {};
  for (const k of WHO_CAN_FIELDS) {
    const v = query.get(k);
    if (v) q[k] = v;
  }
  const asked = Boolean(cluster && q.verb && q.resource);
  const key = `whocan:${cluster}:${new URLSearchParams(q).toString()}`;
  const answer = useLoad(() => (asked && cluster ? get<WhoCanAnswer>(`/clusters/${seg(cluster)}/rbac/who-can`, q) : Promise.resolve(null)), key);
  return (
    <Page title={cluster ? `RBAC of ${cluster}` : 'RBAC'} actions={<ClusterPicker current={cluster} link={(c) => href(['rbac', c])} />}>
      {!cluster ? (
        <Empty>Choose a cluster.</Empty>
      ) : (
        <>
          <WhoCanForm key={key} cluster={cluster} initial={q} />
          {!asked ? (
            <Empty>
              Ask who may make a request: a verb (get, create, delete, *) and a resource as kubectl takes it (secrets, pods/exec, deployments.apps).
            </Empty>
          ) : (
            <Show loaded={answer} what="who can">
              {(a) =>
                !a ? null : (
                  <>
                    <h2>Who can {a.request}</h2>
                    {a.alwaysAllowed && a.alwaysAllowed.length > 0 && <p class="muted">Always allowed, whatever RBAC says: {a.alwaysAllowed.join(', ')}.</p>}
                    {a.subjects.length === 0 ? (
                      <Empty>No subject is granted this request by RBAC.</Empty>
                    ) : (
                      <table class="data">
                        <thead>
                          <tr>
                            <th scope="col">subject</th>
                            <th scope="col">scope</th>
                            <th scope="col">granted by</th>
                            <th scope="col">rule</th>
                          </tr>
                        </thead>
                        <tbody>
                          {a.subjects.map((s) => (
                            <tr key={`${s.subject}|${s.binding}|${s.rule}`}>
                              <th scope="row">
                                <a href={subjectHref(cluster, s.kind, s.namespace, s.name)}>{s.subject}</a>
                              </th>
                              <td>{s.scope}</td>
                              <td>
                                {s.binding} → {s.role}
                              </td>
                              <td>
                                <code>{s.ruleText}</code>
                              </td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    )}
                  </>
                )
              }
            </Show>
          )}
          <SubjectForm cluster={cluster} />
        </>
      )}
    </Page>
  );
}

function WhoCanForm({ cluster, initial }: { cluster: string; initial: Readonly<Record<string, string>> }) {
  const [f, setF] = useState<Record<string, string>>({ verb: 'get', resource: 'secrets', ...initial });
  const labels: Record<(typeof WHO_CAN_FIELDS)[number], [string, string]> = {
    verb: ['Verb', 'get'],
    resource: ['Resource', 'secrets'],
    namespace: ['Namespace', 'any namespace'],
    subresource: ['Subresource', 'none'],
    name: ['Object name', 'any object'],
  };
  return (
    <form
      class="filters"
      aria-label="who can"
      onSubmit={(e) => {
        e.preventDefault();
        navigate(href(['rbac', cluster], f));
      }}
    >
      {WHO_CAN_FIELDS.map((k) => (
        <div class="field" key={k}>
          <label for={`wc-${k}`}>{labels[k][0]}</label>
          <input
            id={`wc-${k}`}
            name={k}
            required={k === 'verb' || k === 'resource'}
            placeholder={labels[k][1]}
            value={f[k] ?? ''}
            onInput={(e) => {
              const v = (e.currentTarget as HTMLInputElement).value;
              setF((o) => ({ ...o, [k]: v }));
            }}
          />
        </div>
      ))}
      <div class="actions">
        <button type="submit">Who can?</button>
      </div>
    </form>
  );
}

function SubjectForm({ cluster }: { cluster: string }) {
  const [kind, setKind] = useState('ServiceAccount');
  const [ns, setNs] = useState('');
  const [name, setName] = useState('');
  return (
    <form
      class="filters"
      aria-label="open a subject"
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim()) navigate(subjectHref(cluster, kind, kind === 'ServiceAccount' ? ns.trim() : undefined, name.trim()));
      }}
    >
      <h2 class="full">A subject's permissions</h2>
      <div class="field">
        <label for="sf-kind">Kind</label>
        <select id="sf-kind" value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value)}>
          <option>ServiceAccount</option>
          <option>User</option>
          <option>Group</option>
        </select>
      </div>
      <div class="field">
        <label for="sf-ns">Namespace (service accounts)</label>
        <input id="sf-ns" value={ns} disabled={kind !== 'ServiceAccount'} onInput={(e) => setNs((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="sf-name">Name</label>
        <input id="sf-name" required value={name} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <div class="actions">
        <button type="submit">Open subject</button>
      </div>
    </form>
  );
}

/** `#/rbac/{cluster}/subject/{kind}/{namespace|-}/{name}`: effective rules and escalation paths. */
export function SubjectPage({ cluster, kind, namespace, name }: { cluster: string; kind: string; namespace: string; name: string }) {
  const path = `/clusters/${seg(cluster)}/rbac/subjects/${seg(kind)}/${seg(namespace)}/${seg(name)}`;
  const s = useLoad(() => get<SubjectAnswer>(path), path);
  const label = `${kind} ${namespace !== NO_NAMESPACE ? `${namespace}/` : ''}${name}`;
  return (
    <Page title={label} actions={<a href={href(['rbac', cluster])}>Back to RBAC of {cluster}</a>}>
      <Show loaded={s} what="the subject">
        {(a) => (
          <>
            {a.privileged && (
              <p class="notice" role="status">
                This subject is privileged: it holds every permission.
              </p>
            )}
            {a.user && (
              <p class="muted">
                Authenticates as {a.user.name}, groups {a.user.groups.join(', ') || 'none'}.
              </p>
            )}
            <h2>Escalation paths</h2>
            {a.paths.length === 0 ? (
              <Empty>No path to cluster-admin or to every Secret.</Empty>
            ) : (
              a.paths.map((p) => (
                <figure key={p.target} class="path">
                  <figcaption>
                    to <strong>{p.target}</strong> in {p.steps.length} {p.steps.length === 1 ? 'step' : 'steps'}
                  </figcaption>
                  <StepChain steps={p.steps} />
                </figure>
              ))
            )}
            <h2>Risky capabilities</h2>
            {a.capabilities.length === 0 ? (
              <Empty>None.</Empty>
            ) : (
              <ul>
                {a.capabilities.map((c) => (
                  <li key={c.id}>
                    <strong>{c.id}</strong> ({c.reach}
                    {c.namespaces && c.namespaces.length > 0 ? `: ${c.namespaces.join(', ')}` : ''}) via{' '}
                    {[...new Set(c.grants.map((g) => g.binding))].join(', ')}
                  </li>
                ))}
              </ul>
            )}
            <h2>Effective rules ({a.rules.length})</h2>
            {a.rules.length === 0 ? (
              <Empty>No RBAC rule applies to this subject.</Empty>
            ) : (
              <table class="data">
                <thead>
                  <tr>
                    <th scope="col">rule</th>
                    <th scope="col">scope</th>
                    <th scope="col">granted by</th>
                    <th scope="col">to</th>
                  </tr>
                </thead>
                <tbody>
                  {a.rules.map((r) => (
                    <tr key={`${r.binding}|${r.role}|${r.rule}|${r.ruleIn ?? ''}`}>
                      <td>
                        <code>{r.ruleText}</code>
                      </td>
                      <td>{r.scope}</td>
                      <td>
                        {r.binding} → {r.role}
                      </td>
                      <td>{r.grantedTo ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </Show>
    </Page>
  );
}

/** An escalation path as an ordered list of boxes joined by arrows (plain HTML: it wraps). */
function StepChain({ steps }: { steps: readonly EscalationStep[] }) {
  const first = steps[0];
  return (
    <ol class="chain">
      {first && (
        <li>
          <span class="node">{first.from}</span>
        </li>
      )}
      {steps.map((s) => (
        <li key={`${s.from}>${s.to}`} class="step">
          <span class="edge">{s.action}</span>
          <span class="node">{s.to}</span>
        </li>
      ))}
    </ol>
  );
}
