/**
 * The views computed from a cluster's latest snapshot: inventory and compliance. Each has the
 * cluster in its URL (`#/inventory/{cluster}`) and a picker to switch.
 */
import { get, seg } from '../api.js';
import { ClusterPicker, Page, SeverityBadge, StatusBadge } from '../components/common.js';
import { plural, time } from '../format.js';
import { Empty, Show, useLoad } from '../load.js';
import { href } from '../router.js';
import type { ComplianceReport, ControlResult, InventorySummary } from '../types.js';

/** `#/inventory/{cluster}` */
export function Inventory({ cluster }: { cluster: string | undefined }) {
  const inv = useLoad(() => (cluster ? get<InventorySummary>(`/clusters/${seg(cluster)}/inventory`) : Promise.resolve(null)), `inv:${cluster ?? ''}`);
  return (
    <Page title={cluster ? `Inventory of ${cluster}` : 'Inventory'} actions={<ClusterPicker current={cluster} link={(c) => href(['inventory', c])} />}>
      {!cluster ? (
        <Empty>Choose a cluster.</Empty>
      ) : (
        <Show loaded={inv} what="the inventory">
          {(i) =>
            !i || i.total === 0 ? (
              <Empty>The stored snapshot of {cluster} holds no object.</Empty>
            ) : (
              <>
                <p>
                  {i.total} objects{i.kubernetesVersion ? `, Kubernetes ${i.kubernetesVersion}` : ''}.
                </p>
                <div class="cols">
                  <table class="data">
                    <caption>Objects per kind</caption>
                    <thead>
                      <tr>
                        <th scope="col">kind</th>
                        <th scope="col" class="num">
                          objects
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {Object.entries(i.counts)
                        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
                        .map(([k, n]) => (
                          <tr key={k}>
                            <th scope="row">{k}</th>
                            <td class="num">{n}</td>
                          </tr>
                        ))}
                    </tbody>
                  </table>
                  <table class="data">
                    <caption>Namespaces</caption>
                    <thead>
                      <tr>
                        <th scope="col">namespace</th>
                        <th scope="col" class="num">
                          objects
                        </th>
                        <th scope="col">findings</th>
                      </tr>
                    </thead>
                    <tbody>
                      {Object.entries(i.namespaces)
                        .sort((a, b) => a[0].localeCompare(b[0]))
                        .map(([ns, counts]) => (
                          <tr key={ns}>
                            <th scope="row">{ns}</th>
                            <td class="num">{Object.values(counts).reduce((a, b) => a + b, 0)}</td>
                            <td>
                              <a href={href(['findings'], { cluster, namespace: ns })}>open findings</a>
                            </td>
                          </tr>
                        ))}
                    </tbody>
                  </table>
                </div>
                <table class="data">
                  <caption>Workloads ({i.workloads.length})</caption>
                  <thead>
                    <tr>
                      <th scope="col">workload</th>
                      <th scope="col">images</th>
                      <th scope="col">service account</th>
                      <th scope="col" class="num">
                        pods
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {i.workloads.map((w) => (
                      <tr key={`${w.kind}/${w.namespace}/${w.name}`}>
                        <th scope="row">
                          {w.kind} {w.namespace ? `${w.namespace}/` : ''}
                          {w.name}
                        </th>
                        <td>{w.images.join(', ')}</td>
                        <td>
                          {w.namespace ? (
                            <a href={href(['rbac', cluster, 'subject', 'ServiceAccount', w.namespace, w.serviceAccount])}>{w.serviceAccount}</a>
                          ) : (
                            w.serviceAccount
                          )}
                        </td>
                        <td class="num">{w.pods ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <table class="data">
                  <caption>Exposed outside the cluster ({i.exposedServices.length})</caption>
                  <thead>
                    <tr>
                      <th scope="col">object</th>
                      <th scope="col">type</th>
                      <th scope="col">ports</th>
                      <th scope="col">hosts and addresses</th>
                    </tr>
                  </thead>
                  <tbody>
                    {i.exposedServices.map((s) => (
                      <tr key={`${s.kind}/${s.namespace}/${s.name}`}>
                        <th scope="row">
                          {s.kind} {s.namespace ? `${s.namespace}/` : ''}
                          {s.name}
                        </th>
                        <td>{s.type}</td>
                        <td>{s.ports.join(', ')}</td>
                        <td>{[...s.hosts, ...s.addresses].join(', ') || '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <table class="data">
                  <caption>Service accounts in use ({i.serviceAccounts.length})</caption>
                  <thead>
                    <tr>
                      <th scope="col">service account</th>
                      <th scope="col">token mounted</th>
                      <th scope="col" class="num">
                        used by
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {i.serviceAccounts.map((s) => (
                      <tr key={`${s.namespace}/${s.name}`}>
                        <th scope="row">
                          <a href={href(['rbac', cluster, 'subject', 'ServiceAccount', s.namespace, s.name])}>
                            {s.namespace}/{s.name}
                          </a>
                        </th>
                        <td>{s.automountToken === false ? 'no' : s.automountToken === true ? 'yes' : 'yes (default)'}</td>
                        <td class="num">{s.usedBy}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )
          }
        </Show>
      )}
    </Page>
  );
}

/** Frameworks of `palisade compliance --framework` (docs/compliance.md). */
export const FRAMEWORKS: readonly { id: string; title: string }[] = [
  { id: 'cis-1.12', title: 'CIS Kubernetes Benchmark 1.12' },
  { id: 'nsa-1.2', title: 'NSA/CISA Kubernetes Hardening 1.2' },
  { id: 'pss-baseline', title: 'Pod Security Standards: baseline' },
  { id: 'pss-restricted', title: 'Pod Security Standards: restricted' },
  { id: 'mitre', title: 'MITRE ATT&CK (containers)' },
  { id: 'ms-threat-matrix', title: 'Microsoft threat matrix for Kubernetes' },
  { id: 'soc2', title: 'SOC 2 (template)' },
];

/** `#/compliance/{cluster}/{framework}` */
const CONTROL_STATUSES = ['fail', 'error', 'pass', 'manual', 'not-applicable'] as const;

/** `#/compliance/{cluster}/{framework}?status=fail` */
export function Compliance({ cluster, framework, status }: { cluster: string | undefined; framework: string; status: string }) {
  const report = useLoad(
    () => (cluster ? get<ComplianceReport>(`/clusters/${seg(cluster)}/compliance`, { framework }) : Promise.resolve(null)),
    `comp:${cluster ?? ''}:${framework}`,
  );
  return (
    <Page
      title={cluster ? `Compliance of ${cluster}` : 'Compliance'}
      actions={
        <div class="pickers">
          <ClusterPicker current={cluster} link={(c) => href(['compliance', c, framework])} />
          <div class="picker">
            <label for="framework-picker">Framework</label>
            <select
              id="framework-picker"
              value={framework}
              onChange={(e) => {
                if (cluster) location.hash = href(['compliance', cluster, (e.currentTarget as HTMLSelectElement).value]);
              }}
            >
              {FRAMEWORKS.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.title}
                </option>
              ))}
              {!FRAMEWORKS.some((f) => f.id === framework) && <option value={framework}>{framework}</option>}
            </select>
          </div>
          <div class="picker">
            <label for="control-status">Controls</label>
            <select
              id="control-status"
              value={status}
              onChange={(e) => {
                if (cluster) location.hash = href(['compliance', cluster, framework], { status: (e.currentTarget as HTMLSelectElement).value });
              }}
            >
              <option value="">all</option>
              {CONTROL_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s} only
                </option>
              ))}
            </select>
          </div>
        </div>
      }
    >
      {!cluster ? (
        <Empty>Choose a cluster.</Empty>
      ) : (
        <Show loaded={report} what={`the ${framework} report`}>
          {(r) =>
            !r ? null : (
              <>
                <p>
                  <strong>{r.framework.title}</strong> {r.framework.version}: score{' '}
                  <strong data-testid="compliance-score">{r.summary.score === null ? 'not assessed' : `${r.summary.score}%`}</strong> ({r.summary.pass} pass,{' '}
                  {r.summary.fail} fail, {r.summary.error} error, {r.summary.manual} manual, {r.summary.notApplicable} not applicable). Generated{' '}
                  {time(r.generatedAt)}.
                </p>
                {r.controls.length === 0 ? (
                  <Empty>The framework has no control.</Empty>
                ) : status && !r.controls.some((c) => c.status === status) ? (
                  <Empty>No control has the status {status}.</Empty>
                ) : (
                  <ControlTable controls={status ? r.controls.filter((c) => c.status === status) : r.controls} cluster={cluster} />
                )}
              </>
            )
          }
        </Show>
      )}
    </Page>
  );
}

function ControlTable({ controls, cluster }: { controls: readonly ControlResult[]; cluster: string }) {
  const sections = new Map<string, ControlResult[]>();
  for (const c of controls) {
    const s = c.section ?? '';
    const list = sections.get(s) ?? [];
    list.push(c);
    sections.set(s, list);
  }
  return (
    <>
      {[...sections.entries()].map(([section, list]) => (
        <table class="data controls" key={section}>
          <caption>{section || 'Controls'}</caption>
          <thead>
            <tr>
              <th scope="col">control</th>
              <th scope="col">title</th>
              <th scope="col">status</th>
              <th scope="col">details</th>
            </tr>
          </thead>
          <tbody>
            {list.map((c) => (
              <tr key={c.id} data-control={c.id} data-status={c.status}>
                <th scope="row">{c.id}</th>
                <td>{c.title}</td>
                <td>
                  <StatusBadge status={c.status} />
                </td>
                <td>
                  <details>
                    <summary>{c.resources.length > 0 ? plural(c.resources.length, 'resource') : 'why'}</summary>
                    <p>{c.reason}</p>
                    {c.checks.length > 0 && (
                      <ul>
                        {c.checks.map((k) => (
                          <li key={k.id}>
                            <a href={href(['findings'], { cluster, check: k.id })}>
                              <code>{k.id}</code>
                            </a>{' '}
                            {k.title}: {k.counts.fail} fail, {k.counts.pass} pass
                          </li>
                        ))}
                      </ul>
                    )}
                    {c.resources.length > 0 && (
                      <ul>
                        {c.resources.map((e) => (
                          <li key={`${e.check}:${e.resource.kind}:${e.resource.namespace}:${e.resource.name}:${e.pointer}`}>
                            <SeverityBadge severity={e.severity} /> {e.message}
                          </li>
                        ))}
                      </ul>
                    )}
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </>
  );
}
