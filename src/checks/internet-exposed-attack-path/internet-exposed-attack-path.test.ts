import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runOn } from '../../../test/support/fixtures.js';
import check from './internet-exposed-attack-path.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const fails = (text: string) => runOn([check], text).filter((f) => f.status === 'fail');

describe('internet-exposed-attack-path', () => {
  it('names the entry, the sink, the hops and the score', () => {
    const [f, ...more] = fails(fixture('fail.ingress-to-cluster-admin.yaml'));
    assert.deepEqual(more, []);
    assert.equal(
      f?.message,
      'Deployment shop/web is reachable from the internet (Ingress shop/web) and leads to cluster-admin in 3 hops (exploit-exposed-service -> token-theft -> rbac:bind); score 2.6',
    );
    assert.deepEqual(f?.evidence?.sinks, ['cluster-admin', 'all-secrets', 'node-root', 'cloud-credentials']);
  });

  it('passes once a default-deny ingress policy closes the way in', () => {
    assert.deepEqual(fails(fixture('pass.default-deny-ingress.yaml')), []);
  });
});
