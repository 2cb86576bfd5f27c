/**
 * `palisade node`'s collector on fake node roots (test/support/node-root.ts) for each profile,
 * hardened and weakened: what it records, and what the node checks then find.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { makeNodeRoot } from '../../test/support/node-root.js';
import { builtinChecks } from '../checks/index.js';
import { PalisadeError } from '../core/errors.js';
import { Inventory } from '../core/inventory.js';
import { isObject } from '../core/object.js';
import { scanInventory } from '../scan.js';
import { collectNodeFacts, flagsOf, parseProfiles } from './collect.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function fresh(profile: 'master' | 'etcd' | 'worker', hardened: boolean, processes = true) {
  const d = mkdtempSync(join(tmpdir(), `palisade-node-${profile}-`));
  dirs.push(d);
  return makeNodeRoot(d, { profile, hardened, processes });
}

const NODE_CHECKS = builtinChecks.filter((c) => c.category === 'node' || c.category === 'control-plane').map((c) => c.id);
const NOW = new Date('2026-12-03T12:00:00Z');

async function failing(root: string, proc?: string): Promise<string[]> {
  const facts = await collectNodeFacts({ root, ...(proc ? { proc } : {}), now: NOW });
  const inventory = new Inventory();
  for (const object of facts.objects) inventory.add({ object });
  const report = scanInventory(inventory, { include: NODE_CHECKS, today: '2026-12-03' });
  assert.deepEqual(
    report.findings.filter((f) => f.status === 'error').map((f) => f.message),
    [],
  );
  return [...new Set(report.findings.filter((f) => f.status === 'fail').map((f) => f.name))].sort();
}

describe('node facts', () => {
  it('detects the profiles and records files by role with modes and owners resolved through the node', async () => {
    const node = fresh('master', true);
    const facts = await collectNodeFacts({ root: node.root, now: NOW });
    assert.deepEqual(facts.profiles, ['master', 'etcd', 'worker']);
    assert.equal(facts.hostname, 'master-1');
    const spec = facts.objects[0]?.spec;
    assert.ok(isObject(spec) && Array.isArray(spec.files));
    const manifest = spec.files.find((f) => isObject(f) && f.role === 'apiserver-manifest');
    assert.deepEqual(isObject(manifest) && { path: manifest.path, mode: manifest.mode, owner: manifest.owner, group: manifest.group }, {
      path: '/etc/kubernetes/manifests/kube-apiserver.yaml',
      mode: '600',
      owner: 'root',
      group: 'root',
    });
    const kinds = facts.objects.map((o) => `${o.kind}/${(o.metadata as { name: string }).name}`);
    assert.ok(kinds.includes('KubeletConfiguration/master-1'));
    assert.ok(kinds.includes('Pod/kube-apiserver-master-1'), 'the running process, as a Pod');
    assert.ok(isObject(spec.encryptionConfiguration) && isObject(spec.auditPolicy));
  });

  it('finds nothing on a hardened master, etcd or worker node', async () => {
    for (const profile of ['master', 'etcd', 'worker'] as const) {
      const node = fresh(profile, true);
      // Without root the etcd data directory cannot be given to the etcd user (see node-root.ts).
      const expected = profile !== 'worker' && !node.etcdOwned ? ['etcd-data-dir-ownership'] : [];
      assert.deepEqual(await failing(node.root), expected, profile);
    }
  });

  it('finds the weaknesses of a weakened master', async () => {
    const node = fresh('master', false);
    const got = await failing(node.root);
    for (const name of [
      'apiserver-manifest-permissions',
      'etcd-manifest-permissions',
      'cni-config-permissions',
      'etcd-data-dir-permissions',
      'etcd-data-dir-ownership',
      'admin-kubeconfig-permissions',
      'pki-key-permissions',
      'apiserver-anonymous-auth',
      'controller-manager-profiling',
      'scheduler-bind-address',
      'etcd-client-cert-auth',
      'encryption-provider-weak',
      'audit-policy-gaps',
      'kubelet-anonymous-auth',
      'kubelet-hostname-override',
    ])
      assert.ok(got.includes(name), `${name} in ${got.join(', ')}`);
    if (node.certificates) assert.ok(got.includes('node-certificate-expiry'));
  });

  it('finds the weaknesses of a weakened worker, kubelet flags overriding its file', async () => {
    const node = fresh('worker', false);
    const got = await failing(node.root);
    for (const name of [
      'kubelet-service-permissions',
      'kubelet-kubeconfig-permissions',
      'kubelet-config-permissions',
      'kube-proxy-kubeconfig-permissions',
      'kubelet-client-ca-permissions',
      'kubelet-anonymous-auth',
      'kubelet-read-only-port',
      'kubelet-hostname-override',
    ])
      assert.ok(got.includes(name), `${name} in ${got.join(', ')}`);
    assert.ok(!got.some((n) => n.startsWith('apiserver-')), 'no control-plane checks on a worker');
  });

  it('reads the static Pod manifests when the components do not run as processes', async () => {
    const node = fresh('master', false, false);
    const facts = await collectNodeFacts({ root: node.root, profiles: ['master'], now: NOW });
    const pod = facts.objects.find((o) => o.kind === 'Pod' && (o.metadata as { name: string }).name.startsWith('kube-apiserver'));
    assert.equal(
      (pod?.metadata as { annotations?: Record<string, string> } | undefined)?.annotations?.['palisade.dev/source'],
      '/etc/kubernetes/manifests/kube-apiserver.yaml',
    );
    assert.ok((await failing(node.root)).includes('apiserver-anonymous-auth'));
  });

  it('reports an unreadable root and unknown profiles as usage errors', async () => {
    await assert.rejects(collectNodeFacts({ root: '/nonexistent/palisade' }), (e: unknown) => e instanceof PalisadeError && e.exitCode === 2);
    assert.throws(() => parseProfiles(['control-plane']), /not one of master, etcd, worker/);
    const empty = mkdtempSync(join(tmpdir(), 'palisade-node-empty-'));
    dirs.push(empty);
    const facts = await collectNodeFacts({ root: empty });
    assert.deepEqual(facts.profiles, []);
    assert.ok(facts.diagnostics.some((d) => d.code === 'node-profile-unknown'));
  });

  it('parses command-line flags in both spellings', () => {
    assert.deepEqual(
      [...flagsOf(['/usr/bin/kubelet', '--config=/a', '--kubeconfig', '/b', '--v', '2', '--x'])],
      [
        ['config', '/a'],
        ['kubeconfig', '/b'],
        ['v', '2'],
        ['x', 'true'],
      ],
    );
  });
});
