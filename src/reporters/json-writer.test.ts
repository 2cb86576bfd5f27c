import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scan } from '../scan.js';
import { EngineFinding, FindingWriter, plainFinding } from '../core/finding.js';

describe('FindingWriter', () => {
  it('writes every finding of a scan exactly as JSON.stringify does', async () => {
    // The demo manifests give findings with containers, evidence, fixes, related findings,
    // several frameworks and none; passes add findings without a location or evidence.
    const report = await scan(['demo/'], { includePassed: true });
    const engine = report.findings.filter((f) => f instanceof EngineFinding);
    assert.ok(engine.length > 100, `expected the engine's findings, got ${engine.length}`);
    assert.ok(
      engine.some((f) => f.related !== undefined),
      'expected grouped findings',
    );
    assert.ok(
      engine.some((f) => f.fix !== undefined),
      'expected findings with a fix',
    );
    assert.ok(
      engine.some((f) => f.status === 'pass'),
      'expected passes',
    );
    const writer = new FindingWriter();
    for (const f of report.findings) assert.equal(writer.write(f), JSON.stringify(f));
  });

  it('writes copied (plain) findings through JSON.stringify', async () => {
    const report = await scan(['demo/']);
    const writer = new FindingWriter();
    const plain = { ...plainFinding(report.findings[0] as EngineFinding), message: 'reworded "quoted"\n' };
    assert.equal(writer.write(plain), JSON.stringify(plain));
  });
});
