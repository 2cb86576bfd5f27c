import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { credentialsFor } from './credentials.js';
import { parsePlatform, selectPlatform } from './oci.js';
import { parseChallenge, RegistryClient, registryHost } from './registry.js';

const tmp = mkdtempSync(join(tmpdir(), 'palisade-creds-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('registry client pieces', () => {
  it('parses WWW-Authenticate challenges', () => {
    assert.deepEqual(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"'), {
      scheme: 'bearer',
      params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' },
    });
    assert.deepEqual(parseChallenge('Basic realm="Registry Realm"'), { scheme: 'basic', params: { realm: 'Registry Realm' } });
  });
  it('Docker Hub is reached at registry-1.docker.io; loopback over http; others over https unless insecure', () => {
    assert.equal(registryHost('docker.io'), 'registry-1.docker.io');
    assert.equal(new RegistryClient('127.0.0.1:5000', 'a').base, 'http://127.0.0.1:5000');
    assert.equal(new RegistryClient('localhost:5000', 'a').base, 'http://localhost:5000');
    assert.equal(new RegistryClient('ghcr.io', 'a').base, 'https://ghcr.io');
    assert.equal(new RegistryClient('reg.lan:5000', 'a', { insecureRegistries: ['reg.lan:5000'] }).base, 'http://reg.lan:5000');
  });
  it('platform selection ignores attestations and matches variants only when asked', () => {
    const index = {
      manifests: [
        { digest: 'sha256:a', platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        { digest: 'sha256:b', platform: { os: 'linux', architecture: 'amd64' } },
        { digest: 'sha256:c', platform: { os: 'unknown', architecture: 'unknown' } },
      ],
    };
    assert.equal(selectPlatform(index, parsePlatform('linux/arm64'), 'x').digest, 'sha256:a');
    assert.throws(() => selectPlatform(index, parsePlatform('linux/arm64/v7'), 'x'), /available: linux\/arm64\/v8, linux\/amd64\)/);
    assert.throws(() => parsePlatform('linux'), /not os\/arch/);
  });
});

describe('docker config credentials', () => {
  const write = (name: string, doc: unknown) => {
    const f = join(tmp, name);
    writeFileSync(f, JSON.stringify(doc));
    return f;
  };
  it('reads auths by host, URL forms and Docker Hub aliases', async () => {
    const f = write('a.json', {
      auths: {
        'https://index.docker.io/v1/': { auth: Buffer.from('hub:pw:with:colons').toString('base64') },
        'https://ghcr.io': { username: 'me', password: 'tok' },
        'quay.io': { identitytoken: 'refresh' },
      },
    });
    assert.deepEqual(await credentialsFor('docker.io', f), { username: 'hub', password: 'pw:with:colons' });
    assert.deepEqual(await credentialsFor('ghcr.io', f), { username: 'me', password: 'tok' });
    assert.deepEqual(await credentialsFor('quay.io', f), { identityToken: 'refresh' });
    assert.equal(await credentialsFor('other.io', f), undefined);
    assert.equal(await credentialsFor('other.io', join(tmp, 'missing.json')), undefined);
  });
  it('a helper that is not installed, or a bad helper name, is a clear error', async () => {
    const f = write('b.json', { credHelpers: { 'x.io': 'palisade-does-not-exist' }, credsStore: '../evil' });
    await assert.rejects(credentialsFor('x.io', f), /docker-credential-palisade-does-not-exist is not installed/);
    await assert.rejects(credentialsFor('y.io', f), /credential helper name "..\/evil" is not valid/);
    writeFileSync(join(tmp, 'c.json'), '{not json');
    await assert.rejects(credentialsFor('y.io', join(tmp, 'c.json')), /not valid JSON/);
  });
});
