/**
 * Attack-path benchmark: a generated cluster of 30,000 pods (Deployments of one replica) in 300
 * namespaces, with exposed frontends (LoadBalancer Services and Ingresses), a service account
 * per tier, per-namespace RBAC (pods/exec for the backend, Secret readers, pod creators), a few
 * cluster-wide bindings that escalate, privileged and host-mounting agents, and default-deny
 * NetworkPolicies in a third of the namespaces. Measures the RBAC and network models, the attack
 * graph (all sinks searched), every path, choke points, the PAL-07xx checks, and peak RSS.
 *
 * Runs against the built package (dist/): `npm run build` first. Writes bench-results/paths.json.
 * Usage: node --expose-gc bench/paths.mjs [--namespaces 300] [--pods 30000] [--strict] [--out file]
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
import { buildNetworkModel } from '../dist/network/model.js';
import { buildAttackGraph } from '../dist/paths/graph.js';
import { topRisksOf } from '../dist/paths/risks.js';
import { buildRbacModel } from '../dist/rbac/model.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { values: opts } = parseArgs({
  options: {
    namespaces: { type: 'string', default: '300' },
    pods: { type: 'string', default: '30000' },
    strict: { type: 'boolean', default: false },
    out: { type: 'string', default: join(root, 'bench-results', 'paths.json') },
  },
});

/** Targets from the issue: graph and all paths for 30,000 pods under 10 s and 1 GB. */
const TARGETS = { totalMs: 10000, rssMb: 1024 };
const N = { namespaces: Number(opts.namespaces), pods: Number(opts.pods) };
const gc = () => globalThis.gc?.();
const log = (msg) => process.stderr.write(`${msg}\n`);
const TIERS = ['frontend', 'backend', 'worker', 'db'];

function generate() {
  const objects = [];
  const rbac = 'rbac.authorization.k8s.io';
  for (let n = 0; n < N.namespaces; n++) {
    const ns = `team-${n}`;
    objects.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns, labels: n % 4 === 0 ? { 'pod-security.kubernetes.io/enforce': 'baseline' } : {} },
    });
    for (const tier of TIERS) objects.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: tier, namespace: ns } });
    objects.push({
      apiVersion: `${rbac}/v1`,
      kind: 'Role',
      metadata: { name: 'debug', namespace: ns },
      rules: [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }],
    });
    objects.push({
      apiVersion: `${rbac}/v1`,
      kind: 'RoleBinding',
      metadata: { name: 'backend-debug', namespace: ns },
      roleRef: { apiGroup: rbac, kind: 'Role', name: 'debug' },
      subjects: [{ kind: 'ServiceAccount', name: 'backend', namespace: ns }],
    });
    // Workers of namespace n read the Secrets of namespace n+1; some create pods.
    const next = `team-${(n + 1) % N.namespaces}`;
    objects.push({
      apiVersion: `${rbac}/v1`,
      kind: 'Role',
      metadata: { name: 'secret-reader', namespace: next },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }],
    });
    objects.push({
      apiVersion: `${rbac}/v1`,
      kind: 'RoleBinding',
      metadata: { name: `reader-from-${ns}`, namespace: next },
      roleRef: { apiGroup: rbac, kind: 'Role', name: 'secret-reader' },
      subjects: [
        { kind: 'ServiceAccount', name: 'worker', namespace: ns },
        { kind: 'Group', name: `team-${n}-devs` },
      ],
    });
    if (n % 3 === 0) {
      objects.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'default-deny', namespace: ns },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      });
    }
    objects.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'frontend', namespace: ns },
      spec: { type: 'LoadBalancer', selector: { tier: 'frontend' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    objects.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace: ns },
      spec: {
        rules: [
          { host: `${ns}.example.com`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'frontend', port: { number: 80 } } } }] } },
        ],
      },
    });
  }
  for (let i = 0; i < 10; i++)
    objects.push({
      apiVersion: `${rbac}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: { name: `escalate-${i}` },
      roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: i % 2 === 0 ? 'edit' : 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'worker', namespace: `team-${i * 7}` }],
    });
  const perNs = Math.ceil(N.pods / N.namespaces);
  for (let i = 0; i < N.pods; i++) {
    const ns = `team-${Math.floor(i / perNs) % N.namespaces}`;
    const tier = TIERS[i % TIERS.length];
    const agent = i % 50 === 0;
    objects.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `app-${i}`, namespace: ns },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: `app-${i}` } },
        template: {
          metadata: { labels: { app: `app-${i}`, tier } },
          spec: {
            serviceAccountName: tier,
            ...(agent ? { volumes: [{ name: 'host', hostPath: { path: i % 100 === 0 ? '/var/run/docker.sock' : '/var/log' } }] } : {}),
            containers: [
              {
                name: 'main',
                image: `registry.example.com/app-${i}:1.0`,
                ports: [{ name: 'http', containerPort: 8080 }],
                ...(agent ? { securityContext: { privileged: i % 150 === 0 }, volumeMounts: [{ name: 'host', mountPath: '/host' }] } : {}),
              },
            ],
          },
        },
      },
    });
  }
  return objects;
}

const time = (f) => {
  const t = performance.now();
  const value = f();
  return { ms: performance.now() - t, value };
};
const round = (x) => Math.round(x * 10) / 10;

log(`paths bench: ${N.pods} pods, ${N.namespaces} namespaces`);
const inventory = new Inventory();
for (const object of generate()) inventory.add({ object });
gc();
const rbac = time(() => buildRbacModel(inventory));
const network = time(() => buildNetworkModel(inventory));
const graph = time(() => buildAttackGraph(inventory, rbac.value, network.value));
const paths = time(() => graph.value.paths());
const chokes = time(() => graph.value.chokePoints(paths.value, 10));
// What every scan report adds on top of the graph the PAL-07xx checks build: its Top risks.
const top = time(() => topRisksOf(graph.value, [], 5));
const totalMs = rbac.ms + network.ms + graph.ms + paths.ms;
const pathChecks = builtinChecks.filter((c) => c.uses?.includes('paths'));
gc();
const scan = time(() => runChecks(inventory, { checks: pathChecks, models: builtinModels }));
const rssMb = process.resourceUsage().maxRSS / 1024;
const size = graph.value.size();

const result = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  totalMemGb: round(totalmem() / 2 ** 30),
  size: { ...N, vertices: size.vertices, edges: size.edges },
  rbacMs: round(rbac.ms),
  networkMs: round(network.ms),
  graphMs: round(graph.ms),
  pathsMs: round(paths.ms),
  paths: paths.value.length,
  chokePointsMs: round(chokes.ms),
  topRisksMs: round(top.ms),
  totalMs: round(totalMs),
  checksMs: round(scan.ms),
  checkFindings: scan.value.findings.filter((f) => f.status === 'fail').length,
  peakRssMb: round(rssMb),
  targets: TARGETS,
};
mkdirSync(dirname(opts.out), { recursive: true });
writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
log(
  `paths: rbac ${result.rbacMs} ms, network ${result.networkMs} ms, graph ${result.graphMs} ms (${size.vertices} vertices, ${size.edges} edges), ` +
    `all ${result.paths} paths ${result.pathsMs} ms, top risks ${result.topRisksMs} ms, total ${result.totalMs} ms; checks in a scan ${result.checksMs} ms; peak RSS ${result.peakRssMb} MB -> ${opts.out}`,
);
const missed = result.totalMs > TARGETS.totalMs || result.peakRssMb > TARGETS.rssMb;
if (missed) log(`paths: target missed (${TARGETS.totalMs} ms, ${TARGETS.rssMb} MB)`);
if (opts.strict && missed) process.exitCode = 1;
