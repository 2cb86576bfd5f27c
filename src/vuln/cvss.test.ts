import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCvss, severityFromScore } from './cvss.js';

describe('parseCvss', () => {
  it('computes v3.1 base scores (values from the FIRST calculator)', () => {
    const cases: [string, number][] = [
      ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
      ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
      ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N', 5.5],
      ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10],
      ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 6.4],
      ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H', 5.9],
      ['CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N', 0],
    ];
    for (const [vector, score] of cases) assert.equal(parseCvss(vector)?.score, score, vector);
  });

  it('computes v3.0 and v2 scores', () => {
    assert.equal(parseCvss('CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N')?.score, 5.9);
    assert.equal(parseCvss('AV:N/AC:L/Au:N/C:P/I:P/A:P')?.score, 7.5);
    assert.equal(parseCvss('AV:N/AC:M/Au:N/C:N/I:P/A:N')?.score, 4.3);
    assert.equal(parseCvss('(AV:N/AC:L/Au:N/C:C/I:C/A:C)')?.version, '2.0');
  });

  it('parses v4.0 vectors and keeps the score the advisory states', () => {
    const v4 = parseCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3);
    assert.equal(v4?.version, '4.0');
    assert.equal(v4?.score, 9.3);
    assert.equal(v4?.metrics.VC, 'H');
    assert.equal(parseCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')?.score, undefined);
  });

  it('rejects malformed vectors', () => {
    for (const bad of [
      'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      'CVSS:3.1/AV:N',
      'CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      'nonsense',
      'CVSS:4.0/AV:N',
    ])
      assert.equal(parseCvss(bad), undefined, bad);
  });

  it('maps scores to the qualitative bands', () => {
    assert.deepEqual([9.0, 8.9, 7.0, 6.9, 4.0, 3.9, 0.1, 0].map(severityFromScore), ['critical', 'high', 'high', 'medium', 'medium', 'low', 'low', 'info']);
  });
});
