import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { inventoryOf } from '../../test/support/fixtures.js';
import type { PackageVulnerability } from '../packages/packages.js';
import { buildNetworkModel } from '../network/model.js';
import { buildRbacModel } from '../rbac/model.js';
import { type AttackGraphOptions, buildAttackGraph } from './graph.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const BASE = fixture('internet-to-cluster-admin.yaml');

function graphOf(text: string, options?: AttackGraphOptions) {
  const { inventory } = inventoryOf(text);
  return buildAttackGraph(inventory, buildRbacModel(inventory), buildNetworkModel(inventory), options);
}

const edgesOf = (p: { hops: readonly { edge: string }[] }) => p.hops.map((h) => h.edge);

describe('attack graph scenarios', () => {
  it('finds internet -> ingress -> web -> token -> bind -> cluster-admin, ranked first', () => {
    const g = graphOf(BASE);
    const [top] = g.paths();
    assert.equal(top?.entry.label, 'internet via Ingress shop/web to Deployment shop/web');
    assert.equal(top?.sinkKind, 'cluster-admin');
    assert.deepEqual(edgesOf(top as NonNullable<typeof top>), ['exploit-exposed-service', 'token-theft', 'rbac:bind']);
    assert.equal(top?.hops[1]?.mitre.id, 'T1528');
    assert.equal(top?.hops[1]?.ms.id, 'MS-TA9016');
    assert.match(g.notes[0] ?? '', /^image data: not provided/);
  });

  it('chains pod exec into a privileged pod to root on the node', () => {
    const g = graphOf(BASE);
    const p = g.paths({ from: ['internet'], to: ['node-root'] })[0];
    assert.deepEqual(edgesOf(p as NonNullable<typeof p>), ['exploit-exposed-service', 'token-theft', 'pod-exec', 'exec-into-container', 'privileged-escape']);
    assert.equal(p?.hops.at(-1)?.evidence[0]?.pointer, '/spec/template/spec/containers/0/securityContext/privileged');
    assert.deepEqual(g.paths({ from: ['internet'], to: ['node-root'], maxHops: 4 }), []);
  });

  it('a default-deny ingress NetworkPolicy removes every internet path, not the others', () => {
    const g = graphOf(`${BASE}---\n${fixture('deny-ingress.yaml')}`);
    assert.deepEqual(g.paths({ from: ['internet'] }), []);
    assert.ok(g.paths({ from: ['pod'], to: ['cluster-admin'] }).length > 0);
  });

  it('without the token (automount off) the web pod reaches neither cluster-admin nor the node', () => {
    const g = graphOf(BASE.replace('serviceAccountName: web', 'serviceAccountName: web\n      automountServiceAccountToken: false'));
    assert.deepEqual(g.paths({ from: ['internet'], to: ['cluster-admin', 'all-secrets', 'node-root'] }), []);
  });

  it('removing bind from the ClusterRole breaks the cluster-admin path', () => {
    const g = graphOf(BASE.replace('verbs: [bind]', 'verbs: [get]'));
    assert.deepEqual(g.paths({ to: ['cluster-admin'] }), []);
  });

  it('uses image vulnerabilities when given: a KEV-listed CVE raises the exploit likelihood', () => {
    const vuln: PackageVulnerability = {
      id: 'CVE-2024-0001',
      aliases: [],
      purl: 'pkg:npm/x@1',
      packageName: 'x',
      installedVersion: '1',
      status: 'fixed',
      fixedVersion: '2',
      severity: 'critical',
      kev: true,
    };
    const without = graphOf(BASE).paths()[0];
    const g = graphOf(BASE, { vulnerabilities: new Map([['registry.example.com/shop/web:1.4.2', [vuln]]]) });
    const top = g.paths()[0];
    assert.equal(top?.hops[0]?.edge, 'exploit-vulnerable-image');
    assert.match(top?.hops[0]?.evidence[1]?.text ?? '', /CVE-2024-0001/);
    assert.ok((top?.score ?? 0) > (without?.score ?? 0));
    assert.deepEqual(
      g.notes.filter((n) => n.startsWith('image data')),
      [],
    );
  });

  it('gives the same order for the same input, and choke points name the shared edge', () => {
    const a = graphOf(BASE)
      .paths()
      .map((p) => `${p.entry.key}>${p.sink.key}`);
    const b = graphOf(BASE)
      .paths()
      .map((p) => `${p.entry.key}>${p.sink.key}`);
    assert.deepEqual(a, b);
    const g = graphOf(BASE);
    const chokes = g.chokePoints(g.paths({ from: ['internet'] }));
    assert.deepEqual(
      chokes.slice(0, 2).map((c) => c.edge.kind),
      ['exploit-exposed-service', 'token-theft'],
    );
  });

  it('a RoleBinding in another namespace that lets the service account list Secrets is a path to them', () => {
    const reader = `---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: payments}
rules: [{apiGroups: [''], resources: [secrets], verbs: [list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: shop-web-reads, namespace: payments}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]
`;
    const g = graphOf(`${BASE}${reader}`);
    const [p] = g.paths({ from: ['pod'], to: ['namespace-secrets'] }).filter((x) => x.entry.label === 'Deployment shop/web');
    assert.equal(p?.sink.label, 'Secrets of namespace payments');
    assert.deepEqual(edgesOf(p as NonNullable<typeof p>), ['run-in-container', 'token-theft', 'read-secrets']);
    assert.match(p?.hops[2]?.evidence[0]?.text ?? '', /RoleBinding payments\/shop-web-reads \(Role reader\) grants list on secrets in payments/);
    assert.deepEqual(graphOf(BASE).paths({ to: ['namespace-secrets'] }), []);
  });

  it('a service account federated with a cloud identity leads to cloud credentials', () => {
    const g = graphOf(
      BASE.replace(
        'metadata: {name: web, namespace: shop}\n---\napiVersion: rbac',
        "metadata: {name: web, namespace: shop, annotations: {eks.amazonaws.com/role-arn: 'arn:aws:iam::1:role/web'}}\n---\napiVersion: rbac",
      ),
    );
    const edge = g.allEdges().find((e) => e.kind === 'workload-identity');
    assert.equal(edge?.evidence[0]?.pointer, '/metadata/annotations/eks.amazonaws.com~1role-arn');
    assert.equal(
      graphOf(BASE)
        .allEdges()
        .find((e) => e.kind === 'workload-identity'),
      undefined,
    );
  });

  it('escape edges: one fixture that creates each, one that does not', () => {
    const pod = (spec: string) => `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: a}
spec:
  automountServiceAccountToken: false
${spec}`;
    const escapes = (spec: string) => [
      ...new Set(
        graphOf(pod(spec))
          .allEdges()
          .filter((e) => g0(e.kind))
          .map((e) => e.kind),
      ),
    ];
    const g0 = (k: string) => !['run-in-container', 'cloud-metadata'].includes(k);
    assert.deepEqual(escapes('  containers: [{name: c, image: i, securityContext: {privileged: true}}]'), ['privileged-escape']);
    assert.deepEqual(escapes('  containers: [{name: c, image: i, securityContext: {privileged: false}}]'), []);
    assert.deepEqual(escapes('  containers: [{name: c, image: i, securityContext: {capabilities: {add: [SYS_MODULE]}}}]'), ['module-load']);
    assert.deepEqual(escapes('  hostPID: true\n  containers: [{name: c, image: i, securityContext: {capabilities: {add: [SYS_PTRACE]}}}]'), [
      'host-pid-escape',
    ]);
    assert.deepEqual(escapes('  hostPID: true\n  containers: [{name: c, image: i}]'), []);
    const mount = (path: string, ro = false) =>
      `  volumes: [{name: h, hostPath: {path: ${path}}}]\n  containers: [{name: c, image: i, volumeMounts: [{name: h, mountPath: /h, readOnly: ${ro}}]}]`;
    assert.deepEqual(escapes(mount('/var/run/docker.sock')), ['runtime-socket']);
    assert.deepEqual(escapes(mount('/etc')), ['host-write']);
    assert.deepEqual(escapes(mount('/etc/kubernetes', true)), ['host-read']);
    assert.deepEqual(escapes(mount('/var/log')), ['var-log-symlink']);
    assert.deepEqual(escapes(mount('/proc/sys/kernel')), ['core-pattern']);
    assert.deepEqual(escapes(mount('/data')), []);
    assert.deepEqual(escapes('  shareProcessNamespace: true\n  containers: [{name: a, image: i}, {name: b, image: i}]'), ['shared-process-namespace']);
  });
});

describe('evidence written when an edge is read', () => {
  const evidenceOf = (g: ReturnType<typeof graphOf>, kind: string) =>
    g
      .allEdges()
      .filter((e) => e.kind === kind)
      .map(
        (e) =>
          `${g.vertex(e.from).key} -> ${g.vertex(e.to).key}: ${e.evidence.map((x) => `${x.resource?.ref.name ?? '-'} ${x.pointer ?? '-'} ${x.text}`).join('; ')}`,
      );

  it('container edges read as their containers and workloads say', () => {
    const g = graphOf(BASE);
    assert.deepEqual(evidenceOf(g, 'run-in-container'), [
      'workload:shop/Deployment/web -> container:shop/Deployment/web/web: web /spec/template/spec/containers/0 web runs in every pod of the workload',
      'workload:shop/DaemonSet/agent -> container:shop/DaemonSet/agent/agent: agent /spec/template/spec/containers/0 agent runs in every pod of the workload',
    ]);
    assert.deepEqual(evidenceOf(g, 'token-theft'), [
      'container:shop/Deployment/web/web -> sa:shop/web: web /spec/template/spec/serviceAccountName the pod mounts the token of ServiceAccount shop/web',
    ]);
    assert.ok(
      evidenceOf(g, 'exec-into-container').includes(
        'pods:shop -> container:shop/DaemonSet/agent/agent: - - kubectl exec into container agent of DaemonSet shop/agent',
      ),
    );
  });

  it('a container vertex met again from another workload (keys that read alike) keeps each edge its own evidence', () => {
    // `web` with container `x/c` and `web/x` with container `c`: one container vertex, two workloads.
    const pod = (name: string, container: string, sa: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec:\n      serviceAccountName: ${sa}\n      containers: [{name: ${container}, image: nginx}]\n`;
    const g = graphOf(`${pod('web', 'x/c', 'one')}---\n${pod('web/x', 'c', 'two')}`);
    assert.deepEqual(evidenceOf(g, 'run-in-container'), [
      'workload:shop/Deployment/web -> container:shop/Deployment/web/x/c: web /spec/template/spec/containers/0 x/c runs in every pod of the workload',
      'workload:shop/Deployment/web/x -> container:shop/Deployment/web/x/c: web/x /spec/template/spec/containers/0 c runs in every pod of the workload',
    ]);
    assert.deepEqual(evidenceOf(g, 'token-theft'), [
      'container:shop/Deployment/web/x/c -> sa:shop/one: web /spec/template/spec/serviceAccountName the pod mounts the token of ServiceAccount shop/one',
      'container:shop/Deployment/web/x/c -> sa:shop/two: web/x /spec/template/spec/serviceAccountName the pod mounts the token of ServiceAccount shop/two',
    ]);
  });
});
