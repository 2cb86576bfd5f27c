import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdmissionMetrics } from './metrics.js';

describe('webhook metrics (Prometheus text format)', () => {
  it('counts by label set, with cumulative histogram buckets, +Inf, sum and count', () => {
    const m = new AdmissionMetrics();
    m.requests.inc({ path: 'validate', code: '200' });
    m.requests.inc({ path: 'validate', code: '200' });
    m.requests.inc({ path: 'mutate', code: '400' });
    m.latency.observe({ path: 'validate' }, 0.0007);
    m.latency.observe({ path: 'validate' }, 0.003);
    m.latency.observe({ path: 'validate' }, 2);
    const text = m.render();
    assert.match(text, /^# TYPE palisade_admission_requests_total counter$/m);
    assert.match(text, /^palisade_admission_requests_total\{path="validate",code="200"\} 2$/m);
    assert.match(text, /^palisade_admission_requests_total\{path="mutate",code="400"\} 1$/m);
    assert.match(text, /^palisade_admission_request_duration_seconds_bucket\{path="validate",le="0.0005"\} 0$/m);
    assert.match(text, /^palisade_admission_request_duration_seconds_bucket\{path="validate",le="0.001"\} 1$/m);
    assert.match(text, /^palisade_admission_request_duration_seconds_bucket\{path="validate",le="0.005"\} 2$/m);
    assert.match(text, /^palisade_admission_request_duration_seconds_bucket\{path="validate",le="1"\} 2$/m);
    assert.match(text, /^palisade_admission_request_duration_seconds_bucket\{path="validate",le="\+Inf"\} 3$/m);
    assert.match(text, /^palisade_admission_request_duration_seconds_count\{path="validate"\} 3$/m);
    assert.match(text, /^palisade_admission_request_duration_seconds_sum\{path="validate"\} 2\.0037/m);
    assert.match(text, /^process_cpu_seconds_total [\d.]+$/m);
    // Every sample line is `name{labels} value` or `name value`.
    for (const line of text.split('\n').filter((l) => l !== '' && !l.startsWith('#'))) assert.match(line, /^[a-z_]+(\{[^}]*\})? [\d.e+-]+$/, line);
  });

  it('escapes label values', () => {
    const m = new AdmissionMetrics();
    m.verdicts.inc({ path: 'a"b\\c\nd' });
    assert.match(m.render(), /^palisade_admission_verdicts_total\{path="a\\"b\\\\c\\nd"\} 1$/m);
  });
});
