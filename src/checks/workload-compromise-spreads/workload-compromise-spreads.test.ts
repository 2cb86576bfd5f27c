import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runOn } from '../../../test/support/fixtures.js';
import check from './workload-compromise-spreads.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const fails = (text: string) => runOn([check], text).filter((f) => f.status === 'fail');

describe('workload-compromise-spreads', () => {
  it('reports the exec into a privileged pod, not the privileged pod itself', () => {
    const found = fails(fixture('fail.exec-into-privileged.yaml'));
    assert.deepEqual(
      found.map((f) => f.message),
      [
        'a compromised pod of Deployment shop/web reaches root on the node in 5 hops (run-in-container -> token-theft -> pod-exec -> exec-into-container -> privileged-escape)',
      ],
    );
  });

  it('passes without the service account token', () => {
    assert.deepEqual(fails(fixture('pass.no-token.yaml')), []);
  });
});
