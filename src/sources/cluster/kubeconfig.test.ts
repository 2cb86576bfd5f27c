import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, it } from 'node:test';
import { PalisadeError } from '../../core/errors.js';
import { IN_CLUSTER_CONTEXT, prepareKubeconfig, resolveClusterTargets } from './kubeconfig.js';

function config(contexts: { name: string; server: string; user?: Record<string, unknown>; ca?: string }[], current?: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: contexts.map((c) => ({ name: c.name, cluster: { server: c.server, ...(c.ca ? { 'certificate-authority': c.ca } : {}) } })),
    users: contexts.map((c) => ({ name: c.name, user: c.user ?? { token: `token-${c.name}` } })),
    contexts: contexts.map((c) => ({ name: c.name, context: { cluster: c.name, user: c.name } })),
    ...(current ? { 'current-context': current } : {}),
  });
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'palisade-kc-'));

describe('resolveClusterTargets', () => {
  it('merges KUBECONFIG files as kubectl: first definition and first current-context win, missing files are ignored', async () => {
    const d = tmp();
    const a = join(d, 'a');
    const b = join(d, 'b');
    writeFileSync(a, config([{ name: 'dev', server: 'https://dev.example:6443' }], 'dev'));
    writeFileSync(
      b,
      config(
        [
          { name: 'dev', server: 'https://shadowed.example:6443' },
          { name: 'prod', server: 'https://prod.example:6443' },
        ],
        'prod',
      ),
    );
    const env = { KUBECONFIG: [a, join(d, 'missing'), b].join(delimiter) };
    const current = await resolveClusterTargets({ env });
    assert.deepEqual(
      current.map((t) => [t.context, t.server]),
      [['dev', 'https://dev.example:6443']],
    );
    const all = await resolveClusterTargets({ env, allContexts: true });
    assert.deepEqual(
      all.map((t) => [t.context, t.server]),
      [
        ['dev', 'https://dev.example:6443'],
        ['prod', 'https://prod.example:6443'],
      ],
    );
    const chosen = await resolveClusterTargets({ env, contexts: ['prod'] });
    assert.equal(chosen[0]?.kubeConfig.getCurrentContext(), 'prod');
    assert.equal(chosen[0]?.kubeConfig.getCurrentUser()?.token, 'token-prod');
  });

  it('prefers --kubeconfig over KUBECONFIG and names unknown contexts', async () => {
    const d = tmp();
    const f = join(d, 'only');
    writeFileSync(f, config([{ name: 'one', server: 'https://one.example' }], 'one'));
    const targets = await resolveClusterTargets({ kubeconfig: f, env: { KUBECONFIG: join(d, 'nope') } });
    assert.equal(targets[0]?.context, 'one');
    await assert.rejects(
      resolveClusterTargets({ kubeconfig: f, contexts: ['two'] }),
      (e: unknown) => e instanceof PalisadeError && e.code === 'usage' && /--context two: no such context .*available: one/.test(e.message),
    );
    await assert.rejects(
      resolveClusterTargets({ kubeconfig: join(d, 'absent') }),
      (e: unknown) => e instanceof PalisadeError && e.code === 'kubeconfig-invalid',
    );
  });

  it('resolves relative paths against the kubeconfig file and gives exec plugins KUBERNETES_EXEC_INFO', () => {
    const raw = prepareKubeconfig(
      {
        clusters: [{ name: 'c', cluster: { server: 'https://x', 'certificate-authority': 'pki/ca.crt' } }],
        users: [{ name: 'u', user: { 'client-certificate': '/abs/cert.pem', 'client-key': 'key.pem', exec: { command: './bin/auth', args: [] } } }],
      },
      '/home/me/.kube',
    );
    const cluster = (raw.clusters as { cluster: Record<string, unknown> }[])[0]?.cluster;
    const user = (raw.users as { user: Record<string, unknown> }[])[0]?.user as Record<string, unknown>;
    assert.equal(cluster?.['certificate-authority'], '/home/me/.kube/pki/ca.crt');
    assert.equal(user['client-certificate'], '/abs/cert.pem');
    assert.equal(user['client-key'], '/home/me/.kube/key.pem');
    const exec = user.exec as { command: string; env: { name: string; value: string }[] };
    assert.equal(exec.command, '/home/me/.kube/bin/auth');
    const info = JSON.parse(exec.env.find((e) => e.name === 'KUBERNETES_EXEC_INFO')?.value ?? '{}');
    assert.deepEqual(info, { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', spec: { interactive: false } });
  });

  it('uses the in-cluster service account when there is no kubeconfig', async () => {
    const d = tmp();
    const sa = join(d, 'sa');
    mkdirSync(sa);
    writeFileSync(join(sa, 'token'), 'projected-token');
    writeFileSync(join(sa, 'ca.crt'), 'not used here');
    const targets = await resolveClusterTargets({
      env: { HOME: join(d, 'home'), KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' },
      serviceAccountDir: sa,
    });
    assert.equal(targets[0]?.context, IN_CLUSTER_CONTEXT);
    assert.equal(targets[0]?.server, 'https://10.96.0.1:443');
    await assert.rejects(
      resolveClusterTargets({ env: { HOME: join(d, 'home') }, serviceAccountDir: sa }),
      (e: unknown) => e instanceof PalisadeError && /no cluster configured/.test(e.message),
    );
  });

  it('rejects a broken kubeconfig with its file name', async () => {
    const d = tmp();
    const f = join(d, 'broken');
    writeFileSync(f, 'clusters: [\n');
    await assert.rejects(resolveClusterTargets({ kubeconfig: f }), (e: unknown) => e instanceof PalisadeError && e.message.startsWith(`${f}:`));
  });
});
