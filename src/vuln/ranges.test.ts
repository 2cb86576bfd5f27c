import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AffectedPackage } from './advisory.js';
import { comparePep440 } from './pep440.js';
import { aboveBound, evaluateAffected, evaluateRange, higherBound, upperBound } from './ranges.js';
import { compareGo } from './semver.js';

const entry = (over: Partial<AffectedPackage>): AffectedPackage => ({
  advisory: 'X-1',
  ecosystem: 'PyPI',
  name: 'pkg',
  ranges: [],
  versions: [],
  source: 'osv',
  ...over,
});

describe('evaluateRange', () => {
  const two = { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.3.8' }, { introduced: '3.0.0' }, { fixed: '3.0.1' }] };
  it('walks several introduced/fixed pairs and names the fix above the version', () => {
    assert.deepEqual(evaluateRange(two, '1.0', comparePep440), { affected: true, fixed: '2.3.8' });
    assert.deepEqual(evaluateRange(two, '2.3.8', comparePep440), { affected: false });
    assert.deepEqual(evaluateRange(two, '2.9', comparePep440), { affected: false });
    assert.deepEqual(evaluateRange(two, '3.0.0', comparePep440), { affected: true, fixed: '3.0.1' });
    assert.deepEqual(evaluateRange(two, '3.0.1', comparePep440), { affected: false });
  });

  it('orders events by version whatever their order in the record', () => {
    const shuffled = { type: 'ECOSYSTEM', events: [{ fixed: '3.0.1' }, { introduced: '3.0.0' }, { fixed: '2.3.8' }, { introduced: '0' }] };
    assert.deepEqual(evaluateRange(shuffled, '3.0.0', comparePep440), { affected: true, fixed: '3.0.1' });
    assert.deepEqual(evaluateRange(shuffled, '2.5', comparePep440), { affected: false });
  });

  it('treats last_affected as inclusive and reports no fix', () => {
    const r = { type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { last_affected: '1.4' }] };
    assert.deepEqual(evaluateRange(r, '0.9', comparePep440), { affected: false });
    assert.deepEqual(evaluateRange(r, '1.4', comparePep440), { affected: true, lastAffected: '1.4' });
    assert.deepEqual(evaluateRange(r, '1.4.1', comparePep440), { affected: false });
  });

  it('stops at a limit', () => {
    const r = { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { limit: '2.0' }] };
    assert.equal(evaluateRange(r, '1.9', comparePep440).affected, true);
    assert.equal(evaluateRange(r, '2.0', comparePep440).affected, false);
    assert.equal(evaluateRange({ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { limit: '*' }] }, '99', comparePep440).affected, true);
  });

  it('an introduced-only range affects every later version, without a fix', () => {
    assert.deepEqual(evaluateRange({ type: 'SEMVER', events: [{ introduced: '1.20.0-0' }] }, '1.20.0', compareGo), { affected: true });
    assert.deepEqual(evaluateRange({ type: 'SEMVER', events: [{ introduced: '1.20.0-0' }] }, '1.19.9', compareGo), { affected: false });
  });
});

describe('evaluateAffected', () => {
  it('counts a version listed in versions even outside the ranges', () => {
    const e = entry({ ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.0' }, { fixed: '2.1' }] }], versions: ['1.5'] });
    assert.deepEqual(evaluateAffected(e, '1.5'), { affected: true });
    assert.deepEqual(evaluateAffected(e, '2.0'), { affected: true, fixed: '2.1' });
    assert.deepEqual(evaluateAffected(e, '1.6'), { affected: false });
  });

  it('ignores GIT ranges', () => {
    const e = entry({ ranges: [{ type: 'GIT', events: [{ introduced: '0' }, { fixed: 'abc123' }] }] });
    assert.deepEqual(evaluateAffected(e, '1.0'), { affected: false });
  });

  it('orders SEMVER ranges by SemVer in any ecosystem, Go pseudo-versions included', () => {
    const go = entry({ ecosystem: 'Go', ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '0.0.0-20220906165146-f3363e06e74c' }] }] });
    assert.equal(evaluateAffected(go, 'v0.0.0-20220722155237-a158d28d115b').affected, true);
    assert.equal(evaluateAffected(go, 'v0.0.0-20221001000000-000000000000').affected, false);
    const npm = entry({ ecosystem: 'npm', ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }] });
    assert.equal(evaluateAffected(npm, '4.17.20').affected, true);
  });

  it('prefers the lowest fix when several ranges match', () => {
    const e = entry({
      ranges: [
        { type: 'ECOSYSTEM', events: [{ introduced: '0' }] },
        { type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { fixed: '1.2' }] },
        { type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { fixed: '1.5' }] },
      ],
    });
    assert.deepEqual(evaluateAffected(e, '1.1'), { affected: true, fixed: '1.2' });
  });

  it('says unknown, not unaffected, when the ecosystem has no comparator', () => {
    const e = entry({ ecosystem: 'CRAN', ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0' }] }] });
    assert.equal(evaluateAffected(e, '0.5').affected, 'unknown');
    assert.deepEqual(evaluateAffected({ ...e, versions: ['0.5'] }, '0.5'), { affected: true });
  });
});

describe('upperBound', () => {
  it('is the highest fixed, limit or last_affected event of the ranges, or the highest listed version', () => {
    const e = entry({
      ranges: [
        { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.3.8' }, { introduced: '3.0.0' }, { fixed: '3.0.1' }] },
        { type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { last_affected: '3.0.1' }] },
      ],
    });
    assert.deepEqual(upperBound(e, comparePep440), { version: '3.0.1', inclusive: true });
    assert.deepEqual(upperBound(entry({ versions: ['1.0', '1.10', '1.9'] }), comparePep440), { version: '1.10', inclusive: true });
    assert.deepEqual(
      upperBound(entry({ ranges: [{ type: 'ECOSYSTEM', events: [{ fixed: '2.0' }, { introduced: '1.0' }, { limit: '3.0' }] }] }), comparePep440),
      {
        version: '3.0',
        inclusive: false,
      },
    );
  });

  it('is undefined when a range stays open, the distro says not affected, or nothing orders the versions', () => {
    assert.equal(
      upperBound(entry({ ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0' }, { introduced: '2.0' }] }] }), comparePep440),
      undefined,
    );
    assert.equal(upperBound(entry({ ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] }), comparePep440), undefined);
    assert.equal(upperBound(entry({ status: 'not-affected' }), comparePep440), undefined);
    assert.equal(upperBound(entry({ versions: ['1.0'] }), undefined), undefined);
    // A SEMVER range in PyPI is evaluated by SemVer, not PEP 440: no bound in PEP 440 terms.
    assert.equal(upperBound(entry({ ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }] }), comparePep440), undefined);
    assert.deepEqual(upperBound(entry({ ecosystem: 'Go', ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.20.2' }] }] }), compareGo), {
      version: '1.20.2',
      inclusive: false,
    });
  });

  it('is null for an entry that affects no version; aboveBound agrees with evaluateAffected', () => {
    assert.equal(upperBound(entry({ ranges: [{ type: 'GIT', events: [{ introduced: 'abc' }] }] }), comparePep440), null);
    const e = entry({
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.3.8' }, { introduced: '3.0.0' }, { last_affected: '3.0.4' }] }],
    });
    const bound = upperBound(e, comparePep440);
    assert.ok(bound);
    for (const v of ['0.1', '2.3.7', '2.3.8', '3.0.0', '3.0.4', '3.0.5', '10.0']) {
      if (aboveBound(v, bound, comparePep440)) assert.equal(evaluateAffected(e, v, comparePep440).affected, false, v);
    }
    assert.equal(aboveBound('3.0.4', bound, comparePep440), false);
    assert.equal(aboveBound('3.0.5', bound, comparePep440), true);
    assert.deepEqual(higherBound({ version: '1.2', inclusive: false }, { version: '1.2', inclusive: true }, comparePep440), {
      version: '1.2',
      inclusive: true,
    });
    assert.deepEqual(higherBound({ version: '1.10', inclusive: false }, { version: '1.9', inclusive: true }, comparePep440), {
      version: '1.10',
      inclusive: false,
    });
  });
});
