/**
 * RBAC benchmark: a generated set of 5,000 service accounts, 2,000 roles and 10,000 bindings
 * across 200 namespaces (plus 2,000 Deployments running as those accounts). Measures the time
 * to build the model, who-can and can queries, all escalation paths, the subject-level checks
 * of `palisade scan`, and peak RSS.
 *
 * Runs against the built package (dist/): `npm run build` first. Writes bench-results/rbac.json.
 * Usage: node --expose-gc bench/rbac.mjs [--namespaces 200] [--service-accounts 5000]
 *          [--roles 2000] [--bindings 10000] [--queries 1000] [--runs 3] [--strict] [--out file]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { builtinChecks } from '../dist/checks/index.js';
import { builtinModels } from '../dist/checks/models.js';
import { runChecks } from '../dist/core/engine.js';
import { Inventory } from '../dist/core/inventory.js';
import { parseSubject, userInfoOf } from '../dist/rbac/identity.js';
import { buildRbacModel } from '../dist/rbac/model.js';
import { EscalationGraph } from '../dist/rbac/paths.js';
import { prng } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { values: opts } = parseArgs({
  options: {
    namespaces: { type: 'string', default: '200' },
    'service-accounts': { type: 'string', default: '5000' },
    roles: { type: 'string', default: '2000' },
    bindings: { type: 'string', default: '10000' },
    workloads: { type: 'string', default: '2000' },
    queries: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '3' },
    strict: { type: 'boolean', default: false },
    out: { type: 'string', default: join(root, 'bench-results', 'rbac.json') },
  },
});

/** Targets from the issue: model build under 1 s, a who-can query under 5 ms, all paths under 5 s. */
const TARGETS = { buildMs: 1000, whoCanMs: 5, pathsMs: 5000 };

const N = {
  namespaces: Number(opts.namespaces),
  serviceAccounts: Number(opts['service-accounts']),
  roles: Number(opts.roles),
  bindings: Number(opts.bindings),
  workloads: Number(opts.workloads),
  queries: Number(opts.queries),
};
const runs = Math.max(1, Number(opts.runs));
const gc = () => globalThis.gc?.();
const log = (msg) => process.stderr.write(`${msg}\n`);

/* ----------------------------------------------------------------------------- generator */

const rand = prng(20260101);
const pick = (list) => list[Math.floor(rand() * list.length)];
const some = (list, max) => {
  const n = 1 + Math.floor(rand() * max);
  return [...new Set(Array.from({ length: n }, () => pick(list)))];
};

const RESOURCES = [
  ['', ['pods', 'pods/log', 'pods/exec', 'services', 'configmaps', 'secrets', 'endpoints', 'persistentvolumeclaims', 'serviceaccounts', 'events']],
  ['apps', ['deployments', 'deployments/scale', 'statefulsets', 'daemonsets', 'replicasets']],
  ['batch', ['jobs', 'cronjobs']],
  ['networking.k8s.io', ['ingresses', 'networkpolicies']],
  ['coordination.k8s.io', ['leases']],
  ['monitoring.coreos.com', ['servicemonitors', 'prometheusrules']],
  ['example.com', ['widgets', 'gadgets']],
];
// Mostly read access, as in real clusters; writes and `*` are rarer.
const READ = ['get', 'list', 'watch'];
const VERB_SETS = [
  READ,
  READ,
  READ,
  READ,
  READ,
  READ,
  READ,
  READ,
  ['get'],
  ['get'],
  ['get'],
  ['list', 'watch'],
  ['list', 'watch'],
  ['create', 'update', 'patch', 'delete'],
  ['create', 'update', 'patch', 'delete'],
  [...READ, 'create', 'update', 'patch', 'delete'],
  ['*'],
];
const CLUSTER_RULES = [
  { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list'] },
  { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ['get', 'list'] },
  { nonResourceURLs: ['/metrics', '/healthz/*'], verbs: ['get'] },
];
// Rare, risky rules, so that escalation paths exist but do not cover everything.
const RISKY_RULES = [
  { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
  { apiGroups: [''], resources: ['secrets'], verbs: ['list'] },
  { apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'], resourceNames: ['admin'] },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings'], verbs: ['create'] },
  { apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] },
];

function rule(clusterRole) {
  const r = rand();
  if (clusterRole && r < 0.08) return pick(CLUSTER_RULES);
  if (r < 0.02) return pick(RISKY_RULES);
  const [group, resources] = pick(RESOURCES);
  const out = { apiGroups: [group], resources: some(resources, 3), verbs: pick(VERB_SETS) };
  if (rand() < 0.1) out.resourceNames = [`obj-${Math.floor(rand() * 50)}`];
  return out;
}

const H = 'rbac.authorization.k8s.io/v1';

function generate() {
  const objects = [];
  const ns = Array.from({ length: N.namespaces }, (_, i) => `ns-${String(i).padStart(3, '0')}`);
  for (const n of ns) objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } });
  const sas = [];
  for (let i = 0; i < N.serviceAccounts; i++) {
    const namespace = ns[i % ns.length];
    const name = `sa-${Math.floor(i / ns.length)}`;
    sas.push({ namespace, name });
    objects.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
  }
  const clusterRoles = [];
  const rolesByNs = new Map(ns.map((n) => [n, []]));
  const clusterCount = Math.round(N.roles * 0.2);
  for (let i = 0; i < N.roles; i++) {
    if (i < clusterCount) {
      const name = `cr-${i}`;
      clusterRoles.push(name);
      const labels = i % 10 === 0 ? { 'bench/aggregate-to-tier': `t${i % 30}` } : {};
      const role = {
        apiVersion: H,
        kind: 'ClusterRole',
        metadata: { name, labels },
        rules: Array.from({ length: 3 + Math.floor(rand() * 4) }, () => rule(true)),
      };
      // A few aggregated roles, selecting by label.
      if (i % 40 === 5) role.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { 'bench/aggregate-to-tier': `t${i % 30}` } }] };
      objects.push(role);
    } else {
      const namespace = ns[i % ns.length];
      const name = `role-${i}`;
      rolesByNs.get(namespace).push(name);
      objects.push({
        apiVersion: H,
        kind: 'Role',
        metadata: { name, namespace },
        rules: Array.from({ length: 3 + Math.floor(rand() * 4) }, () => rule(false)),
      });
    }
  }
  const subject = () => {
    const r = rand();
    if (r < 0.75) {
      const sa = pick(sas);
      return { kind: 'ServiceAccount', name: sa.name, namespace: sa.namespace };
    }
    if (r < 0.92) return { kind: 'User', name: `user-${Math.floor(rand() * 1000)}`, apiGroup: 'rbac.authorization.k8s.io' };
    return { kind: 'Group', name: `team-${Math.floor(rand() * 50)}`, apiGroup: 'rbac.authorization.k8s.io' };
  };
  const crbCount = Math.round(N.bindings * 0.1);
  for (let i = 0; i < N.bindings; i++) {
    const subjects = Array.from({ length: 1 + Math.floor(rand() * 3) }, subject);
    if (i < crbCount) {
      // A handful of cluster-admins, as in real clusters.
      const roleName = i % 250 === 0 ? 'cluster-admin' : pick(clusterRoles);
      objects.push({
        apiVersion: H,
        kind: 'ClusterRoleBinding',
        metadata: { name: `crb-${i}` },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
        subjects,
      });
    } else {
      const namespace = ns[i % ns.length];
      const local = rolesByNs.get(namespace);
      const useClusterRole = rand() < 0.3 || local.length === 0;
      const roleRef = useClusterRole
        ? { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: rand() < 0.1 ? pick(['view', 'edit', 'admin']) : pick(clusterRoles) }
        : { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: pick(local) };
      objects.push({ apiVersion: H, kind: 'RoleBinding', metadata: { name: `rb-${i}`, namespace }, roleRef, subjects });
    }
  }
  for (let i = 0; i < N.workloads; i++) {
    const sa = sas[i % sas.length];
    objects.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `app-${i}`, namespace: sa.namespace },
      spec: { template: { spec: { serviceAccountName: sa.name, containers: [{ name: 'app', image: `registry.example.com/app:${i}` }] } } },
    });
  }
  return { objects, ns, sas };
}

/* ----------------------------------------------------------------------------- measure */

function time(fn) {
  gc();
  const t0 = performance.now();
  const result = fn();
  return { ms: performance.now() - t0, result };
}

function best(fn) {
  let min = Number.POSITIVE_INFINITY;
  let result;
  for (let i = 0; i < runs; i++) {
    const r = time(fn);
    min = Math.min(min, r.ms);
    result = r.result;
  }
  return { ms: min, result };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

const { objects, ns, sas } = generate();
log(`generated ${objects.length.toLocaleString('en-US')} objects`);

const load = best(() => {
  const inv = new Inventory();
  for (const object of objects) inv.add({ object });
  return inv;
});
const inventory = load.result;
const build = best(() => buildRbacModel(inventory, { defaults: 'roles' }));
const model = build.result;

// who-can: the first query builds the rule index; then 1,000 mixed queries.
const queries = Array.from({ length: N.queries }, () => {
  const [group, resources] = pick(RESOURCES);
  const combined = pick(resources);
  const [resource, subresource] = combined.split('/');
  const verb = pick(['get', 'list', 'create', 'delete', 'patch', 'watch']);
  const r = rand();
  const namespace = r < 0.6 ? pick(ns) : r < 0.8 ? '' : undefined;
  return { kind: 'resource', verb, apiGroup: group, resource, ...(subresource ? { subresource } : {}), ...(namespace !== undefined ? { namespace } : {}) };
});
const index = time(() => model.whoCan(queries[0]));
const perQuery = [];
const byKind = { namespace: [], cluster: [], any: [] };
let rows = 0;
for (const q of queries) {
  const t0 = performance.now();
  const n = model.whoCan(q).length;
  const ms = performance.now() - t0;
  rows += n;
  perQuery.push(ms);
  byKind[q.namespace === undefined ? 'any' : q.namespace === '' ? 'cluster' : 'namespace'].push({ ms, rows: n });
}
perQuery.sort((a, b) => a - b);
const whoCanTotal = perQuery.reduce((a, b) => a + b, 0);
const kindStats = Object.fromEntries(
  Object.entries(byKind).map(([k, list]) => {
    const ms = list.map((x) => x.ms).sort((a, b) => a - b);
    const r = list.map((x) => x.rows).sort((a, b) => a - b);
    return [
      k,
      {
        queries: list.length,
        meanMs: round(ms.reduce((a, b) => a + b, 0) / Math.max(1, ms.length), 3),
        p95Ms: round(percentile(ms, 0.95), 3),
        medianRows: percentile(r, 0.5),
      },
    ];
  }),
);
// The target is for a who-can query as users ask it: in a namespace, or cluster-wide.
const scoped = [...byKind.namespace, ...byKind.cluster].map((x) => x.ms).sort((a, b) => a - b);

// can: 1,000 authorizations of random service accounts.
const canTimes = [];
for (let i = 0; i < N.queries; i++) {
  const sa = pick(sas);
  const q = queries[i];
  const user = userInfoOf(parseSubject(`sa:${sa.namespace}/${sa.name}`));
  const t0 = performance.now();
  model.authorize(user, { ...q, namespace: q.namespace ?? sa.namespace });
  canTimes.push(performance.now() - t0);
}
canTimes.sort((a, b) => a - b);

// All escalation paths, on a fresh model so that no cache helps.
const paths = best(() => {
  const m = buildRbacModel(inventory, { defaults: 'roles' });
  const t0 = performance.now();
  const g = new EscalationGraph(m);
  const admin = g.paths('cluster-admin');
  const secrets = g.paths('all-secrets');
  return { graphMs: performance.now() - t0, size: g.size(), admin: admin.length, secrets: secrets.length };
});

// The subject-level checks as `palisade scan` runs them (model built inside, shared by the checks).
const rbacChecks = builtinChecks.filter((c) => /^PAL-04\d\d$/.test(c.id));
const checks = best(() => {
  const inv = new Inventory();
  for (const object of objects) inv.add({ object });
  // The engine builds the RBAC model once per run and hands it to the checks (uses: ['rbac']).
  return runChecks(inv, { checks: rbacChecks, models: builtinModels }).totals;
});

const rssMb = process.resourceUsage().maxRSS / 1024;
const result = {
  generatedAt: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? '', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
  set: {
    namespaces: N.namespaces,
    serviceAccounts: N.serviceAccounts,
    roles: N.roles,
    bindings: N.bindings,
    workloads: N.workloads,
    objects: objects.length,
  },
  ms: {
    inventoryLoad: round(load.ms),
    modelBuild: round(build.ms),
    whoCanIndex: round(index.ms),
    whoCanTotal: round(whoCanTotal),
    whoCanMean: round(whoCanTotal / perQuery.length, 3),
    whoCanP95: round(percentile(perQuery, 0.95), 3),
    whoCanMax: round(perQuery[perQuery.length - 1] ?? 0, 3),
    whoCanScopedP95: round(percentile(scoped, 0.95), 3),
    canMean: round(canTimes.reduce((a, b) => a + b, 0) / canTimes.length, 3),
    canP95: round(percentile(canTimes, 0.95), 3),
    allPaths: round(paths.ms),
    allPathsGraphOnly: round(paths.result.graphMs),
    subjectChecks: round(checks.ms),
  },
  whoCanByKind: kindStats,
  counts: {
    whoCanRows: rows,
    graphNodes: paths.result.size.nodes,
    graphEdges: paths.result.size.edges,
    pathsToClusterAdmin: paths.result.admin,
    pathsToAllSecrets: paths.result.secrets,
    checkFindings: checks.result.fail,
  },
  peakRssMb: round(rssMb),
  targets: TARGETS,
};
const met = {
  build: result.ms.modelBuild < TARGETS.buildMs,
  whoCan: result.ms.whoCanScopedP95 < TARGETS.whoCanMs,
  paths: result.ms.allPaths < TARGETS.pathsMs,
};
result.met = met;

function round(n, digits = 1) {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

const rowsOut = [
  ['generated set', `${N.serviceAccounts} SAs, ${N.roles} roles, ${N.bindings} bindings, ${N.namespaces} namespaces, ${N.workloads} workloads`, ''],
  ['inventory load', `${result.ms.inventoryLoad} ms`, ''],
  ['model build', `${result.ms.modelBuild} ms`, `target < ${TARGETS.buildMs} ms: ${met.build ? 'met' : 'MISSED'}`],
  ['who-can index (first query)', `${result.ms.whoCanIndex} ms`, ''],
  [
    `${N.queries} who-can queries`,
    `${result.ms.whoCanTotal} ms total`,
    `mean ${result.ms.whoCanMean} ms, p95 ${result.ms.whoCanP95} ms, max ${result.ms.whoCanMax} ms`,
  ],
  ...Object.entries(kindStats).map(([k, v]) => [
    `  who-can ${k === 'any' ? 'in any namespace' : k === 'cluster' ? 'cluster-wide' : 'in a namespace'} (${v.queries})`,
    `mean ${v.meanMs} ms, p95 ${v.p95Ms} ms`,
    `median answer ${v.medianRows} rows`,
  ]),
  ['who-can in a namespace or cluster-wide (p95)', `${result.ms.whoCanScopedP95} ms`, `target < ${TARGETS.whoCanMs} ms: ${met.whoCan ? 'met' : 'MISSED'}`],
  [`${N.queries} can queries`, `mean ${result.ms.canMean} ms`, `p95 ${result.ms.canP95} ms`],
  [
    'all escalation paths',
    `${result.ms.allPaths} ms`,
    `target < ${TARGETS.pathsMs} ms: ${met.paths ? 'met' : 'MISSED'} (graph ${result.counts.graphNodes} nodes, ${result.counts.graphEdges} edges)`,
  ],
  ['paths found', `${result.counts.pathsToClusterAdmin} to cluster-admin`, `${result.counts.pathsToAllSecrets} to every Secret`],
  ['PAL-04xx checks (scan)', `${result.ms.subjectChecks} ms`, `${result.counts.checkFindings} findings`],
  ['peak RSS', `${result.peakRssMb} MB`, ''],
];
const widths = [0, 1].map((i) => Math.max(...rowsOut.map((r) => r[i].length)));
process.stdout.write(`${rowsOut.map((r) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2]}`.trimEnd()).join('\n')}\n`);
mkdirSync(dirname(opts.out), { recursive: true });
writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
log(`wrote ${opts.out}`);
if (opts.strict && !(met.build && met.whoCan && met.paths)) process.exit(1);
