/**
 * Top risks: ranked once in the library from the scan's attack graph, in the order of
 * `palisade paths`, each with the hop and finding that cut it; honest when there is nothing.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { inventoryOf } from '../../test/support/fixtures.js';
import { builtinModels } from '../checks/models.js';
import { ScanModels } from '../core/models.js';
import { describeTopRisks, mergeTopRisks, riskChain, type TopRisks } from '../core/report.js';
import { buildNetworkModel } from '../network/model.js';
import { buildRbacModel } from '../rbac/model.js';
import { scanInventory } from '../scan.js';
import { buildAttackGraph } from './graph.js';
import { topRisksOfScan } from './risks.js';

const BASE = readFileSync(new URL('./fixtures/internet-to-cluster-admin.yaml', import.meta.url), 'utf8');
const top = (text: string, topRisks?: number): TopRisks => {
  const { inventory } = inventoryOf(text, 'app.yaml');
  const report = scanInventory(inventory, { sources: ['app.yaml'], ...(topRisks !== undefined ? { topRisks } : {}) });
  assert.ok(report.topRisks);
  return report.topRisks;
};

describe('top risks', () => {
  it('puts internet -> web -> token -> bind -> cluster-admin first, with hops, techniques and where', () => {
    const t = top(BASE);
    assert.equal(t.status, 'ok');
    assert.equal(t.limit, 5);
    const [r] = t.risks;
    assert.equal(r?.rank, 1);
    assert.equal(r?.score, 2.6);
    assert.equal(r?.entry.label, 'internet via Ingress shop/web to Deployment shop/web');
    assert.equal(r?.sink.kind, 'cluster-admin');
    assert.equal(r?.title, 'internet-exposed + token mounted + RBAC bind → cluster-admin');
    assert.deepEqual(
      r?.hops.map((h) => [h.edge, h.mitre, h.ms]),
      [
        ['exploit-exposed-service', 'T1190', 'MS-TA9009'],
        ['token-theft', 'T1528', 'MS-TA9016'],
        ['rbac:bind', 'T1098.006', 'MS-TA9019'],
      ],
    );
    assert.equal(r?.hops[1]?.file, 'app.yaml');
    assert.equal(typeof r?.hops[1]?.line, 'number');
    assert.equal(riskChain(r as NonNullable<typeof r>).split(' -[')[0], 'internet via Ingress shop/web to Deployment shop/web');
    assert.deepEqual(r?.alsoFrom, [{ kind: 'pod', label: 'compromised pod of Deployment shop/web' }]);
    assert.deepEqual(
      r?.combinations.map((c) => c.check),
      ['PAL-0700', 'PAL-0701'],
    );
  });

  it('names the hop most paths take as the cut, with the report finding on that field and its fix', () => {
    const [r] = top(BASE).risks;
    assert.equal(r?.cut.edge, 'token-theft');
    assert.equal(r?.cut.hop, 1);
    assert.match(r?.cut.how ?? '', /automountServiceAccountToken: false/);
    assert.equal(r?.cut.finding?.name, 'service-account-token-automount');
    assert.equal(r?.cut.finding?.fixCommand, 'palisade fix');
    assert.equal(r?.cut.object?.name, 'web');
    assert.ok((r?.cut.paths ?? 0) >= 2);
  });

  it('ranks in the order of palisade paths, grouping paths that differ only by their first hop', () => {
    const { inventory } = inventoryOf(BASE);
    const graph = buildAttackGraph(inventory, buildRbacModel(inventory), buildNetworkModel(inventory));
    const all = graph.paths();
    const t = top(BASE, 50);
    assert.equal(t.totalPaths, all.length);
    const seen = new Set<string>();
    const expected: string[] = [];
    for (const p of all) {
      const key = `${p.hops[0]?.to}|${p.sinkKind}|${p.hops
        .slice(1)
        .map((h) => h.edge)
        .join(',')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      expected.push(`${p.entry.label} => ${p.sink.label}`);
    }
    assert.deepEqual(
      t.risks.map((r) => `${r.entry.label.replace(/^compromised pod of /, '')} => ${r.sink.label}`),
      expected,
    );
    assert.deepEqual(
      t.risks.map((r) => r.rank),
      t.risks.map((_, i) => i + 1),
    );
    assert.equal(top(BASE, 1).risks.length, 1);
  });

  it("uses the scan's image results: an exploitable CVE raises the first hop and names it; the note goes", () => {
    const { inventory } = inventoryOf(BASE, 'app.yaml');
    const image = 'registry.example.com/shop/web:1.4.2';
    const report = scanInventory(inventory, {
      sources: ['app.yaml'],
      inputs: {
        images: { scannedAt: '2026-12-03T00:00:00Z', images: { [image]: { ref: image } } },
        vulnerabilities: {
          database: 'test.db',
          images: {
            [image]: {
              vulnerabilities: [
                {
                  id: 'CVE-2025-1111',
                  aliases: [],
                  purl: 'pkg:npm/x@1',
                  packageName: 'x',
                  installedVersion: '1',
                  status: 'fixed',
                  fixedVersion: '2',
                  severity: 'high',
                },
              ],
            },
          },
        },
      },
    });
    const [r] = report.topRisks?.risks ?? [];
    assert.equal(r?.hops[0]?.edge, 'exploit-vulnerable-image');
    assert.match(r?.title ?? '', /^internet-exposed with an exploitable image \+ token mounted/);
    assert.ok((r?.score ?? 0) > 2.6);
    assert.deepEqual(
      report.topRisks?.notes.filter((n) => n.startsWith('image data')),
      [],
    );
  });

  it('is the same for the same input', () => {
    assert.deepEqual(
      top(BASE).risks.map((r) => r.title + r.entry.label),
      top(BASE).risks.map((r) => r.title + r.entry.label),
    );
  });

  it('says so when there is no path, when turned off, and when the graph cannot be built', () => {
    const none = top('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a}\ndata: {k: v}\n');
    assert.equal(none.status, 'none');
    assert.deepEqual(none.risks, []);
    assert.match(describeTopRisks(none), /^no attack path found/);
    const off = top(BASE, 0);
    assert.equal(off.status, 'off');
    assert.match(describeTopRisks(off), /turned off/);
    const { inventory } = inventoryOf(BASE);
    const failing = new ScanModels(inventory, [
      ...builtinModels.filter((p) => p.name !== 'rbac'),
      {
        name: 'rbac',
        reads: [],
        build: () => {
          throw new Error('clusterroles: forbidden');
        },
      },
    ]);
    const t = topRisksOfScan(failing, [], { limit: 5 });
    assert.equal(t.status, 'unavailable');
    assert.match(
      describeTopRisks(t),
      /^the attack graph could not be built: the paths model could not be built: the rbac model could not be built: clusterroles: forbidden/,
    );
  });

  it('notes cluster coverage gaps the graph was built on', () => {
    const { inventory } = inventoryOf(BASE);
    const t = topRisksOfScan(new ScanModels(inventory, builtinModels), [], { limit: 5, degraded: ['secrets: forbidden'] });
    assert.match(t.notes.at(-1) ?? '', /built from incomplete data \(secrets: forbidden\)/);
  });

  it('merges clusters by score and re-ranks', () => {
    const a = top(BASE);
    const b = { ...a, risks: a.risks.map((r) => ({ ...r, cluster: 'b', score: r.score + 1 })) };
    const merged = mergeTopRisks([{ ...a, risks: a.risks.map((r) => ({ ...r, cluster: 'a' })) }, b]);
    assert.equal(merged?.risks.length, 5);
    assert.equal(merged?.risks[0]?.cluster, 'b');
    assert.deepEqual(
      merged?.risks.map((r) => r.rank),
      [1, 2, 3, 4, 5],
    );
    assert.equal(merged?.totalPaths, a.totalPaths * 2);
  });
});
