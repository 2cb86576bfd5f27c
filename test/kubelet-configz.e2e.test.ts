/**
 * End-to-end: `palisade compliance --cluster` reads each node's running kubelet configuration
 * through `nodes/<name>/proxy/configz` (the fake API server answers from the Node's
 * `fake.palisade.dev/kubeletconfig` annotation), and a subject without `nodes/proxy` gets the
 * kubelet controls as errors naming the refusal, never as passes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runBuiltCli } from './support/cluster-cli.js';
import { type FakeApiProcess, startFakeApiProcess } from './support/fake-apiserver-process.js';
import { fixtureClusterObjects } from './support/fixture-cluster.js';
import { writeKubeconfig } from './support/kubeconfig.js';

interface ControlJson {
  id: string;
  status: string;
  reason: string;
  resources: { resource: { kind: string; name: string } }[];
}

const node = (name: string, kubelet: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, annotations: { 'fake.palisade.dev/kubeletconfig': JSON.stringify(kubelet) } },
  spec: {},
});

describe('kubelet configuration through the API (built CLI)', () => {
  let dir: string;
  let server: FakeApiProcess;
  let kubeconfig: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-configz-'));
    server = await startFakeApiProcess({
      objects: [
        // The fixture's own Node has no kubelet answering: these two replace it.
        ...fixtureClusterObjects().filter((o) => o.kind !== 'Node'),
        node('node-1', { authentication: { anonymous: { enabled: true }, x509: { clientCAFile: '/etc/kubernetes/pki/ca.crt' } }, readOnlyPort: 0 }),
        node('node-2', { authentication: { anonymous: { enabled: false }, x509: { clientCAFile: '/etc/kubernetes/pki/ca.crt' } }, readOnlyPort: 0 }),
      ],
      tokens: { 'admin-token': 'admin', 'viewer-token': 'viewer' },
      access: [{ allow: false, user: 'viewer', resource: 'nodes/proxy' }],
    });
    kubeconfig = writeKubeconfig(join(dir, 'kubeconfig'), [
      { name: 'admin', server: server.url, token: 'admin-token' },
      { name: 'viewer', server: server.url, token: 'viewer-token' },
    ]);
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const controls = async (context: string, extra: string[] = []): Promise<ControlJson[]> => {
    const r = await runBuiltCli(['compliance', '--kubeconfig', kubeconfig, '--context', context, '-f', 'json', ...extra], dir);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { controls: ControlJson[] }).controls;
  };
  const byId = (list: ControlJson[], id: string): ControlJson => {
    const c = list.find((x) => x.id === id);
    assert.ok(c, id);
    return c;
  };

  it('judges each node’s running kubelet configuration', async () => {
    const list = await controls('admin');
    const anon = byId(list, '4.2.1');
    assert.equal(anon.status, 'fail');
    assert.deepEqual(
      anon.resources.map((e) => `${e.resource.kind}/${e.resource.name}`),
      ['KubeletConfiguration/node-1'],
    );
    assert.equal(byId(list, '4.2.4').status, 'pass', 'read-only port 0 on both nodes');
  });

  it('reports forbidden nodes/proxy as an error on the kubelet controls', async () => {
    const list = await controls('viewer');
    const anon = byId(list, '4.2.1');
    assert.equal(anon.status, 'error');
    assert.match(anon.reason, /could not be fully evaluated: nodes\/proxy\/configz\S*: forbidden/);
  });

  it('does not ask the nodes with --no-kubelet-config', async () => {
    const list = await controls('admin', ['--no-kubelet-config']);
    assert.equal(byId(list, '4.2.1').status, 'manual');
    assert.match(byId(list, '4.2.1').reason, /not assessed/);
  });
});

describe('kubelet configuration in snapshots (built CLI)', () => {
  it('palisade snapshot --kubelet-config keeps it for palisade compliance --snapshot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-configz-snap-'));
    const server = await startFakeApiProcess({
      objects: [node('node-1', { authentication: { anonymous: { enabled: true } }, readOnlyPort: 10255 })],
    });
    try {
      const kubeconfig = writeKubeconfig(join(dir, 'kubeconfig'), [{ name: 'lab', server: server.url }]);
      const snap = join(dir, 'lab.snapshot.json.gz');
      const w = await runBuiltCli(['snapshot', '--kubeconfig', kubeconfig, '--kubelet-config', '-o', snap], dir);
      assert.equal(w.code, 0, w.stderr);
      const r = await runBuiltCli(['compliance', '--snapshot', snap, '-f', 'json'], dir);
      assert.equal(r.code, 0, r.stderr);
      const list = (JSON.parse(r.stdout) as { controls: ControlJson[] }).controls;
      assert.equal(list.find((c) => c.id === '4.2.4')?.status, 'fail');
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
