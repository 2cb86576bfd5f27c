/**
 * End-to-end: `palisade rbac` on a live cluster (the fake API server over HTTPS, in its own process, and the built CLI) and on a
 * snapshot of it: the inventory comes from the same loaders as `palisade scan`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runBuiltCli as run } from './support/cluster-cli.js';
import { type FakeApiProcess, startFakeApiProcess } from './support/fake-apiserver-process.js';
import { writeKubeconfig } from './support/kubeconfig.js';
import { hasOpenssl } from './support/pki.js';

describe('palisade rbac on a cluster and a snapshot', { skip: hasOpenssl() ? false : 'openssl is not installed' }, () => {
  let dir: string;
  let server: FakeApiProcess;
  let kubeconfig: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-rbac-cluster-'));
    server = await startFakeApiProcess({ pki: dir, tokens: { t: 'admin' } });
    kubeconfig = writeKubeconfig(join(dir, 'kubeconfig'), [
      { name: 'prod', server: server.url, caFile: server.caFile as string, token: 't' },
      { name: 'prod-shop', server: server.url, caFile: server.caFile as string, token: 't', namespace: 'shop' },
    ]);
  });
  after(async () => {
    await server?.close();
  });

  it('answers can and who-can from the live cluster, then from its snapshot', async () => {
    const yes = await run(['rbac', 'can', 'sa:shop/default', 'list', 'secrets', '-n', 'shop', '--kubeconfig', kubeconfig], dir);
    assert.equal(yes.code, 0, yes.stderr);
    assert.match(yes.stdout, /^yes\nRBAC: allowed by RoleBinding "secret-reader\/shop" of Role "secret-reader"/);
    const no = await run(['rbac', 'can', 'sa:shop/default', 'list', 'secrets', '-n', 'payments', '--kubeconfig', kubeconfig], dir);
    assert.equal(no.code, 1, no.stderr);

    const file = join(dir, 'prod.snapshot.json.gz');
    assert.equal((await run(['snapshot', '--kubeconfig', kubeconfig, '-o', file], dir)).code, 0);
    const who = await run(['rbac', 'who-can', 'delete', 'nodes', '--snapshot', file, '-f', 'json'], dir);
    assert.equal(who.code, 0, who.stderr);
    assert.deepEqual(
      JSON.parse(who.stdout).subjects.map((s: { subject: string }) => s.subject),
      ['Group ops'],
    );
  });

  it("can: without -n the request is made in the kubeconfig context's namespace, as kubectl (issue 7)", async () => {
    // Context prod-shop sets namespace shop, where sa:shop/default may list Secrets.
    const inShop = await run(['rbac', 'can', 'sa:shop/default', 'list', 'secrets', '--kubeconfig', kubeconfig, '--context', 'prod-shop'], dir);
    assert.equal(inShop.code, 0, inShop.stdout + inShop.stderr);
    assert.match(inShop.stdout, /^yes\n/);
    // Context prod sets none: namespace default, where it may not.
    const inDefault = await run(['rbac', 'can', 'sa:shop/default', 'list', 'secrets', '--kubeconfig', kubeconfig, '--context', 'prod'], dir);
    assert.equal(inDefault.code, 1, inDefault.stdout + inDefault.stderr);
    assert.match(inDefault.stdout, /in namespace "?default"?|^no\n/);
  });
});
