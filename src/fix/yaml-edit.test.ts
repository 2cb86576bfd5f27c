import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import type { FixOperation } from '../core/check.js';
import { applyFixes } from '../core/fix.js';
import type { JsonObject } from '../core/types.js';
import { rebaseOperations } from './plan.js';
import { detectStyle, EditError, editDocument, editStream, type StreamEdit } from './yaml-edit.js';

const dir = new URL('./__golden__/', import.meta.url).pathname;
const cases = parse(readFileSync(join(dir, 'cases.yaml'), 'utf8')) as Record<string, StreamEdit[]>;

function objectAt(doc: unknown, path: readonly (string | number)[] = []): JsonObject {
  let cur: unknown = doc;
  for (const t of path) cur = (cur as Record<string | number, unknown>)[t];
  return cur as JsonObject;
}

describe('the YAML editor golden corpus', () => {
  it('has an input for every case and a case for every input', () => {
    const inputs = readdirSync(dir)
      .filter((f) => f.includes('.input.'))
      .map((f) => f.split('.input.')[0]);
    assert.deepEqual(inputs.sort(), Object.keys(cases).sort());
  });

  for (const [name, edits] of Object.entries(cases)) {
    const inputFile = readdirSync(dir).find((f) => f.startsWith(`${name}.input.`)) as string;
    const ext = inputFile.slice(inputFile.lastIndexOf('.'));
    const input = readFileSync(join(dir, inputFile), 'utf8');
    const outputFile = join(dir, `${name}.output${ext}`);

    it(`${name}: gives the golden output`, () => {
      const output = editStream(input, edits);
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(outputFile, output);
      assert.ok(existsSync(outputFile), `no golden ${name}.output${ext}`);
      assert.equal(output, readFileSync(outputFile, 'utf8'));
    });

    it(`${name}: means what the operations say (the parsed output is the patched input)`, () => {
      const output = editStream(input, edits);
      const before = parseAllDocuments(input).map((d) => d.toJS());
      const after = parseAllDocuments(output).map((d) => d.toJS());
      assert.equal(after.length, before.length);
      for (let i = 0; i < before.length; i++) {
        let want = before[i];
        for (const e of edits.filter((x) => x.document === i)) {
          const patched = applyFixes(objectAt(want, e.object), e.ops as FixOperation[]);
          want =
            e.object && e.object.length > 0 ? applyFixes(want as JsonObject, [{ op: 'replace', path: `/${e.object.join('/')}`, value: patched }]) : patched;
        }
        assert.deepEqual(after[i], want, `document ${i}`);
      }
    });

    it(`${name}: keeps every comment, line ending and document marker`, () => {
      const output = editStream(input, edits);
      const comments = (t: string) => t.split('\n').flatMap((l) => (/(^|\s)#.*/.exec(l) ? [/(^|\s)(#.*)/.exec(l)?.[2]] : []));
      assert.deepEqual(comments(output), comments(input));
      assert.equal((output.match(/\r\n/g) ?? []).length > 0, (input.match(/\r\n/g) ?? []).length > 0);
      assert.equal(output.split('\n').filter((l) => /^(---|\.\.\.)/.test(l)).length, input.split('\n').filter((l) => /^(---|\.\.\.)/.test(l)).length);
      if (ext === '.json') assert.doesNotThrow(() => JSON.parse(output));
    });

    it(`${name}: is idempotent (the operations rebased on the output change nothing)`, () => {
      const output = editStream(input, edits);
      const docs = parseAllDocuments(output).map((d) => d.toJS());
      for (const e of edits) assert.deepEqual(rebaseOperations(objectAt(docs[e.document], e.object), e.ops as FixOperation[]), []);
    });
  }
});

describe('editDocument', () => {
  it('refuses to edit through an alias, naming it', () => {
    const text = readFileSync(join(dir, 'anchors.input.yaml'), 'utf8');
    assert.throws(
      () => editDocument(text, [], [{ op: 'add', path: '/spec/template/metadata/labels/tier', value: 'web' }]),
      (err: unknown) => err instanceof EditError && /alias \(\*labels\)/.test(err.message),
    );
  });

  it('refuses a document that does not parse', () => {
    assert.throws(() => editDocument('a: [1\n', [], [{ op: 'add', path: '/b', value: 1 }]), EditError);
  });

  it('detects the style of a document', () => {
    assert.deepEqual(detectStyle('a:\r\n    b:\r\n    - 1\r\n'), { newline: '\r\n', indent: 4, indentSeq: false, json: false });
    assert.equal(detectStyle('{"a":{"b":"x, y: z"}}').compact, true);
    assert.equal(detectStyle('{"a": 1}').compact, undefined);
    assert.equal(detectStyle('{"a": 1}').json, true);
  });
});
