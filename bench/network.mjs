/**
 * Network benchmark: a generated cluster of 5,000 workloads in 200 namespaces with 1,000
 * NetworkPolicies (default denies, tier-to-tier rules, cross-namespace rules by namespace
 * label, named ports, ipBlocks with exceptions). Measures the time to build the network model
 * and the full matrix (every allowed workload/external pair, counted through the equivalence
 * classes, and expanded to rows), the network checks inside a scan, and peak RSS.
 *
 * Runs against the built package (dist/): `npm run build` first. Writes bench-results/network.json.
 * Usage: node --expose-gc bench/network.mjs [--namespaces 200] [--workloads 5000] [--policies 1000]
 *          [--admin 0] [--runs 3] [--strict] [--out file]
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
import { prng } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { values: opts } = parseArgs({
  options: {
    namespaces: { type: 'string', default: '200' },
    workloads: { type: 'string', default: '5000' },
    policies: { type: 'string', default: '1000' },
    admin: { type: 'string', default: '0' },
    runs: { type: 'string', default: '3' },
    strict: { type: 'boolean', default: false },
    out: { type: 'string', default: join(root, 'bench-results', 'network.json') },
  },
});

/** Target from the issue: the full matrix under 5 s. */
const TARGETS = { matrixMs: 5000 };
const N = { namespaces: Number(opts.namespaces), workloads: Number(opts.workloads), policies: Number(opts.policies), admin: Number(opts.admin) };
const runs = Math.max(1, Number(opts.runs));
const gc = () => globalThis.gc?.();
const log = (msg) => process.stderr.write(`${msg}\n`);

const TIERS = ['frontend', 'backend', 'db', 'cache', 'worker'];
const ENVS = ['prod', 'staging', 'dev'];

function generate() {
  const rand = prng(42);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const objects = [];
  const nsNames = Array.from({ length: N.namespaces }, (_, i) => `team-${i}`);
  for (const [i, ns] of nsNames.entries())
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { env: ENVS[i % ENVS.length], team: `t${i % 40}` } } });
  for (let i = 0; i < N.workloads; i++) {
    const ns = nsNames[i % N.namespaces];
    const tier = pick(TIERS);
    const ports =
      tier === 'db'
        ? [{ name: 'sql', containerPort: 5432 }]
        : tier === 'cache'
          ? [{ name: 'redis', containerPort: 6379 }]
          : [
              { name: 'http', containerPort: 8080 },
              { name: 'metrics', containerPort: 9090 },
            ];
    objects.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `app-${i}`, namespace: ns },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: `app-${i}` } },
        template: {
          metadata: { labels: { app: `app-${i}`, tier, version: `v${i % 3}` } },
          spec: { containers: [{ name: 'main', image: `registry.example.com/app-${i}:1.0`, ports }] },
        },
      },
    });
  }
  for (let i = 0; i < N.policies; i++) {
    const ns = nsNames[i % N.namespaces];
    const kind = Math.floor(i / N.namespaces) % 5;
    const spec =
      kind === 0
        ? { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }
        : kind === 1
          ? {
              podSelector: { matchLabels: { tier: 'db' } },
              ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'backend' } } }], ports: [{ port: 'sql' }] }],
            }
          : kind === 2
            ? {
                podSelector: { matchLabels: { tier: 'frontend' } },
                ingress: [
                  {
                    from: [{ namespaceSelector: { matchLabels: { env: pick(ENVS) } }, podSelector: { matchLabels: { tier: 'frontend' } } }],
                    ports: [{ port: 'http' }],
                  },
                  { from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', `192.168.${i % 256}.0/24`] } }], ports: [{ port: 8080 }] },
                ],
              }
            : kind === 3
              ? {
                  podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend', 'worker'] }] },
                  policyTypes: ['Egress'],
                  egress: [
                    { to: [{ podSelector: { matchLabels: { tier: 'db' } } }, { podSelector: { matchLabels: { tier: 'cache' } } }] },
                    { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ port: 53, protocol: 'UDP' }] },
                    { to: [{ ipBlock: { cidr: `172.${16 + (i % 16)}.0.0/16` } }], ports: [{ port: 443, endPort: 8443 }] },
                  ],
                }
              : {
                  podSelector: {},
                  ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: `t${i % 40}` } } }], ports: [{ port: 'metrics' }] }],
                };
    objects.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `np-${i}`, namespace: ns }, spec });
  }
  // Admin tiers (--admin N): N AdminNetworkPolicies over every namespace, and a baseline.
  for (let i = 0; i < N.admin; i++)
    objects.push({
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      kind: 'AdminNetworkPolicy',
      metadata: { name: `anp-${i}` },
      spec: {
        priority: i,
        subject: { namespaces: { matchLabels: { env: ENVS[i % ENVS.length] } } },
        ingress: [
          {
            name: 'monitoring',
            action: 'Allow',
            from: [{ namespaces: { matchLabels: { team: `t${i % 40}` } } }],
            ports: [{ portNumber: { protocol: 'TCP', port: 9090 } }],
          },
          { name: 'pass-same-env', action: 'Pass', from: [{ namespaces: { matchLabels: { env: ENVS[i % ENVS.length] } } }] },
          { name: 'deny-dev', action: 'Deny', from: [{ namespaces: { matchLabels: { env: 'dev' } } }] },
        ],
        egress: [{ name: 'deny-metadata', action: 'Deny', to: [{ networks: ['169.254.169.254/32'] }] }],
      },
    });
  if (N.admin > 0)
    objects.push({
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      kind: 'BaselineAdminNetworkPolicy',
      metadata: { name: 'default' },
      spec: {
        subject: { namespaces: {} },
        ingress: [{ name: 'deny-cross-team', action: 'Deny', from: [{ namespaces: { matchLabels: { env: 'staging' } } }] }],
      },
    });
  return objects;
}

const time = (f) => {
  const t = performance.now();
  const value = f();
  return { ms: performance.now() - t, value };
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x) => Math.round(x * 10) / 10;

log(`network bench: ${N.workloads} workloads, ${N.namespaces} namespaces, ${N.policies} policies, ${runs} runs`);
const objects = generate();
const inventory = new Inventory();
for (const object of objects) inventory.add({ object });

const builds = [];
const matrices = [];
const expansions = [];
let last;
for (let r = 0; r < runs; r++) {
  gc();
  const b = time(() => buildNetworkModel(inventory));
  builds.push(b.ms);
  const m = time(() => b.value.matrix());
  matrices.push(m.ms);
  // Expanding to one row per pair is what `matrix -f csv/json` writes; count them here.
  const e = time(() => {
    let n = 0;
    for (const _ of m.value.connections()) n++;
    return n;
  });
  expansions.push(e.ms);
  last = { model: b.value, matrix: m.value, rows: e.value };
  log(`  run ${r + 1}: build ${round(b.ms)} ms, matrix ${round(m.ms)} ms (${m.value.classCount} classes, ${m.value.pairCount} pairs), rows ${round(e.ms)} ms`);
}
const networkChecks = builtinChecks.filter((c) => c.uses?.includes('network'));
gc();
const scan = time(() => runChecks(inventory, { checks: networkChecks, models: builtinModels }));
const rssMb = process.resourceUsage().maxRSS / 1024;

const result = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  totalMemGb: round(totalmem() / 2 ** 30),
  size: { ...N, externals: last.model.externals.length },
  classes: last.matrix.classCount,
  pairs: last.matrix.pairCount,
  rows: last.rows,
  buildMs: round(median(builds)),
  matrixMs: round(median(matrices)),
  rowsMs: round(median(expansions)),
  checksMs: round(scan.ms),
  checkFindings: scan.value.findings.length,
  peakRssMb: round(rssMb),
  targets: TARGETS,
};
mkdirSync(dirname(opts.out), { recursive: true });
writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
log(
  `network: build ${result.buildMs} ms, full matrix ${result.matrixMs} ms (+ ${result.rowsMs} ms to expand ${result.rows} rows), ` +
    `${result.classes} classes, checks ${result.checksMs} ms, peak RSS ${result.peakRssMb} MB -> ${opts.out}`,
);
const missed = result.buildMs + result.matrixMs > TARGETS.matrixMs;
if (missed) log(`network: target missed: model + matrix ${round(result.buildMs + result.matrixMs)} ms > ${TARGETS.matrixMs} ms`);
if (opts.strict && missed) process.exitCode = 1;
