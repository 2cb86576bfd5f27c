/**
 * Admission webhook load benchmark: the built CLI serves `palisade admission serve` on loopback
 * (its own process, a generated certificate, request log on, as deployed), and an open-loop
 * load generator in this process sends AdmissionReview CREATEs of realistic Deployments at a
 * fixed rate (default 500/s for 30 s) over keep-alive HTTPS. Open loop: requests leave on
 * schedule whether or not earlier ones were answered, and latency is counted from the
 * scheduled time, so a stalled server shows in the figures instead of slowing the load.
 *
 * The Deployments are made from an AdmissionReview in the shape a kube-apiserver sends
 * (src/admission/fixtures/create-deployment.json: managedFields and defaults included)
 * with 1-3 containers each, hardened, typical or careless security contexts, env, resources and
 * probes, so that verdicts vary (allowed, warned, denied) as in a cluster.
 *
 * Targets (issue 14): p99 under 5 ms, no errors, RSS flat over the run.
 * Usage: node --expose-gc bench/admission.mjs [--rate 500] [--seconds 30] [--warmup 3] [--strict] [--out file]
 * Writes bench-results/admission.json.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { prng } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { values: opts } = parseArgs({
  options: {
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '3' },
    variants: { type: 'string', default: '200' },
    strict: { type: 'boolean', default: false },
    out: { type: 'string', default: join(root, 'bench-results', 'admission.json') },
  },
});
const RATE = Number(opts.rate);
const SECONDS = Number(opts.seconds);
const WARMUP = Number(opts.warmup);
const TARGETS = { p99Ms: 5, errors: 0, rssGrowthMb: 20 };
const log = (msg) => process.stderr.write(`${msg}\n`);

/* ----------------------------------------------------------------------------- requests */

const recorded = JSON.parse(readFileSync(join(root, 'src/admission/fixtures/create-deployment.json'), 'utf8'));

function container(rand, i, name) {
  const style = rand();
  const c = {
    name: i === 0 ? name : `${name}-side${i}`,
    image: style < 0.2 ? `registry.example/${name}:latest` : `registry.example/${name}:1.${Math.floor(rand() * 30)}.${Math.floor(rand() * 10)}`,
    ports: [{ containerPort: 8080 + i, protocol: 'TCP' }],
    env: Array.from({ length: 2 + Math.floor(rand() * 6) }, (_, k) => ({ name: `SETTING_${k}`, value: `value-${Math.floor(rand() * 1000)}` })),
    resources: style < 0.5 ? {} : { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  };
  if (style >= 0.7)
    c.securityContext = {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 10001,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    };
  else if (style < 0.1) c.securityContext = { privileged: true };
  else if (style < 0.2) c.securityContext = { runAsUser: 0, capabilities: { add: ['NET_ADMIN', 'SYS_TIME'] } };
  if (rand() < 0.6) {
    c.readinessProbe = {
      httpGet: { path: '/readyz', port: 8080 + i, scheme: 'HTTP' },
      periodSeconds: 10,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    };
    c.livenessProbe = {
      httpGet: { path: '/healthz', port: 8080 + i, scheme: 'HTTP' },
      periodSeconds: 10,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    };
  }
  return c;
}

/** `n` AdmissionReview bodies (uids are replaced per send). */
function bodies(n) {
  const rand = prng(14);
  const out = [];
  for (let i = 0; i < n; i++) {
    const review = structuredClone(recorded);
    const name = `svc-${i}`;
    const object = review.request.object;
    object.metadata.name = name;
    object.metadata.labels = { app: name, team: `team-${i % 7}` };
    object.spec.selector.matchLabels = { app: name };
    object.spec.replicas = 1 + Math.floor(rand() * 4);
    object.spec.template.metadata.labels = { app: name, team: `team-${i % 7}` };
    object.spec.template.spec.containers = Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, k) => container(rand, k, name));
    review.request.name = name;
    review.request.uid = 'UID';
    out.push(JSON.stringify(review));
  }
  return out;
}

/* ----------------------------------------------------------------------------- server */

async function startServer() {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_SERVER_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_SERVER_PROF] : []),
      join(root, 'dist/cli/main.js'),
      'admission',
      'serve',
      '--port',
      '0',
      '--default-mode',
      'enforce',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (c) => {
    stderr += c.toString();
  });
  const lines = createInterface({ input: child.stdout });
  const listening = await new Promise((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`server exited ${code}: ${stderr}`)));
    lines.on('line', (line) => {
      const e = JSON.parse(line);
      if (e.event === 'listening') ok(e);
    });
  });
  // The request log is read and dropped, as a log collector would.
  lines.removeAllListeners('line');
  lines.on('line', () => {});
  return { child, url: listening.url, ca: Buffer.from(listening.caBundle, 'base64').toString('utf8') };
}

/* ----------------------------------------------------------------------------- load */

function post(agent, server, body) {
  return new Promise((ok) => {
    const req = https.request(
      `${server.url}/validate`,
      { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => ok({ status: res.statusCode, text }));
      },
    );
    req.on('error', (err) => ok({ status: 0, text: String(err.code ?? err.message) }));
    req.end(body);
  });
}

async function metric(agent, server, name) {
  const r = await new Promise((ok, fail) => {
    https
      .get(`${server.url}/metrics`, { agent }, (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => ok(text));
      })
      .on('error', fail);
  });
  const m = new RegExp(`^${name} ([\\d.e+-]+)$`, 'm').exec(r);
  return m ? Number(m[1]) : Number.NaN;
}

/** Sends `rate` requests per second for `seconds`, open loop; resolves with every latency (ms) and error. */
async function load(agent, server, payloads, rate, seconds, onSecond) {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies = [];
  const errors = [];
  const verdicts = { allowed: 0, denied: 0 };
  const start = performance.now();
  let sent = 0;
  const inflight = new Set();
  let lastSecond = 0;
  await new Promise((done) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor((now - start) / interval) + 1);
      while (sent < due) {
        const scheduled = start + sent * interval;
        const template = payloads[sent % payloads.length];
        const uid = randomUUID();
        const p = post(agent, server, template.replace('"uid":"UID"', `"uid":"${uid}"`)).then((r) => {
          const ms = performance.now() - scheduled;
          inflight.delete(p);
          if (r.status !== 200) errors.push(`HTTP ${r.status} ${r.text.slice(0, 80)}`);
          else {
            const response = JSON.parse(r.text).response;
            if (response.uid !== uid) errors.push('uid mismatch');
            else {
              latencies.push(ms);
              verdicts[response.allowed ? 'allowed' : 'denied']++;
            }
          }
        });
        inflight.add(p);
        sent++;
      }
      const second = Math.floor((now - start) / 1000);
      if (second > lastSecond) {
        lastSecond = second;
        onSecond?.(second);
      }
      if (sent < total) setTimeout(tick, Math.max(0, Math.min(interval, start + sent * interval - performance.now())));
      else Promise.all(inflight).then(done);
    };
    tick();
  });
  const wall = (performance.now() - start) / 1000;
  return { latencies, errors, verdicts, sent, wall };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/* ----------------------------------------------------------------------------- main */

const loadStart = loadavg();
const payloads = bodies(Number(opts.variants));
const meanKb = payloads.reduce((n, b) => n + b.length, 0) / payloads.length / 1024;
log(`admission bench: ${RATE} requests/s for ${SECONDS} s (${WARMUP} s warm-up), ${payloads.length} Deployments, ${meanKb.toFixed(1)} KB per review`);
const server = await startServer();
const agent = new https.Agent({ keepAlive: true, maxSockets: 64, ca: server.ca });
let exitCode = 0;
try {
  if (WARMUP > 0) await load(agent, server, payloads, RATE, WARMUP);
  globalThis.gc?.();
  const rssStart = await metric(agent, server, 'process_resident_memory_bytes');
  const cpuStart = await metric(agent, server, 'process_cpu_seconds_total');
  const rssSamples = [rssStart];
  const run = await load(agent, server, payloads, RATE, SECONDS, (second) => {
    if (second % 5 === 0) metric(agent, server, 'process_resident_memory_bytes').then((v) => rssSamples.push(v));
  });
  const rssEnd = await metric(agent, server, 'process_resident_memory_bytes');
  const cpuEnd = await metric(agent, server, 'process_cpu_seconds_total');
  rssSamples.push(rssEnd);
  const sorted = [...run.latencies].sort((a, b) => a - b);
  const mb = (b) => Math.round((b / 1024 / 1024) * 10) / 10;
  const round = (v) => Math.round(v * 100) / 100;
  const result = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model,
      memoryGb: Math.round(totalmem() / 1024 ** 3),
      loadStart: loadStart.map((l) => round(l)),
      loadEnd: loadavg().map((l) => round(l)),
    },
    node: process.version,
    rate: RATE,
    seconds: SECONDS,
    sent: run.sent,
    achievedRate: Math.round(run.sent / run.wall),
    answered: run.latencies.length,
    errors: run.errors.length,
    errorSamples: [...new Set(run.errors)].slice(0, 5),
    verdicts: run.verdicts,
    latencyMs: {
      p50: round(percentile(sorted, 50)),
      p90: round(percentile(sorted, 90)),
      p99: round(percentile(sorted, 99)),
      p999: round(percentile(sorted, 99.9)),
      max: round(sorted[sorted.length - 1] ?? Number.NaN),
    },
    // CPU the server spent per answered request: what the machine's load does not change much.
    serverCpuMsPerRequest: round(((cpuEnd - cpuStart) * 1000) / Math.max(1, run.latencies.length)),
    rssMb: { start: mb(rssStart), end: mb(rssEnd), max: mb(Math.max(...rssSamples)), samples: rssSamples.map(mb) },
    reviewKb: round(meanKb),
    targets: TARGETS,
  };
  const missed = [];
  if (!(result.latencyMs.p99 < TARGETS.p99Ms)) missed.push(`p99 ${result.latencyMs.p99} ms >= ${TARGETS.p99Ms} ms`);
  if (result.errors > TARGETS.errors) missed.push(`${result.errors} errors`);
  if (result.rssMb.end - result.rssMb.start > TARGETS.rssGrowthMb) missed.push(`RSS grew ${round(result.rssMb.end - result.rssMb.start)} MB`);
  result.missed = missed;
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    '\n| rate/s | sent | errors | allowed | denied | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | server CPU ms/request | RSS start MB | RSS end MB | RSS max MB |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const l = result.latencyMs;
  console.log(
    `| ${result.achievedRate} | ${result.sent} | ${result.errors} | ${result.verdicts.allowed} | ${result.verdicts.denied} | ${l.p50} | ${l.p90} | ${l.p99} | ${l.p999} | ${l.max} | ${result.serverCpuMsPerRequest} | ${result.rssMb.start} | ${result.rssMb.end} | ${result.rssMb.max} |`,
  );
  log(
    `machine load (1, 5, 15 min) at start ${result.machine.loadStart.join(', ')}, at end ${result.machine.loadEnd.join(', ')} on ${result.machine.cpus} CPUs`,
  );
  console.log(missed.length === 0 ? '\nadmission: all targets met' : `\nadmission: targets missed: ${missed.join('; ')}`);
  if (missed.length > 0 && opts.strict) exitCode = 1;
  log(`wrote ${opts.out}`);
} finally {
  agent.destroy();
  server.child.kill('SIGTERM');
}
process.exitCode = exitCode;
