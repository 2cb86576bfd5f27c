/**
 * The edges added beside KubeHound's set: NET_RAW/NET_ADMIN man-in-the-middle, service account
 * token list, admission webhook changes, and exploitable images from a scan's inputs. One
 * fixture (or fixture change) that creates each edge, one that does not.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { inventoryOf } from '../../test/support/fixtures.js';
import type { ScanInputs } from '../core/models.js';
import { buildNetworkModel } from '../network/model.js';
import type { PackageVulnerability } from '../packages/packages.js';
import { buildRbacModel } from '../rbac/model.js';
import { type AttackGraphOptions, buildAttackGraph } from './graph.js';
import { graphOptionsOf } from './provider.js';
import { EDGE_SPECS } from './techniques.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

function graphOf(text: string, options?: AttackGraphOptions) {
  const { inventory } = inventoryOf(text);
  return buildAttackGraph(inventory, buildRbacModel(inventory), buildNetworkModel(inventory), options);
}

const label = (g: ReturnType<typeof graphOf>, id: number) => g.vertex(id).label;

describe('net-raw-mitm', () => {
  const MITM = fixture('net-raw-mitm.yaml');

  it('NET_RAW added: the container reaches the pod network of its namespace and its pods, not those of another one', () => {
    const g = graphOf(MITM);
    const edges = g.allEdges().filter((e) => e.kind === 'net-raw-mitm');
    assert.deepEqual(
      edges.map((e) => `${label(g, e.from)} -> ${label(g, e.to)}`),
      ['container sniffer of Pod shop/sniffer -> the pod network of namespace shop'],
    );
    assert.deepEqual(
      g
        .allEdges()
        .filter((e) => e.kind === 'spoofed-traffic')
        .map((e) => label(g, e.to)),
      ['container sniffer of Pod shop/sniffer', 'container web of Deployment shop/web'],
    );
    assert.equal(edges[0]?.evidence[0]?.pointer, '/spec/containers/0/securityContext/capabilities/add');
    assert.equal(EDGE_SPECS['net-raw-mitm'].mitre.id, 'T1557');
    assert.equal(EDGE_SPECS['net-raw-mitm'].ms.id, 'MS-TA9036');
    // Through the spoofed pod a compromised sniffer reaches what web's ServiceAccount can read.
    const p = g.paths({ from: ['pod'], to: ['namespace-secrets'] }).find((x) => x.entry.label === 'Pod shop/sniffer');
    assert.deepEqual(
      p?.hops.map((h) => h.edge),
      ['run-in-container', 'net-raw-mitm', 'spoofed-traffic', 'token-theft', 'read-secrets'],
    );
    assert.equal(p?.sink.label, 'Secrets of namespace payments');
  });

  it('NET_ADMIN and hostNetwork create it too', () => {
    assert.ok(
      graphOf(MITM.replace('add: [NET_RAW]', 'add: [NET_ADMIN]'))
        .allEdges()
        .some((e) => e.kind === 'net-raw-mitm'),
    );
    const host = graphOf(
      MITM.replace('capabilities: {add: [NET_RAW]}', 'runAsNonRoot: true').replace(
        '  automountServiceAccountToken: false',
        '  automountServiceAccountToken: false\n  hostNetwork: true',
      ),
    );
    assert.match(host.allEdges().find((e) => e.kind === 'net-raw-mitm')?.evidence[0]?.text ?? '', /hostNetwork: true/);
  });

  it('the runtime default NET_RAW, a dropped one, or a privileged container do not', () => {
    assert.equal(
      graphOf(MITM.replace('capabilities: {add: [NET_RAW]}', 'runAsNonRoot: true'))
        .allEdges()
        .filter((e) => e.kind === 'net-raw-mitm').length,
      0,
    );
    assert.equal(
      graphOf(MITM.replace('add: [NET_RAW]', 'add: [NET_RAW], drop: [NET_RAW]'))
        .allEdges()
        .filter((e) => e.kind === 'net-raw-mitm').length,
      0,
    );
    assert.equal(
      graphOf(MITM.replace('capabilities: {add: [NET_RAW]}', 'privileged: true'))
        .allEdges()
        .filter((e) => e.kind === 'net-raw-mitm').length,
      0,
    );
  });
});

describe('token-list', () => {
  const TOKENS = fixture('token-list.yaml');

  it('a reader of a namespace with a legacy token Secret acts as its service account: a path to root on a node', () => {
    const g = graphOf(TOKENS);
    const e = g.allEdges().find((x) => x.kind === 'token-list');
    assert.equal(`${label(g, e?.from ?? -1)} -> ${label(g, e?.to ?? -1)}`, 'ServiceAccount shop/reader -> the service account token Secrets of namespace ops');
    const use = g.allEdges().find((x) => x.kind === 'use-token');
    assert.equal(label(g, use?.to ?? -1), 'ServiceAccount ops/deployer');
    assert.match(use?.evidence[0]?.text ?? '', /Secret ops\/deployer-token holds a token of ServiceAccount ops\/deployer/);
    const p = g.paths({ from: ['pod'], to: ['node-root'] }).find((x) => x.entry.label === 'Deployment shop/report');
    assert.deepEqual(
      p?.hops.map((h) => h.edge),
      ['run-in-container', 'token-theft', 'token-list', 'use-token', 'create-privileged-pod'],
    );
    assert.equal(EDGE_SPECS['token-list'].ms.id, 'MS-TA9025');
  });

  it('without the token Secret (TokenRequest tokens only) there is no such edge', () => {
    const g = graphOf(TOKENS.replace('type: kubernetes.io/service-account-token', 'type: Opaque'));
    assert.equal(g.allEdges().filter((e) => e.kind === 'token-list').length, 0);
    assert.equal(g.paths({ from: ['pod'], to: ['node-root'] }).filter((x) => x.entry.label === 'Deployment shop/report').length, 0);
  });
});

describe('modify-webhooks', () => {
  const HOOKS = fixture('webhooks.yaml');

  it('patch on mutating webhooks is cluster-admin, create on validating ones is every Secret', () => {
    const g = graphOf(HOOKS);
    const edges = g
      .allEdges()
      .filter((e) => e.kind === 'modify-webhooks')
      .map((e) => `${label(g, e.from)} -> ${label(g, e.to)}`);
    assert.deepEqual(edges, ['ServiceAccount platform/installer -> cluster-admin', 'ServiceAccount platform/installer -> every Secret of the cluster']);
    const p = g.paths({ from: ['pod'], to: ['cluster-admin'] })[0];
    assert.deepEqual(
      p?.hops.map((h) => h.edge),
      ['run-in-container', 'token-theft', 'modify-webhooks'],
    );
    assert.equal(p?.hops[2]?.ms.id, 'MS-TA9015');
    assert.equal(p?.hops[2]?.mitre.id, 'T1546');
  });

  it('read-only access to webhook configurations is no edge', () => {
    const g = graphOf(HOOKS.replace('verbs: [get, patch]', 'verbs: [get, list, watch]').replace('verbs: [create]', 'verbs: [get]'));
    assert.equal(g.allEdges().filter((e) => e.kind === 'modify-webhooks').length, 0);
  });
});

describe('exploitable images from the scan inputs', () => {
  const BASE = fixture('internet-to-cluster-admin.yaml');
  const IMAGE = 'registry.example.com/shop/web:1.4.2';
  const vuln = (over: Partial<PackageVulnerability>): PackageVulnerability => ({
    id: 'CVE-2025-0002',
    aliases: [],
    purl: 'pkg:deb/debian/openssl@3.0.1',
    packageName: 'openssl',
    installedVersion: '3.0.1',
    status: 'affected',
    severity: 'critical',
    ...over,
  });
  const inputs = (list: PackageVulnerability[]): ScanInputs => ({
    images: { scannedAt: '2026-12-03T00:00:00Z', images: { [IMAGE]: { ref: IMAGE } } },
    vulnerabilities: { database: 'test.db', images: { [IMAGE]: { vulnerabilities: list } } },
  });
  const firstHop = (i: ScanInputs) => graphOf(BASE, graphOptionsOf(i)).paths({ from: ['internet'] })[0]?.hops[0];

  it('a network-exploitable critical CVE (CVSS AV:N, no fix yet) makes the exposed hop exploit-vulnerable-image', () => {
    const hop = firstHop(inputs([vuln({ cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8, version: '3.1' } })]));
    assert.equal(hop?.edge, 'exploit-vulnerable-image');
    assert.match(hop?.evidence[1]?.text ?? '', /CVE-2025-0002/);
  });

  it('a fixed high CVE or a KEV-listed one count; a local one without a fix, a VEX-suppressed or a low one do not', () => {
    assert.equal(firstHop(inputs([vuln({ severity: 'high', status: 'fixed', fixedVersion: '3.0.2' })]))?.edge, 'exploit-vulnerable-image');
    assert.equal(firstHop(inputs([vuln({ severity: 'low', kev: true })]))?.edge, 'exploit-vulnerable-image');
    assert.equal(
      firstHop(inputs([vuln({ cvss: { vector: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', score: 7.8, version: '3.1' } })]))?.edge,
      'exploit-exposed-service',
    );
    assert.equal(firstHop(inputs([vuln({ status: 'fixed', vex: { status: 'not_affected', source: 'vex.json' } })]))?.edge, 'exploit-exposed-service');
    assert.equal(firstHop(inputs([vuln({ severity: 'low', status: 'fixed' })]))?.edge, 'exploit-exposed-service');
  });

  it('the notes say whether image results were given, and whether they were matched', () => {
    assert.match(graphOf(BASE, graphOptionsOf({})).notes[0] ?? '', /^image data: not provided/);
    const scannedOnly = graphOptionsOf({ images: { scannedAt: '2026-12-03T00:00:00Z', images: {} } });
    assert.match(graphOf(BASE, scannedOnly).notes[0] ?? '', /without a vulnerability database/);
    assert.deepEqual(
      graphOf(BASE, graphOptionsOf(inputs([]))).notes.filter((n) => n.startsWith('image data')),
      [],
    );
  });
});
