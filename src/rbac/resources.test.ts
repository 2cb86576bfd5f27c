import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseResourceArgument } from './resources.js';

const short = (text: string) => {
  const r = parseResourceArgument(text);
  return r.kind === 'nonResource' ? `url ${r.path}` : `${r.resource}|${r.apiGroup}|${r.subresource ?? ''}|${r.known ? 'known' : 'unknown'}`;
};

describe('parseResourceArgument', () => {
  it('resolves plural, singular, short names and kinds to the built-in resource', () => {
    assert.equal(short('pods'), 'pods|||known');
    assert.equal(short('pod'), 'pods|||known');
    assert.equal(short('po'), 'pods|||known');
    assert.equal(short('deploy'), 'deployments|apps||known');
    assert.equal(short('Deployment'), 'deployments|apps||known');
    assert.equal(short('csr'), 'certificatesigningrequests|certificates.k8s.io||known');
    assert.equal(short('ingresses'), 'ingresses|networking.k8s.io||known');
  });
  it('reads groups and versions', () => {
    assert.equal(short('deployments.apps'), 'deployments|apps||known');
    assert.equal(short('deployments.v1.apps'), 'deployments|apps||known');
    assert.equal(short('widgets.example.com'), 'widgets|example.com||unknown');
  });
  it('reads subresources', () => {
    assert.equal(short('pods/exec'), 'pods||exec|known');
    assert.equal(short('deploy/scale'), 'deployments|apps|scale|known');
    assert.equal(short('serviceaccounts/token'), 'serviceaccounts||token|known');
  });
  it('* is every resource of the core group (as kubectl sends it), *.* of every group', () => {
    assert.equal(short('*'), '*|||unknown');
    assert.equal(short('*.*'), '*|*||unknown');
  });
  it('a leading / is a non-resource URL', () => {
    assert.equal(short('/healthz'), 'url /healthz');
  });
  it('unknown names are taken literally in the core group', () => {
    assert.equal(short('gizmos'), 'gizmos|||unknown');
  });
});
