/**
 * The compliance view: statuses from one scan's findings, evidence, managed platforms, the
 * score; and managed-platform detection.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { Inventory } from '../core/inventory.js';
import type { JsonObject } from '../core/types.js';
import { scanInventory } from '../scan.js';
import { type ComplianceReport, complianceReport, summarize } from './compliance.js';
import { FRAMEWORKS } from './index.js';
import { detectPlatform } from './platform.js';

const APISERVER = `
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver-cp1, namespace: kube-system}
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.33.2
      command: [kube-apiserver, --anonymous-auth=true, --authorization-mode=Node,RBAC, --profiling=false]
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext: {privileged: true}
`;

function inventoryOf(text: string): Inventory {
  const inv = new Inventory();
  for (const d of parseAllDocuments(text)) inv.add({ object: d.toJS() as JsonObject });
  return inv;
}

function view(text: string, framework = 'cis-1.12', platform?: ReturnType<typeof detectPlatform>): ComplianceReport {
  const inventory = inventoryOf(text);
  const report = scanInventory(inventory, { today: '2026-12-03' });
  const f = FRAMEWORKS[framework];
  assert.ok(f);
  return complianceReport(f, { ...report, ...(platform ? { platform } : {}) });
}

const control = (r: ComplianceReport, id: string) => {
  const c = r.controls.find((x) => x.id === id);
  assert.ok(c, `control ${id}`);
  return c;
};

describe('compliance report', () => {
  it('gives every CIS control a status from the scan, with evidence and reasons', () => {
    const r = view(APISERVER);
    assert.equal(r.controls.length, 131);
    const anon = control(r, '1.2.1');
    assert.equal(anon.status, 'fail');
    assert.deepEqual(
      anon.resources.map((e) => `${e.resource.kind}/${e.resource.name} ${e.pointer}`),
      ['Pod/kube-apiserver-cp1 /spec/containers/0/command/1'],
    );
    assert.equal(control(r, '1.2.15').status, 'pass', 'profiling is off');
    assert.equal(control(r, '5.2.2').status, 'fail');
    assert.equal(control(r, '5.2.3').status, 'pass', 'hostPID is judged and not set');
    assert.equal(control(r, '3.1.1').status, 'manual');
    assert.match(control(r, '3.1.1').reason, /Organisational/);
    // Nothing of the controller manager in the input: not assessed, said so.
    assert.equal(control(r, '1.3.2').status, 'manual');
    assert.match(control(r, '1.3.2').reason, /no control-plane component Pod/);
    assert.match(control(r, '1.1.1').reason, /palisade node/);
    assert.equal(control(r, '4.2.1').status, 'manual');
    assert.match(control(r, '4.2.1').reason, /KubeletConfiguration/);
  });

  it('marks provider-owned controls not applicable on a managed platform', () => {
    const eks = detectPlatform(undefined, 'v1.31.2-eks-7f9249a');
    const r = view(APISERVER, 'cis-1.12', eks);
    assert.equal(control(r, '1.2.1').status, 'not-applicable');
    assert.match(control(r, '1.2.1').reason, /managed by provider \(eks\)/);
    assert.equal(control(r, '2.1').status, 'not-applicable');
    assert.equal(control(r, '5.2.2').status, 'fail', 'workload controls stay the user’s');
  });

  it('computes the score from pass, fail and error only', () => {
    const r = view(APISERVER);
    const s = r.summary;
    assert.equal(s.total, s.pass + s.fail + s.error + s.manual + s.notApplicable);
    assert.equal(s.score, Math.round((s.pass / (s.pass + s.fail + s.error)) * 1000) / 10);
    assert.equal(summarize([]).score, null);
  });

  it('builds NSA, PSS and MITRE views from the same findings', () => {
    const inventory = inventoryOf(APISERVER);
    const report = scanInventory(inventory, { today: '2026-12-03' });
    const nsa = complianceReport(FRAMEWORKS['nsa-1.2'] as never, report);
    const pss = complianceReport(FRAMEWORKS['pss-restricted'] as never, report);
    const mitre = complianceReport(FRAMEWORKS.mitre as never, report);
    assert.equal(control(nsa, 'NSA-04').status, 'fail');
    assert.equal(control(nsa, 'NSA-21').status, 'fail', 'anonymous auth on the API server');
    assert.equal(control(pss, 'baseline/privileged').status, 'fail');
    assert.equal(control(mitre, 'T1611').status, 'fail', 'a privileged container leaves escape to host open');
    // The same finding is the evidence everywhere.
    const id = (rep: ComplianceReport, c: string) => control(rep, c).resources.map((e) => `${e.check} ${e.resource.name}`);
    assert.ok(id(nsa, 'NSA-04').includes('PAL-0003 web'));
    assert.ok(id(pss, 'baseline/privileged').includes('PAL-0003 web'));
  });
});

describe('managed platform detection', () => {
  const node = (labels: Record<string, string>, providerID = '', kubeletVersion = 'v1.31.2'): string =>
    JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels }, spec: { providerID }, status: { nodeInfo: { kubeletVersion } } });
  it('detects EKS, GKE and AKS from node labels, provider ids and versions', () => {
    assert.equal(detectPlatform(inventoryOf(node({ 'eks.amazonaws.com/nodegroup': 'ng' })))?.name, 'eks');
    assert.equal(detectPlatform(inventoryOf(node({ 'cloud.google.com/gke-nodepool': 'p' })))?.name, 'gke');
    assert.equal(detectPlatform(inventoryOf(node({}, 'azure:///subscriptions/x/resourceGroups/MC_rg_aks_westeurope/providers/vm/0')))?.name, 'aks');
    assert.equal(detectPlatform(inventoryOf(node({}, '', 'v1.30.5-gke.1014001')))?.name, 'gke');
    assert.equal(detectPlatform(undefined, 'v1.31.2-eks-7f9249a')?.name, 'eks');
  });
  it('does not take a self-managed cluster on a cloud for a managed one', () => {
    assert.equal(detectPlatform(inventoryOf(node({ 'kubernetes.io/hostname': 'n1' }, 'aws:///eu-west-1a/i-0abc'))), undefined);
    assert.equal(detectPlatform(inventoryOf(node({})), 'v1.33.2'), undefined);
  });
});
