/**
 * End-to-end: `palisade network` (the built CLI, dist/cli/main.js) on a manifest tree, on a live
 * cluster (the fake API server over HTTPS in its own process) and on a snapshot of it: verdicts,
 * exit codes, the documented JSON of `matrix -f json`, the other formats, and exposure paths.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLI } from './support/cli.js';
import { runBuiltCli } from './support/cluster-cli.js';
import { type FakeApiProcess, startFakeApiProcess } from './support/fake-apiserver-process.js';
import { writeKubeconfig } from './support/kubeconfig.js';
import { hasOpenssl } from './support/pki.js';

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const APP = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: pg, image: postgres:16, ports: [{name: pg, containerPort: 5432}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-from-web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: pg}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-egress, namespace: shop}
spec: {podSelector: {matchLabels: {app: db}}, policyTypes: [Egress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-policy, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress, Egress]
  ingress: [{from: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}], ports: [{port: http}]}]
  egress: [{to: [{podSelector: {matchLabels: {app: db}}}], ports: [{port: 5432}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  rules: [{host: shop.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
`;

describe('palisade network on manifests', () => {
  const d = mkdtempSync(join(tmpdir(), 'palisade-network-'));
  writeFileSync(join(d, 'app.yaml'), APP);

  it('reach: allowed with exit 0 and the deciding policies; denied with exit 1', () => {
    const yes = run(['network', 'reach', 'shop/web', 'shop/db', '--port', '5432', d]);
    assert.equal(yes.code, 0, yes.stderr);
    assert.match(yes.stdout, /^allowed: shop\/web\[Deployment\] -> shop\/db\[StatefulSet\] on 5432\/TCP\n/);
    assert.match(yes.stdout, /allows TCP 5432: NetworkPolicy shop\/db-from-web ingress\[0\]/);
    assert.match(yes.stdout, /allows TCP 5432: NetworkPolicy shop\/web-policy egress\[0\]/);
    const no = run(['network', 'reach', 'shop/db', 'shop/web', '--port', '8080', d]);
    assert.equal(no.code, 1, no.stderr);
    assert.match(no.stdout, /^denied: shop\/db\[StatefulSet\] -> shop\/web\[Deployment\] on 8080\/TCP/);
    assert.match(no.stdout, /isolated by NetworkPolicy shop\/db-egress/);
    const ext = run(['network', 'reach', '10.1.2.3', 'shop/web', '--port', '8080', '-f', 'json', d]);
    assert.equal(ext.code, 1);
    const json = JSON.parse(ext.stdout);
    assert.deepEqual(json.src, { ipRange: '10.0.0.0-10.255.255.255' });
    assert.equal(json.allowed, false);
    assert.equal(run(['network', 'reach', '203.0.113.9', 'shop/web', '--port', '8080', d]).code, 0);
  });

  it('reach: an unknown workload or a bad port is a usage error (exit 2)', () => {
    const r = run(['network', 'reach', 'shop/nope', 'shop/db', d]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no workload shop\/nope/);
    assert.equal(run(['network', 'reach', 'shop/web', 'shop/db', '--port', '80/HTTP', d]).code, 2);
  });

  it('matrix -f json: connections[] with src/dst and ports, denied pairs absent', () => {
    const r = run(['network', 'matrix', '-f', 'json', d]);
    assert.equal(r.code, 0, r.stderr);
    const { connections } = JSON.parse(r.stdout) as { connections: { src: unknown; dst: unknown; ports: unknown }[] };
    assert.deepEqual(connections, [
      {
        src: { namespace: 'shop', name: 'web', kind: 'Deployment' },
        dst: { namespace: 'shop', name: 'db', kind: 'StatefulSet' },
        ports: [{ protocol: 'TCP', port: 5432 }],
      },
      { src: { ipRange: '0.0.0.0-9.255.255.255' }, dst: { namespace: 'shop', name: 'web', kind: 'Deployment' }, ports: [{ protocol: 'TCP', port: 8080 }] },
      { src: { ipRange: '11.0.0.0-255.255.255.255' }, dst: { namespace: 'shop', name: 'web', kind: 'Deployment' }, ports: [{ protocol: 'TCP', port: 8080 }] },
    ]);
  });

  it('matrix: CSV, DOT and Mermaid exports', () => {
    const csv = run(['network', 'matrix', '-f', 'csv', d]);
    assert.equal(csv.stdout.split('\n')[0], 'src,dst,ports');
    assert.match(csv.stdout, /^shop\/web\[Deployment\],shop\/db\[StatefulSet\],TCP 5432$/m);
    const dot = run(['network', 'matrix', '-f', 'dot', d]);
    assert.match(dot.stdout, /^digraph palisade_network \{/);
    assert.match(dot.stdout, /n0 -> n1 \[label="TCP 5432"\];/);
    const mermaid = run(['network', 'matrix', '-f', 'mermaid', d]);
    assert.match(mermaid.stdout, /^flowchart LR\n/);
    assert.match(mermaid.stdout, /n0 -->\|"TCP 5432"\| n1/);
  });

  it('exposure: the LoadBalancer and the Ingress paths to shop/web, with TLS and policy', () => {
    const r = run(['network', 'exposure', '-f', 'json', d]);
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout).exposures as { via: string; path: string[]; tls: boolean | null; networkPolicy: string; allowedFrom: string[] }[];
    assert.deepEqual(
      list.map((e) => [e.via, e.tls, e.networkPolicy]),
      [
        ['LoadBalancer', false, 'allowed'],
        ['Ingress', false, 'denied'],
      ],
    );
    assert.deepEqual(list[0]?.allowedFrom, ['0.0.0.0-9.255.255.255', '11.0.0.0-255.255.255.255']);
    assert.deepEqual(list[1]?.path, [
      'internet -> ingress controller',
      'Ingress shop/web host shop.example.com path /',
      'Service shop/web port 80/TCP',
      'Deployment shop/web port 8080/TCP',
    ]);
  });

  it('scan: the network checks report on the model', () => {
    const r = run(['scan', '-f', 'json', '--fail-on', 'critical', d]);
    const ids = new Set((JSON.parse(r.stdout).findings as { check: string; status: string }[]).filter((f) => f.status === 'fail').map((f) => f.check));
    assert.ok(ids.has('PAL-0603'), 'exposed-without-tls through the LoadBalancer');
    assert.ok(!ids.has('PAL-0602'), 'the database admits web only');
  });
});

describe('palisade network on a cluster and a snapshot', { skip: hasOpenssl() ? false : 'openssl is not installed' }, () => {
  let dir: string;
  let server: FakeApiProcess;
  let kubeconfig: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-network-cluster-'));
    server = await startFakeApiProcess({ pki: dir, tokens: { t: 'admin' } });
    kubeconfig = writeKubeconfig(join(dir, 'kubeconfig'), [{ name: 'prod', server: server.url, caFile: server.caFile as string, token: 't' }]);
  });
  after(async () => {
    await server?.close();
  });

  it('reach, matrix and exposure read the live cluster and its snapshot alike', async () => {
    const live = await runBuiltCli(['network', 'reach', '203.0.113.7', 'shop/web', '--port', '8080', '--kubeconfig', kubeconfig], dir);
    assert.equal(live.code, 1, live.stderr);
    assert.match(live.stdout, /isolated by NetworkPolicy shop\/default-deny/);
    const file = join(dir, 'prod.snapshot.json.gz');
    assert.equal((await runBuiltCli(['snapshot', '--kubeconfig', kubeconfig, '-o', file], dir)).code, 0);
    const snap = await runBuiltCli(['network', 'reach', '203.0.113.7', 'shop/web', '--port', '8080', '--snapshot', file], dir);
    assert.equal(snap.code, 1, snap.stderr);
    assert.equal(snap.stdout, live.stdout);
    const exposure = await runBuiltCli(['network', 'exposure', '-f', 'json', '--snapshot', file], dir);
    assert.equal(exposure.code, 0, exposure.stderr);
    const web = (JSON.parse(exposure.stdout).exposures as { workload: { name: string }; via: string; networkPolicy: string }[]).filter(
      (e) => e.workload.name === 'web',
    );
    assert.deepEqual(
      web.map((e) => [e.via, e.networkPolicy]),
      [
        ['LoadBalancer', 'denied'],
        ['Ingress', 'denied'],
      ],
    );
    const matrix = await runBuiltCli(['network', 'matrix', '-n', 'shop', '-f', 'json', '--kubeconfig', kubeconfig], dir);
    assert.equal(matrix.code, 0, matrix.stderr);
    const conns = JSON.parse(matrix.stdout).connections as { dst: { name?: string } }[];
    assert.ok(conns.length > 0);
    assert.ok(
      conns.every((c) => c.dst.name !== 'web'),
      'nothing reaches shop/web behind its default deny',
    );
  });
});
