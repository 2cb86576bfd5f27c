import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryOf } from '../../test/support/fixtures.js';
import { ExceptionMatcher, globMatch } from './exceptions.js';

const { inventory } = inventoryOf(`apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: cni-agent
  namespace: kube-system
  annotations:
    palisade.dev/ignore.host-network: "CNI needs the host network"
spec: {}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec: {}
`);
const [ds, web] = inventory.all;

describe('globMatch', () => {
  it('matches * and ? over the whole string, escaping the rest', () => {
    assert.ok(globMatch('kube-*', 'kube-system'));
    assert.ok(!globMatch('kube-*', 'xkube-system'));
    assert.ok(globMatch('PAL-00??', 'PAL-0012'));
    assert.ok(!globMatch('a.b', 'axb'));
  });
});

describe('ExceptionMatcher', () => {
  it('applies annotations by check name or id', () => {
    assert.ok(ds && web);
    const m = new ExceptionMatcher([], '2026-11-23');
    assert.deepEqual(m.match({ checkId: 'PAL-0002', checkName: 'host-network', resource: ds }), { reason: 'CNI needs the host network', source: 'annotation' });
    assert.equal(m.match({ checkId: 'PAL-0002', checkName: 'host-network', resource: web }), undefined);
  });

  it('matches config rules on kind, namespace, name and container globs', () => {
    assert.ok(ds && web);
    const m = new ExceptionMatcher([{ check: 'PAL-01*', namespace: 'shop', kind: 'Deploy*', name: 'w?b', container: 'app', reason: 'legacy' }], '2026-11-23');
    assert.ok(m.match({ checkId: 'PAL-0101', checkName: 'x', resource: web, container: 'app' }));
    assert.equal(m.match({ checkId: 'PAL-0101', checkName: 'x', resource: web, container: 'sidecar' }), undefined);
    assert.equal(m.match({ checkId: 'PAL-0101', checkName: 'x', resource: web }), undefined);
    assert.equal(m.match({ checkId: 'PAL-0201', checkName: 'x', resource: web, container: 'app' }), undefined);
    assert.equal(m.unused.length, 0);
  });

  it('stops applying expired rules and lists them', () => {
    assert.ok(web);
    const rules = [
      { check: 'PAL-0100', reason: 'old', expires: '2026-11-22' },
      { check: 'PAL-0100', reason: 'today is still valid', expires: '2026-11-23' },
    ];
    const m = new ExceptionMatcher(rules, '2026-11-23');
    assert.equal(m.expired.length, 1);
    assert.equal(m.match({ checkId: 'PAL-0100', checkName: 'x', resource: web })?.reason, 'today is still valid');
    const later = new ExceptionMatcher(rules, '2026-11-24');
    assert.equal(later.match({ checkId: 'PAL-0100', checkName: 'x', resource: web }), undefined);
    assert.equal(later.expired.length, 2);
  });

  it('never waives non-waivable checks, by annotation or config', () => {
    assert.ok(ds);
    const m = new ExceptionMatcher([{ check: '*', reason: 'all' }], '2026-11-23', ['host-network']);
    assert.equal(m.match({ checkId: 'PAL-0002', checkName: 'host-network', resource: ds }), undefined);
    assert.ok(m.match({ checkId: 'PAL-0003', checkName: 'other', resource: ds }));
  });
});
