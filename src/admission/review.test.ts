import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { InvalidReviewError, parseAdmissionReview, reviewResponse } from './review.js';

const fixture = (): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL('./fixtures/update-pod-ephemeralcontainers.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('AdmissionReview parsing', () => {
  it('reads a v1 review: operation, subresource, user, both objects', () => {
    const r = parseAdmissionReview(fixture());
    assert.equal(r.operation, 'UPDATE');
    assert.equal(r.subResource, 'ephemeralcontainers');
    assert.equal(r.namespace, 'shop');
    assert.equal(r.userInfo.username, 'dev-lee');
    assert.ok(r.userInfo.groups.includes('developers'));
    assert.equal(r.kind.kind, 'Pod');
    assert.equal((r.object as { kind: string }).kind, 'Pod');
    assert.equal((r.oldObject as { kind: string }).kind, 'Pod');
    assert.equal(r.dryRun, false);
  });

  it('rejects what is not a v1 AdmissionReview with a request, naming the field', () => {
    const cases: [unknown, RegExp][] = [
      ['x', /must be a JSON object/],
      [{ ...fixture(), apiVersion: 'admission.k8s.io/v1beta1' }, /apiVersion must be admission.k8s.io\/v1/],
      [{ ...fixture(), kind: 'Pod' }, /kind must be AdmissionReview/],
      [{ ...fixture(), request: null }, /request must be an object/],
      [{ ...fixture(), request: { ...(fixture().request as object), uid: '' } }, /request.uid/],
      [{ ...fixture(), request: { ...(fixture().request as object), operation: 'PATCH' } }, /request.operation must be one of/],
      [{ ...fixture(), request: { ...(fixture().request as object), kind: { group: '' } } }, /request.kind.kind/],
      [{ ...fixture(), request: { ...(fixture().request as object), object: [1] } }, /request.object must be an object or null/],
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
