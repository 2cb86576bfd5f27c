import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scan } from '../scan.js';
import { EngineFinding, FindingWriter, plainFinding } from '../core/finding.js';
import { reporters } from './index.js';

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

describe('json reporter', () => {
  it('writes the report in small pieces that join to the documented text', async () => {
    // A report of many findings: pieces must stay below V8's regular object size (so that the
    // text of a large report dies young) and join to exactly the head plus one
    // JSON.stringify line per finding.
    const report = await scan(['demo/'], { includePassed: true });
    assert.ok(report.findings.length > 100, `expected many findings, got ${report.findings.length}`);
    const pieces = [...(reporters.json?.chunks?.(report, { color: false }) ?? [])];
    assert.ok(pieces.length > 2, `expected several pieces, got ${pieces.length}`);
    // The first piece is the report's head (checks, counts), written once.
    for (const p of pieces.slice(1)) assert.ok(p.length < 128 * 1024, `piece of ${p.length} characters`);
    const { findings, ...rest } = report;
    const head = JSON.stringify(rest, null, 2);
    const expected = `${head.slice(0, head.lastIndexOf('}')).trimEnd()},\n  "findings": [${findings.map((f, i) => `${i === 0 ? '' : ','}\n    ${JSON.stringify(f)}`).join('')}\n  ]\n}\n`;
    assert.equal(pieces.join(''), expected);
    assert.deepEqual(JSON.parse(pieces.join('')).findings.length, findings.length);
  });
});
