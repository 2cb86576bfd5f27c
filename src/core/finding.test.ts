import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EngineFinding, type FindingCheck, type FindingFields, FindingWriter, Locator, plainFinding } from './finding.js';
import type { PositionResolver, SourceLocation } from './types.js';

const CHECK: FindingCheck = { check: 'TST-0100', name: 'test', title: 'Test', defaultSeverity: 'low', category: 'test', frameworks: ['cis:1.2'] };

const FIELDS: FindingFields = {
  severity: 'low',
  status: 'fail',
  resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'a', name: 'p' },
  container: 'app',
  pointer: '/spec/containers/0/image',
  message: 'unpinned',
  evidence: { image: 'nginx' },
  fix: [{ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.27' }],
  exemption: undefined,
  affectedPods: undefined,
  line: undefined,
};

/** A resolver answering with `at` (and counting its calls). */
function resolver(at: (pointer: string) => SourceLocation): PositionResolver & { calls: number } {
  const r = {
    calls: 0,
    locate(pointer: string) {
      r.calls++;
      return at(pointer);
    },
  };
  return r;
}

describe('EngineFinding', () => {
  it('reads and writes a location it keeps as numbers like the resolver gave it', () => {
    const positions = resolver(() => ({ file: 'a.yaml', line: 12, column: 7 }));
    const locator = new Locator();
    const f = new EngineFinding(CHECK, FIELDS, { positions, location: { file: 'a.yaml', line: 1, column: 1 } }, locator);
    assert.equal(f.sourceFile, 'a.yaml');
    assert.equal(positions.calls, 0, 'resolved on first read only');
    assert.deepEqual(f.location, { file: 'a.yaml', line: 12, column: 7 });
    assert.deepEqual(Object.keys(f.location ?? {}), ['file', 'line', 'column']);
    assert.equal(positions.calls, 1);
    assert.equal(new FindingWriter().write(f), JSON.stringify(f));
    assert.equal(JSON.stringify(f), JSON.stringify(plainFinding(f)));
  });

  it('keeps locations that do not pack (a long line, a large line number, other keys) as they are', () => {
    const cases: SourceLocation[] = [
      { file: 'min.json', line: 1, column: 40_000 },
      { file: 'big.yaml', line: 2 ** 21, column: 3 },
      { file: 'x.yaml', line: 0, column: 0 },
      { file: 'x.yaml', line: 2 ** 20 - 1, column: 2 ** 11 - 1 },
      { file: 'x.yaml', line: 3, column: 4, offset: 99 } as SourceLocation,
      { line: 3, file: 'x.yaml', column: 4 },
    ];
    for (const at of cases) {
      const f = new EngineFinding(CHECK, FIELDS, { positions: resolver(() => at) }, new Locator());
      assert.deepEqual(f.location, at);
      assert.deepEqual(Object.keys(f.location ?? {}), Object.keys(at));
      assert.equal(new FindingWriter().write(f), JSON.stringify(f));
    }
  });

  it('falls back to the object start when the resolver cannot place the pointer', () => {
    const positions = resolver(() => {
      throw new Error('no such path');
    });
    const f = new EngineFinding(CHECK, FIELDS, { positions, location: { file: 'a.yaml', line: 4, column: 1 } }, new Locator());
    assert.deepEqual(f.location, { file: 'a.yaml', line: 4, column: 1 });
  });

  it('resolves every finding of a document in one request and releases the document', () => {
    let batches = 0;
    const positions: PositionResolver = {
      locate: () => assert.fail('locateMany answers'),
      locateMany(pointers) {
        batches++;
        return pointers.map((p, i) => ({ file: 'a.yaml', line: 10 + i, column: p.length }));
      },
    };
    const locator = new Locator();
    const fs = ['/a', '/bb', '/ccc'].map((pointer) => new EngineFinding(CHECK, { ...FIELDS, pointer }, { positions }, locator));
    assert.deepEqual(fs[2]?.location, { file: 'a.yaml', line: 12, column: 4 });
    assert.deepEqual(fs[0]?.location, { file: 'a.yaml', line: 10, column: 2 });
    assert.equal(batches, 1);
    // A finding added after the document was resolved opens a new list.
    const late = new EngineFinding(CHECK, { ...FIELDS, pointer: '/d' }, { positions }, locator);
    assert.deepEqual(late.location, { file: 'a.yaml', line: 10, column: 2 });
    assert.equal(batches, 2);
  });

  it('has a fix when failing and an exemption when exempt, never both', () => {
    const exemption = { reason: 'accepted', source: 'config' } as const;
    const exempt = new EngineFinding(CHECK, { ...FIELDS, status: 'exempt', fix: undefined, exemption }, undefined, undefined);
    assert.equal(exempt.exemption, exemption);
    assert.equal(exempt.fix, undefined);
    assert.equal(exempt.fixable, undefined);
    const failing = new EngineFinding(CHECK, FIELDS, undefined, undefined);
    assert.equal(failing.exemption, undefined);
    assert.equal(failing.fixable, true);
    assert.throws(() => new EngineFinding(CHECK, { ...FIELDS, exemption }, undefined, undefined), /fix or an exemption/);
    assert.throws(() => new EngineFinding(CHECK, { ...FIELDS, status: 'exempt' }, undefined, undefined), /exempt finding has no fix/);
    for (const f of [exempt, failing]) assert.equal(new FindingWriter().write(f), JSON.stringify(f));
  });

  it('reads and writes the grouping fields as set', () => {
    const f = new EngineFinding(CHECK, FIELDS, undefined, undefined);
    assert.deepEqual([f.groupId, f.rank, f.primary, f.related], [undefined, undefined, undefined, undefined]);
    const related = [{ check: 'TST-0101', name: 'other', severity: 'low' as const, pointer: '/spec' }];
    f.setGroup('g00000000000001', 3, true, related);
    assert.deepEqual([f.groupId, f.rank, f.primary, f.related], ['g00000000000001', 3, true, related]);
    assert.equal(new FindingWriter().write(f), JSON.stringify(f));
    f.setGroup('g00000000000002', 1, false, undefined);
    assert.deepEqual([f.groupId, f.rank, f.primary, f.related], ['g00000000000002', 1, false, undefined]);
    assert.equal(new FindingWriter().write(f), JSON.stringify(f));
    assert.throws(() => f.setGroup('g', 0, true, undefined), RangeError);
  });
});
