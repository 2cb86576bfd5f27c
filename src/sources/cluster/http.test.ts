import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError, parseRetryAfter } from './http.js';

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates, and ignores anything else', () => {
    assert.equal(parseRetryAfter('3'), 3);
    assert.equal(parseRetryAfter(' 0 '), 0);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now), 5);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now), 0, 'a date in the past means now');
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(undefined), undefined);
  });
});

describe('ApiError', () => {
  it('says what happened in words, with the status and the attempts made', () => {
    assert.equal(
      new ApiError('http', 503, 'ServiceUnavailable', 'etcd is down', undefined, 3).describe(),
      'service unavailable (503): etcd is down (after 3 attempts)',
    );
    assert.equal(new ApiError('http', 429, 'TooManyRequests', '').describe(), 'too many requests (429)');
    assert.equal(new ApiError('http', 403, 'Forbidden', 'no').describe(), 'forbidden (403): no');
  });
});
