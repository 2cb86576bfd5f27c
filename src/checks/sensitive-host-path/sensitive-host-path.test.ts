import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runOn } from '../../../test/support/fixtures.js';
import check from './sensitive-host-path.js';

describe('sensitive-host-path severities', () => {
  it('is critical for /, /run and /var/run, medium when read-only, high otherwise', () => {
    const path = new URL('./fixtures/fail.sensitive.yaml', import.meta.url).pathname;
    const fails = runOn([check], readFileSync(path, 'utf8')).filter((f) => f.status === 'fail');
    const bySource = Object.fromEntries(fails.map((f) => [String(f.evidence?.volume), f.severity]));
    assert.deepEqual(bySource, { root: 'critical', kubelet: 'high', etc: 'medium', proc: 'high', var: 'high', run: 'critical', tz: 'high' });
    assert.match(fails.find((f) => f.evidence?.volume === 'var')?.message ?? '', /contains \/var\/run, \/var\/lib\/kubelet, \/var\/lib\/etcd and 4 more/);
  });
});
