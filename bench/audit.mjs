/**
 * Audit benchmark: 1,000,000 generated audit events (JSON lines, both stages of each request
 * as a real log has them) scanned with every built-in rule through the same path as
 * `palisade audit scan`: file read, line split, JSON parse, engine. Reports events/s and peak
 * RSS. The mix follows a busy cluster: controller and kubelet reads at Metadata level, writes of
 * Deployments and Pods with bodies, secret reads, RBAC changes, exec, refusals, and a small
 * share of events that match rules.
 *
 * Runs against the built package (dist/): `npm run build` first. Writes bench-results/audit.json.
 * Usage: node --expose-gc bench/audit.mjs [--events 1000000] [--strict] [--out file]
 */
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AuditEngine } from '../dist/audit-rules/engine.js';
import { builtinAuditRules } from '../dist/audit-rules/index.js';
import { readAuditBatches } from '../dist/audit/read.js';
import { prng } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { values: opts } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    strict: { type: 'boolean', default: false },
    out: { type: 'string', default: join(root, 'bench-results', 'audit.json') },
  },
});
const TARGETS = { eventsPerSecond: 100_000, peakRssMb: 300 };
const total = Number(opts.events);
const log = (m) => process.stderr.write(`${m}\n`);

const rnd = prng(42);
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
const NAMESPACES = Array.from({ length: 200 }, (_, i) => `team-${i}`);
const CONTROLLERS = ['replicaset-controller', 'deployment-controller', 'endpointslice-controller', 'namespace-controller', 'generic-garbage-collector'].map(
  (c) => ({
    username: `system:serviceaccount:kube-system:${c}`,
    groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
  }),
);
const NODES = Array.from({ length: 50 }, (_, i) => ({ username: `system:node:node-${i}`, groups: ['system:nodes', 'system:authenticated'] }));
const USERS = Array.from({ length: 300 }, (_, i) => ({ username: `dev-${i}@example.com`, groups: ['developers', 'system:authenticated'] }));
const ADMIN = { username: 'admin', groups: ['system:masters', 'system:authenticated'] };

function podBody(ns, name, risky) {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      serviceAccountName: 'default',
      ...(risky ? { hostPID: true } : {}),
      containers: [
        {
          name: 'app',
          image: `registry.example.com/${name}:1.2.3`,
          ports: [{ containerPort: 8080 }],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
          securityContext: risky ? { privileged: true } : { runAsNonRoot: true, allowPrivilegeEscalation: false },
        },
      ],
      volumes: risky ? [{ name: 'root', hostPath: { path: '/' } }] : [{ name: 'tmp', emptyDir: {} }],
    },
  };
}

/** One request: [verb, user, objectRef, code, level, requestObject?, responseObject?, uri]. */
function request(i) {
  const r = rnd();
  const ns = pick(NAMESPACES);
  const base = { ns };
  if (r < 0.35)
    return {
      ...base,
      verb: pick(['get', 'list', 'watch']),
      user: pick(NODES),
      ref: { resource: pick(['pods', 'configmaps', 'services', 'nodes']), namespace: ns, apiVersion: 'v1' },
      code: 200,
      level: 'Metadata',
    };
  if (r < 0.6)
    return {
      ...base,
      verb: pick(['update', 'patch', 'get', 'list']),
      user: pick(CONTROLLERS),
      ref: {
        resource: pick(['replicasets', 'deployments', 'endpointslices', 'pods']),
        subresource: rnd() < 0.5 ? 'status' : undefined,
        namespace: ns,
        name: `app-${i % 500}`,
        apiGroup: 'apps',
        apiVersion: 'v1',
      },
      code: rnd() < 0.05 ? 409 : 200,
      level: 'Metadata',
    };
  if (r < 0.8)
    return {
      ...base,
      verb: pick(['get', 'list']),
      user: pick(USERS),
      ref: { resource: pick(['pods', 'deployments', 'services', 'configmaps', 'events']), namespace: ns, apiVersion: 'v1' },
      code: 200,
      level: 'Metadata',
    };
  if (r < 0.9) {
    const name = `web-${i % 1000}`;
    const risky = rnd() < 0.01;
    const body = podBody(ns, name, risky);
    return {
      ...base,
      verb: 'create',
      user: pick(CONTROLLERS),
      ref: { resource: 'pods', namespace: ns, name, apiVersion: 'v1' },
      code: 201,
      level: 'RequestResponse',
      requestObject: body,
      responseObject: body,
    };
  }
  if (r < 0.95)
    return {
      ...base,
      verb: pick(['get', 'list']),
      user: rnd() < 0.8 ? pick(CONTROLLERS) : pick(USERS),
      ref: { resource: 'secrets', namespace: ns, name: rnd() < 0.5 ? `s-${i % 100}` : undefined, apiVersion: 'v1' },
      code: rnd() < 0.1 ? 403 : 200,
      level: 'Metadata',
    };
  if (r < 0.97)
    return {
      ...base,
      verb: 'create',
      user: pick(USERS),
      ref: { resource: 'pods', subresource: 'exec', namespace: ns, name: `web-${i % 1000}`, apiVersion: 'v1' },
      code: 101,
      level: 'Metadata',
      uri: `/api/v1/namespaces/${ns}/pods/web-${i % 1000}/exec?command=sh&container=app&stdin=true`,
    };
  if (r < 0.98) {
    const binding = {
      kind: 'RoleBinding',
      apiVersion: 'rbac.authorization.k8s.io/v1',
      metadata: { name: `rb-${i}`, namespace: ns },
      roleRef: { kind: 'ClusterRole', name: rnd() < 0.1 ? 'cluster-admin' : 'view', apiGroup: 'rbac.authorization.k8s.io' },
      subjects: [{ kind: 'User', name: pick(USERS).username }],
    };
    return {
      ...base,
      verb: 'create',
      user: ADMIN,
      ref: { resource: 'rolebindings', namespace: ns, name: `rb-${i}`, apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1' },
      code: 201,
      level: 'RequestResponse',
      requestObject: binding,
      responseObject: binding,
    };
  }
  return {
    ...base,
    verb: 'get',
    user: { username: 'system:anonymous', groups: ['system:unauthenticated'] },
    ref: undefined,
    code: 403,
    level: 'Metadata',
    uri: pick(['/api', '/apis', '/version', '/metrics']),
  };
}

async function generate(file, events) {
  const out = createWriteStream(file);
  const t0 = Date.parse('2026-12-03T00:00:00Z');
  let written = 0;
  let i = 0;
  let buf = '';
  while (written < events) {
    const q = request(i);
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const ts = new Date(t0 + i * 5).toISOString();
    const uri = q.uri ?? `/api/v1/namespaces/${q.ns}/${q.ref?.resource ?? ''}${q.ref?.name ? `/${q.ref.name}` : ''}`;
    const common = {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: q.level,
      auditID: id,
      requestURI: uri,
      verb: q.verb,
      user: q.user,
      sourceIPs: ['10.0.0.1'],
      userAgent: 'bench/1.0',
      ...(q.ref ? { objectRef: q.ref } : {}),
    };
    buf += `${JSON.stringify({ ...common, stage: 'RequestReceived', requestReceivedTimestamp: ts, stageTimestamp: ts })}\n`;
    written++;
    if (written < events) {
      buf += `${JSON.stringify({ ...common, stage: 'ResponseComplete', responseStatus: { metadata: {}, code: q.code }, ...(q.requestObject ? { requestObject: q.requestObject } : {}), ...(q.responseObject ? { responseObject: q.responseObject } : {}), requestReceivedTimestamp: ts, stageTimestamp: ts, annotations: { 'authorization.k8s.io/decision': q.code === 403 ? 'forbid' : 'allow' } })}\n`;
      written++;
    }
    i++;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
      buf = '';
    }
  }
  out.end(buf);
  await new Promise((r) => out.once('finish', r));
}

const dir = mkdtempSync(join(tmpdir(), 'palisade-bench-audit-'));
const file = join(dir, 'audit.log');
try {
  log(`generating ${total} events...`);
  await generate(file, total);
  const bytes = statSync(file).size;
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const engine = new AuditEngine(builtinAuditRules);
  const bySeverity = {};
  let problems = 0;
  const start = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const onSkip = () => engine.countSkipped();
  for await (const batch of readAuditBatches(file, { maxEventBytes: 4 << 20, onProblem: () => problems++, onSkip })) {
    for (const e of batch) for (const a of engine.process(e)) bySeverity[a.severity] = (bySeverity[a.severity] ?? 0) + 1;
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  // On a shared machine wall time includes waiting for a core; CPU time is what the scan used.
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const eps = Math.round(engine.stats.events / (ms / 1000));
  const result = {
    events: engine.stats.events,
    requests: engine.stats.requests,
    megabytes: Math.round(bytes / 1048576),
    rules: engine.rules.length,
    ms: Math.round(ms),
    eventsPerSecond: eps,
    cpuMs: Math.round(cpuMs),
    eventsPerCpuSecond: Math.round(engine.stats.events / (cpuMs / 1000)),
    loadAverage: (await import('node:os')).loadavg()[0],
    megabytesPerSecond: Math.round((bytes / 1048576 / (ms / 1000)) * 10) / 10,
    alerts: engine.stats.alerts,
    alertsBySeverity: bySeverity,
    problems,
    rssBeforeScanMb: Math.round(rssBefore / 1048576),
    peakRssMb: Math.round(peakRssMb),
    targets: TARGETS,
    met: { eventsPerSecond: eps >= TARGETS.eventsPerSecond, peakRss: peakRssMb < TARGETS.peakRssMb },
  };
  const rows = [
    ['generated log', `${result.events} events (${result.requests} requests), ${result.megabytes} MB`, ''],
    ['rules', `${result.rules} (all built-in, stateful included)`, ''],
    ['scan (read + parse + rules)', `${result.ms} ms`, `${result.megabytesPerSecond} MB/s`],
    ['throughput', `${eps} events/s`, `target >= ${TARGETS.eventsPerSecond}: ${result.met.eventsPerSecond ? 'met' : 'MISSED'}`],
    ['CPU time', `${result.cpuMs} ms`, `${result.eventsPerCpuSecond} events per CPU second (load average ${result.loadAverage.toFixed(1)})`],
    ['alerts', `${result.alerts}`, JSON.stringify(bySeverity)],
    ['peak RSS', `${result.peakRssMb} MB`, `target < ${TARGETS.peakRssMb} MB: ${result.met.peakRss ? 'met' : 'MISSED'}`],
  ];
  const w = [0, 1].map((i) => Math.max(...rows.map((r) => r[i].length)));
  process.stdout.write(`${rows.map((r) => `${r[0].padEnd(w[0])}  ${r[1].padEnd(w[1])}  ${r[2]}`.trimEnd()).join('\n')}\n`);
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
  log(`wrote ${opts.out}`);
  if (opts.strict && !(result.met.eventsPerSecond && result.met.peakRss)) process.exitCode = 1;
} finally {
  if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
  else log(file);
}
