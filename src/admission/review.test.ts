import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { InvalidReviewError, parseAdmissionReview, reviewResponse } from './review.js';

const recorded = (): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL('./fixtures/008-update-pods-ephemeralcontainers.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('AdmissionReview parsing', () => {
  it('reads a recorded v1 review: operation, subresource, user, both objects', () => {
    const r = parseAdmissionReview(recorded());
    assert.equal(r.operation, 'UPDATE');
    assert.equal(r.subResource, 'ephemeralcontainers');
    assert.equal(r.namespace, 'samples-admission');
    assert.equal(r.userInfo.username, 'admin');
    assert.ok(r.userInfo.groups.includes('system:masters'));
    assert.equal(r.kind.kind, 'Pod');
    assert.equal((r.object as { kind: string }).kind, 'Pod');
    assert.equal((r.oldObject as { kind: string }).kind, 'Pod');
    assert.equal(r.dryRun, false);
  });

  it('rejects what is not a v1 AdmissionReview with a request, naming the field', () => {
    const cases: [unknown, RegExp][] = [
      ['x', /must be a JSON object/],
      [{ ...recorded(), apiVersion: 'admission.k8s.io/v1beta1' }, /apiVersion must be admission.k8s.io\/v1/],
      [{ ...recorded(), kind: 'Pod' }, /kind must be AdmissionReview/],
      [{ ...recorded(), request: null }, /request must be an object/],
      [{ ...recorded(), request: { ...(recorded().request as object), uid: '' } }, /request.uid/],
      [{ ...recorded(), request: { ...(recorded().request as object), operation: 'PATCH' } }, /request.operation must be one of/],
      [{ ...recorded(), request: { ...(recorded().request as object), kind: { group: '' } } }, /request.kind.kind/],
      [{ ...recorded(), request: { ...(recorded().request as object), object: [1] } }, /request.object must be an object or null/],
    ];
    for (const [body, message] of cases)
      assert.throws(
        () => parseAdmissionReview(body),
        (e: unknown) => e instanceof InvalidReviewError && message.test(e.message),
      );
  });

  it('wraps a response in an AdmissionReview', () => {
    assert.deepEqual(reviewResponse({ uid: 'u', allowed: true }), {
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid: 'u', allowed: true },
    });
  });
});
