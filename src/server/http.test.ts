import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePattern, HttpError, matchPattern, RateLimiter } from './http.js';

describe('route patterns', () => {
  it('match one segment per parameter, percent-decoded', () => {
    const p = compilePattern('/api/v1/clusters/{cluster}/findings/{id}');
    assert.deepEqual(matchPattern(p, '/api/v1/clusters/prod%2Feu/findings/abc'), { cluster: 'prod/eu', id: 'abc' });
    assert.equal(matchPattern(p, '/api/v1/clusters/prod/findings/abc/history'), undefined);
    assert.equal(matchPattern(p, '/api/v1/clusters//findings/abc'), undefined);
  });
  it('refuse malformed percent-encoding with a 400', () => {
    const p = compilePattern('/api/v1/scans/{id}');
    assert.throws(
      () => matchPattern(p, '/api/v1/scans/%E0%A4%A'),
      (e: unknown) => e instanceof HttpError && e.status === 400,
    );
  });
  it('escape literal characters', () => {
    assert.equal(matchPattern(compilePattern('/a.b'), '/aXb'), undefined);
  });
});

describe('RateLimiter', () => {
  it('allows a burst of perMinute, then refuses with a retry time, then refills', () => {
    const l = new RateLimiter(3);
    const t = 1_000_000;
    assert.deepEqual(
      [l.take('a', t), l.take('a', t), l.take('a', t)].map((r) => r.ok),
      [true, true, true],
    );
    const refused = l.take('a', t);
    assert.equal(refused.ok, false);
    assert.ok(!refused.ok && refused.retryAfter >= 1 && refused.retryAfter <= 20);
    assert.equal(l.take('b', t).ok, true, 'callers have their own buckets');
    assert.equal(l.take('a', t + 20_000).ok, true, 'one request back after 20 s at 3 per minute');
  });
  it('is off at 0', () => {
    const l = new RateLimiter(0);
    for (let i = 0; i < 100; i++) assert.equal(l.take('a', 0).ok, true);
  });
});
