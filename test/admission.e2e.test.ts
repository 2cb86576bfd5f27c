/**
 * End to end, as a cluster runs it: the BUILT CLI serves the webhook over HTTPS on loopback in
 * its own process, and a client that trusts only the generated CA sends AdmissionReviews. The
 * key property: the same manifest gets the same verdict from `palisade scan` and from the
 * webhook in each mode. Also: the install manifests, probes, metrics and the request limits.
 * Needs the openssl binary (the server generates its certificate with it).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { CLI } from './support/cli.js';
import { startFakeApiProcess } from './support/fake-apiserver-process.js';
import { writeKubeconfig } from './support/kubeconfig.js';
import { createTestPki, hasOpenssl } from './support/pki.js';

const run = promisify(execFile);

interface Served {
  readonly child: ChildProcess;
  readonly url: string;
  readonly ca: string;
  readonly logs: string[];
}

/** Starts `palisade admission serve` and waits for its `listening` line. */
async function serve(args: readonly string[], ca?: string): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'admission', 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const logs: string[] = [];
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const listening = await new Promise<{ url: string; caBundle?: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
    lines.on('line', (line) => {
      logs.push(line);
      const event = JSON.parse(line) as { event?: string; url: string; caBundle?: string };
      if (event.event === 'listening') resolve(event);
    });
  });
  const caPem = ca ?? Buffer.from(listening.caBundle ?? '', 'base64').toString('utf8');
  return { child, url: listening.url, ca: caPem, logs };
}

async function stop(s: Served | undefined): Promise<void> {
  if (!s || s.child.exitCode !== null) return;
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await exited;
}

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

function request(
  s: Served,
  method: string,
  path: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
  ca: string | null = s.ca,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${s.url}${path}`, { method, ...(ca !== null ? { ca } : {}), headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => {
        text += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

type Obj = Record<string, unknown>;

function admissionReview(object: Obj, namespace: string | undefined, operation = 'CREATE', oldObject: Obj | null = null): string {
  const kind = String(object.kind);
  const [group, version] = String(object.apiVersion).includes('/') ? String(object.apiVersion).split('/') : ['', String(object.apiVersion)];
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: randomUUID(),
      kind: { group, version, kind },
      resource: { group, version, resource: `${kind.toLowerCase()}s` },
      name: (object.metadata as Obj).name,
      ...(namespace !== undefined ? { namespace } : {}),
      operation,
      userInfo: { username: 'alice', groups: ['system:authenticated'] },
      object,
      oldObject,
      dryRun: false,
      options: null,
    },
  });
}

async function review(s: Served, path: '/validate' | '/mutate', body: string): Promise<Obj> {
  const r = await request(s, 'POST', path, body, { 'Content-Type': 'application/json' });
  assert.equal(r.status, 200, r.body);
  return (JSON.parse(r.body) as { response: Obj }).response;
}

const deployment = (name: string, container: Obj): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, ...container }] } },
  },
});

/** Manifests of every kind the webhook is registered for, from clean to critical. */
const MANIFESTS: Record<string, Obj> = {
  privileged: deployment('agent', { image: 'registry.example/agent:1.2', securityContext: { privileged: true } }),
  plain: deployment('web', { image: 'nginx:1.25.3', ports: [{ containerPort: 80 }] }),
  hardened: {
    ...deployment('api', {
      image: 'registry.example/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      securityContext: {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: 10001,
        runAsGroup: 10001,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
      resources: { requests: { cpu: '100m', memory: '64Mi', 'ephemeral-storage': '10Mi' }, limits: { cpu: '1', memory: '128Mi', 'ephemeral-storage': '50Mi' } },
      livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
      readinessProbe: { httpGet: { path: '/readyz', port: 8080 } },
    }),
  },
  role: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'everything' },
    rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
  },
  nodeport: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'shop' },
    spec: { type: 'NodePort', selector: { app: 'shop' }, ports: [{ port: 80, nodePort: 30080 }] },
  },
  ingress: {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'shop' },
    spec: {
      rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'shop', port: { number: 80 } } } }] } }],
    },
  },
  allowAll: {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'open' },
    spec: { podSelector: {}, ingress: [{}], policyTypes: ['Ingress'] },
  },
};

/** Namespaces and their labels, as `kubectl get ns -o yaml` would list them. */
const NAMESPACES: Record<string, { mode: string; failOn: string }> = {
  'team-enforce': { mode: 'enforce', failOn: 'high' },
  'team-strict': { mode: 'enforce', failOn: 'low' },
  'team-warn': { mode: 'warn', failOn: 'high' },
  'team-audit': { mode: 'audit', failOn: 'high' },
};

interface ScanResult {
  readonly exitCode: number;
  readonly failing: string[];
}

async function scanFile(file: string, failOn: string): Promise<ScanResult> {
  let exitCode = 0;
  let stdout: string;
  try {
    stdout = (await run(process.execPath, [CLI, 'scan', file, '--fail-on', failOn, '-f', 'json', '-q'])).stdout;
  } catch (err) {
    const e = err as { code: number; stdout: string };
    exitCode = e.code;
    stdout = e.stdout;
  }
  const report = JSON.parse(stdout) as { findings: { status: string; check: string; pointer: string }[] };
  return {
    exitCode,
    failing: report.findings
      .filter((f) => f.status === 'fail')
      .map((f) => `${f.check} ${f.pointer}`)
      .sort(),
  };
}

const annotated = (response: Obj): string[] =>
  (JSON.parse(((response.auditAnnotations as Obj | undefined)?.findings as string | undefined) ?? '[]') as { check: string; pointer: string }[])
    .map((f) => `${f.check} ${f.pointer}`)
    .sort();

describe('palisade admission serve (built CLI, HTTPS on loopback)', { skip: hasOpenssl() ? false : 'openssl not installed; skipping' }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'palisade-admission-e2e-'));
  let server: Served | undefined;

  before(async () => {
    const docs = Object.entries(NAMESPACES).map(([name, n]) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name, 'palisade.dev/enforce': n.mode, 'palisade.dev/enforce-severity': n.failOn } },
    }));
    writeFileSync(join(tmp, 'namespaces.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: docs }));
    server = await serve([
      '--namespaces',
      join(tmp, 'namespaces.json'),
      '--default-mode',
      'enforce',
      '--max-body-size',
      '256KB',
      '--exempt-namespace',
      'kube-system',
    ]);
  });
  after(async () => {
    await stop(server);
    rmSync(tmp, { recursive: true, force: true });
  });

  it('gives every manifest the verdict palisade scan gives it, in each mode', async () => {
    const s = server as Served;
    const jobs: (() => Promise<void>)[] = [];
    for (const [label, manifest] of Object.entries(MANIFESTS)) {
      for (const [namespace, policy] of Object.entries(NAMESPACES)) {
        jobs.push(async () => {
          const object = { ...manifest, metadata: { ...(manifest.metadata as Obj), namespace } };
          const file = join(tmp, `${label}.${namespace}.json`);
          writeFileSync(file, JSON.stringify(object));
          const fromScan = await scanFile(file, policy.failOn);
          const response = await review(s, '/validate', admissionReview(object, namespace));
          const what = `${label} in ${namespace} (${policy.mode}, fail-on ${policy.failOn}): scan exit ${fromScan.exitCode}`;
          assert.deepEqual(annotated(response), fromScan.failing, `${what}: the same failing findings`);
          const decision = (response.auditAnnotations as Obj).decision;
          if (policy.mode === 'enforce') {
            assert.equal(response.allowed, fromScan.exitCode === 0, what);
            assert.equal(decision, fromScan.exitCode === 0 ? 'allowed' : 'denied', what);
          } else {
            assert.equal(response.allowed, true, what);
            assert.equal(decision, fromScan.exitCode === 0 ? 'allowed' : 'would-deny', what);
          }
          if (policy.mode === 'audit') assert.equal(response.warnings, undefined, what);
          if (policy.mode === 'warn') assert.equal(((response.warnings as string[] | undefined) ?? []).length > 0, fromScan.failing.length > 0, what);
        });
      }
    }
    // Two scans at a time: the machine is shared.
    for (let i = 0; i < jobs.length; i += 2) await Promise.all(jobs.slice(i, i + 2).map((j) => j()));
    // The set covers both verdicts in enforce mode.
    const outcomes = new Set(s.logs.map((l) => (JSON.parse(l) as { outcome?: string }).outcome));
    assert.ok(outcomes.has('denied') && outcomes.has('warned') && outcomes.has('audited'), [...outcomes].join(','));
  });

  it('denies with the check and field named, as kubectl shows it; cluster-scoped objects take the default mode', async () => {
    const s = server as Served;
    const object = { ...MANIFESTS.privileged, metadata: { name: 'agent', namespace: 'team-enforce' } } as Obj;
    const response = await review(s, '/validate', admissionReview(object, 'team-enforce'));
    assert.equal(response.allowed, false);
    const status = response.status as { code: number; message: string };
    assert.equal(status.code, 403);
    assert.match(
      status.message,
      /denied Deployment team-enforce\/agent: PAL-\d+ pss-privileged at \/spec\/template\/spec\/containers\/0\/securityContext\/privileged/,
    );
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'ops-admin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'ops' }],
    };
    const r = await review(s, '/validate', admissionReview(binding, undefined));
    assert.equal((r.auditAnnotations as Obj).mode, 'enforce');
    // An exempt namespace is admitted unevaluated.
    const exempt = await review(s, '/validate', admissionReview({ ...object, metadata: { name: 'agent', namespace: 'kube-system' } }, 'kube-system'));
    assert.equal(exempt.allowed, true);
    assert.match(String((exempt.auditAnnotations as Obj).exempt), /namespace kube-system is exempt/);
  });

  it('UPDATE with oldObject and /mutate over HTTPS', async () => {
    const s = server as Served;
    const before = { ...MANIFESTS.privileged, metadata: { name: 'agent', namespace: 'team-enforce' } } as Obj;
    const relabelled = { ...before, metadata: { name: 'agent', namespace: 'team-enforce', labels: { tier: 'x' } } };
    const update = await review(s, '/validate', admissionReview(relabelled, 'team-enforce', 'UPDATE', before));
    assert.equal(update.allowed, true, 'what the old object had does not deny an update');
    const plain = { ...MANIFESTS.plain, metadata: { name: 'web', namespace: 'team-warn' } } as Obj;
    const mutated = await review(s, '/mutate', admissionReview(plain, 'team-warn'));
    assert.equal(mutated.patchType, 'JSONPatch');
    const patch = JSON.parse(Buffer.from(String(mutated.patch), 'base64').toString('utf8')) as { op: string; path: string; value: unknown }[];
    // The fix engine's safe fixes: NET_RAW dropped, no privilege escalation; never a "review" fix such as a read-only root filesystem.
    const added = patch.find((op) => op.path === '/spec/template/spec/containers/0/securityContext');
    assert.deepEqual((added?.value as Obj | undefined)?.capabilities, { drop: ['NET_RAW'] });
    assert.ok(!JSON.stringify(patch).includes('readOnlyRootFilesystem'), JSON.stringify(patch));
  });

  it('serves probes and metrics, and refuses what is not a bounded JSON AdmissionReview', async () => {
    const s = server as Served;
    assert.equal((await request(s, 'GET', '/healthz')).status, 200);
    assert.equal((await request(s, 'GET', '/readyz')).status, 200);
    assert.equal((await request(s, 'GET', '/nope')).status, 404);
    assert.equal((await request(s, 'GET', '/validate')).status, 405);
    assert.equal((await request(s, 'POST', '/validate', '{}', { 'Content-Type': 'text/plain' })).status, 415);
    const bad = await request(s, 'POST', '/validate', '{"kind":"AdmissionReview"', { 'Content-Type': 'application/json' });
    assert.equal(bad.status, 400);
    const v1beta1 = await request(s, 'POST', '/validate', JSON.stringify({ apiVersion: 'admission.k8s.io/v1beta1', kind: 'AdmissionReview', request: {} }), {
      'Content-Type': 'application/json',
    });
    assert.equal(v1beta1.status, 400);
    assert.match(v1beta1.body, /admissionReviewVersions/);
    const huge = await request(s, 'POST', '/validate', Buffer.alloc(300 * 1024, 32), { 'Content-Type': 'application/json' });
    assert.equal(huge.status, 413);
    const metrics = (await request(s, 'GET', '/metrics')).body;
    assert.match(metrics, /^palisade_admission_requests_total\{path="validate",code="200"\} \d+$/m);
    assert.match(metrics, /^palisade_admission_requests_total\{path="validate",code="413"\} 1$/m);
    assert.match(metrics, /^palisade_admission_verdicts_total\{path="validate",outcome="denied",mode="enforce",dry_run="false"\} \d+$/m);
    assert.match(metrics, /^palisade_admission_request_duration_seconds_bucket\{path="validate",le="\+Inf"\} \d+$/m);
    assert.match(metrics, /^process_resident_memory_bytes \d+$/m);
    // The request log names requests, never their objects.
    assert.ok(s.logs.length > 10);
    assert.ok(!s.logs.some((l) => l.includes('registry.example/agent')), 'object contents in the log');
  });

  it('trusts only its CA: a client without it is refused', async () => {
    const s = server as Served;
    await assert.rejects(request(s, 'GET', '/healthz', undefined, {}, null), (e: NodeJS.ErrnoException) => /CERT|SIGN/.test(e.code ?? ''));
  });

  it('serves a given --tls-cert/--tls-key pair', async () => {
    const pki = await createTestPki(tmp);
    const own = await serve(['--tls-cert', pki.server.certFile, '--tls-key', pki.server.keyFile, '-q', '--request-timeout', '1s'], pki.ca);
    try {
      assert.equal((await request(own, 'GET', '/healthz')).status, 200);
      // A client that never sends the body it announced is cut at the request timeout.
      const url = new URL(own.url);
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = tls.connect({ host: url.hostname, port: Number(url.port), ca: pki.ca }, () => {
          socket.write('POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
        });
        let text = '';
        socket.on('data', (c: Buffer) => {
          text += c.toString();
        });
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      assert.match(answer, /^HTTP\/1\.1 408 /);
      assert.equal(own.logs.length, 1, 'no CA bundle is generated and no request is logged with -q');
      assert.equal((JSON.parse(own.logs[0] as string) as { caBundle?: string }).caBundle, undefined);
    } finally {
      await stop(own);
    }
  });

  it('fails fast on a bad configuration (exit 2) and an occupied port (exit 3)', async () => {
    writeFileSync(join(tmp, 'bad.yaml'), 'admission:\n  defaultMode: block\n');
    const bad = await run(process.execPath, [CLI, 'admission', 'serve', '-c', join(tmp, 'bad.yaml')]).catch((e: { code: number; stderr: string }) => e);
    assert.equal((bad as { code: number }).code, 2);
    assert.match((bad as { stderr: string }).stderr, /admission\.defaultMode: must be one of enforce, warn, audit/);
    const port = new URL((server as Served).url).port;
    const busy = await run(process.execPath, [CLI, 'admission', 'serve', '--port', port, '-q']).catch((e: { code: number; stderr: string }) => e);
    assert.equal((busy as { code: number }).code, 3);
    assert.match((busy as { stderr: string }).stderr, /already in use/);
  });
});

describe('palisade admission manifests (built CLI)', { skip: hasOpenssl() ? false : 'openssl not installed; skipping' }, () => {
  it('prints installable objects with the generated CA, keeps the key in a 0600 file, and passes its own checks', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'palisade-manifests-'));
    try {
      const dir = join(tmp, 'certs');
      const { stdout, stderr } = await run(process.execPath, [CLI, 'admission', 'manifests', '--generate-certs', dir, '--mutating', '--namespace', 'sec']);
      const docs = parseAllDocuments(stdout).map((d) => d.toJSON() as Obj);
      assert.deepEqual(
        docs.map((d) => d.kind),
        [
          'ServiceAccount',
          'ClusterRole',
          'ClusterRoleBinding',
          'Deployment',
          'PodDisruptionBudget',
          'Service',
          'NetworkPolicy',
          'ValidatingWebhookConfiguration',
          'MutatingWebhookConfiguration',
        ],
      );
      const ca = readFileSync(join(dir, 'ca.crt'), 'utf8');
      const vwc = docs[7] as { webhooks: { clientConfig: { caBundle: string; service: Obj }; failurePolicy: string; sideEffects: string }[] };
      assert.equal(vwc.webhooks[0]?.clientConfig.caBundle, Buffer.from(ca).toString('base64'));
      assert.deepEqual(vwc.webhooks[0]?.clientConfig.service, { name: 'palisade-admission', namespace: 'sec', path: '/validate', port: 443 });
      assert.equal(vwc.webhooks[0]?.failurePolicy, 'Fail');
      assert.equal(vwc.webhooks[0]?.sideEffects, 'None');
      assert.equal(statSync(join(dir, 'tls.key')).mode & 0o777, 0o600);
      assert.ok(!stdout.includes('PRIVATE KEY') && !stderr.includes('PRIVATE KEY'), 'the key is never printed');
      assert.match(stderr, /kubectl -n sec create secret tls palisade-admission-tls/);
      // The certificate is for the Service's DNS names.
      const text = (await run('openssl', ['x509', '-in', join(dir, 'tls.crt'), '-noout', '-ext', 'subjectAltName'])).stdout;
      assert.match(text, /DNS:palisade-admission\.sec\.svc, DNS:palisade-admission\.sec\.svc\.cluster\.local/);
      // What we ask users to install passes palisade's own checks (info findings aside).
      writeFileSync(join(tmp, 'install.yaml'), stdout);
      const scan = await scanFile(join(tmp, 'install.yaml'), 'low');
      assert.equal(scan.exitCode, 0, scan.failing.join('\n'));
      const missing = await run(process.execPath, [CLI, 'admission', 'manifests']).catch((e: { code: number; stderr: string }) => e);
      assert.equal((missing as { code: number }).code, 2);
      assert.match((missing as { stderr: string }).stderr, /--ca-bundle FILE .* --cert-manager, or --generate-certs DIR/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('palisade admission serve --cluster (namespace labels from the API server)', {
  skip: hasOpenssl() ? false : 'openssl not installed; skipping',
}, () => {
  it('reads the labels of listed namespaces, fetches a namespace created after the list, and fails fast when namespaces are forbidden', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'palisade-admission-cluster-'));
    const ns = (name: string, labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, uid: randomUUID(), labels } });
    const api = await startFakeApiProcess({
      objects: [ns('team-a', { 'palisade.dev/enforce': 'enforce' }), ns('team-b', {})],
      tokens: { 'webhook-token': 'webhook', 'blind-token': 'blind' },
      access: [{ allow: false, user: 'blind', resource: 'namespaces' }],
    });
    let s: Served | undefined;
    try {
      const kubeconfig = writeKubeconfig(join(tmp, 'kubeconfig'), [
        { name: 'test', server: api.url, token: 'webhook-token' },
        { name: 'blind', server: api.url, token: 'blind-token' },
      ]);
      s = await serve(['--kubeconfig', kubeconfig, '--default-mode', 'warn', '--namespace-resync', '1h']);
      assert.equal((await request(s, 'GET', '/readyz')).status, 200);
      const agent = (namespace: string) => ({ ...MANIFESTS.privileged, metadata: { name: 'agent', namespace } }) as Obj;
      const a = await review(s, '/validate', admissionReview(agent('team-a'), 'team-a'));
      assert.equal(a.allowed, false, 'team-a is labelled enforce');
      const b = await review(s, '/validate', admissionReview(agent('team-b'), 'team-b'));
      assert.equal(b.allowed, true, 'team-b has no label: the default mode, warn');
      assert.equal((b.auditAnnotations as Obj).mode, 'warn');
      // Not listed at start: fetched on first use (404 here), then the default mode.
      const c = await review(s, '/validate', admissionReview(agent('team-c'), 'team-c'));
      assert.equal((c.auditAnnotations as Obj).mode, 'warn');
      const paths = (await api.requests()).map((r) => r.path.split('?')[0]);
      assert.ok(paths.includes('/api/v1/namespaces'), paths.join(' '));
      assert.ok(paths.includes('/api/v1/namespaces/team-c'), paths.join(' '));
      assert.ok(!paths.includes('/api/v1/namespaces/team-a'), 'listed namespaces are served from the cache');
      const blind = await run(process.execPath, [CLI, 'admission', 'serve', '--port', '0', '--kubeconfig', kubeconfig, '--context', 'blind']).catch(
        (e: { code: number; stderr: string }) => e,
      );
      assert.equal((blind as { code: number }).code, 3);
      assert.match((blind as { stderr: string }).stderr, /cannot list namespaces: .*forbidden \(403\)/);
    } finally {
      await stop(s);
      await api.close();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
