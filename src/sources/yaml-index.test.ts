import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { escapeToken } from '../core/pointer.js';
import { indexBlockYaml, indexBlockYamlTree, type LinePos, locateInBlockYaml, type PositionNode } from './yaml-index.js';
import { listenerPositions, loadYamlStream, splitDocuments } from './yaml-loader.js';

/** The tree index as pointers, to compare it with the map form. */
function flatten(node: PositionNode, pointer: string, out: Map<string, LinePos>): Map<string, LinePos> {
  for (const [token, kid] of node.kids ?? []) {
    const p = `${pointer}/${escapeToken(token)}`;
    out.set(p, { line: kid.line, col: kid.col });
    flatten(kid, p, out);
  }
  return out;
}

/** The index must agree with js-yaml's listener on every key and item it indexes; both forms alike. */
function agree(src: string, label: string): 'indexed' | 'fallback' {
  const index = indexBlockYaml(src);
  const tree = indexBlockYamlTree(src);
  assert.equal(tree === undefined, index === undefined, `${label}: tree and map forms disagree on whether to index`);
  if (!index || !tree) return 'fallback';
  assert.deepEqual(flatten(tree.root, '', new Map()), index, `${label}: tree form`);
  assert.deepEqual(tree.first, index.values().next().value, `${label}: first key`);
  const ref = listenerPositions(src);
  for (const [pointer, pos] of ref) {
    const got = index.get(pointer);
    // Keys inside one-line flow collections are not indexed: they resolve to their parent.
    if (got === undefined) continue;
    assert.deepEqual(got, pos, `${label}: ${pointer}`);
  }
  for (const pointer of index.keys()) assert.ok(ref.has(pointer), `${label}: index has ${pointer}, which the document lacks`);
  return 'indexed';
}

const CASES: Record<string, string> = {
  nested: 'a:\n  b:\n    c: 1\n  d: [1, 2]\ne: x\n',
  k8sLists: 'spec:\n  containers:\n  - name: a\n    image: x\n    ports:\n    - containerPort: 80\n  - name: b\nvolumes:\n- name: v\n',
  indentedLists: 'spec:\n  containers:\n    - name: a\n      args:\n        - --x\n        - --y\n    - name: b\n',
  blockScalars: 'data:\n  script: |\n    key: not a key\n    - not an item\n  other: >-\n    folded\n  after: 1\n',
  quotedKeys: 'metadata:\n  annotations:\n    "a/b": "1"\n    \'c: d\': x\n    palisade.dev/ignore.host-pid: reason\n',
  nestedSeqs: 'm:\n- - a\n  - b\n- - c\n',
  dashThenMap: 'items:\n-\n  name: a\n- name: b\n',
  bareNested: 'items:\n-\n  - a\n  - b\n- c\n',
  anchors: 'base: &b\n  x: 1\nother: *b\nlist: &l\n- 1\n',
  comments: '# head\na: 1 # trailing\n# between\nb:\n  # inside\n  c: 2\n',
  emptyValues: 'a:\nb:\n  c:\n  d: 1\n',
  docMarker: '---\napiVersion: v1\nkind: Pod\n',
  multilinePlain: 'description: a long\n  plain scalar\nnext: 1\n',
};

describe('indexBlockYaml', () => {
  for (const [name, src] of Object.entries(CASES)) {
    it(`agrees with the js-yaml listener: ${name}`, () => {
      assert.equal(agree(src, name), 'indexed');
    });
  }

  it('falls back on JSON, complex keys, merge keys and multi-line flow', () => {
    assert.equal(indexBlockYaml('{"a": 1}'), undefined);
    assert.equal(indexBlockYaml('? [a, b]\n: 1\n'), undefined);
    assert.equal(indexBlockYaml('a: &x {b: 1}\nc:\n  <<: *x\n'), undefined);
    assert.equal(indexBlockYaml('a: {b: 1,\n  c: 2}\n'), undefined);
  });

  const corpus = new URL('../../../shared/corpus/real-world', import.meta.url).pathname;
  it('agrees with the listener on every document of the real-world corpus', { skip: existsSync(corpus) ? false : 'corpus absent' }, () => {
    let indexed = 0;
    let fallback = 0;
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir)) {
        const p = join(dir, e);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.ya?ml$/.test(e)) {
          const text = readFileSync(p, 'utf8');
          for (const c of splitDocuments(text)) {
            const src = text.slice(c.start, c.end);
            try {
              listenerPositions(src);
            } catch {
              continue;
            }
            if (agree(src, `${p}:${c.line + 1}`) === 'indexed') indexed++;
            else fallback++;
          }
        }
      }
    };
    walk(corpus);
    assert.ok(indexed > 10 * fallback, `indexed ${indexed}, fell back ${fallback}`);
  });
});

/**
 * `locateMany` (one walk keeping the paths asked for) must give what `locate` (the whole
 * document's index) gives, for every key and item of the document, for absent fields below
 * them, for the document itself and for strings that are not pointers.
 */
function agreeMany(text: string, label: string): number {
  let compared = 0;
  for (const doc of loadYamlStream(text, label).documents) {
    const { positions } = doc;
    assert.ok(positions.locateMany, 'the loader resolves many pointers at once');
    const pointers = new Set<string>(['', '/nope', '/metadata/absent/deeper', 'not-a-pointer', '/~1odd~0/x']);
    const walk = (v: unknown, p: string): void => {
      if (v === null || typeof v !== 'object') return;
      for (const [k, child] of Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v)) {
        const q = `${p}/${escapeToken(k)}`;
        pointers.add(q);
        pointers.add(`${q}/absent`);
        walk(child, q);
      }
    };
    walk(doc.value, '');
    const list = [...pointers];
    const many = positions.locateMany(list);
    list.forEach((p, i) => {
      let single: unknown;
      try {
        single = positions.locate(p);
      } catch {
        single = undefined;
      }
      const got = many[i];
      // undefined means "ask locate": allowed, never a different answer.
      if (got !== undefined) assert.deepEqual(got, single, `${label}: ${p}`);
      compared++;
    });
  }
  return compared;
}

describe('locateInBlockYaml', () => {
  it('finds the pointers asked for, their deepest indexed prefix otherwise', () => {
    assert.deepEqual(locateInBlockYaml('a:\n  b: 1\n', ['/a/b', '/a/c', '', 'x']), [{ line: 1, col: 2 }, { line: 0, col: 0 }, { line: 0, col: 0 }, undefined]);
  });

  it('takes the last of repeated keys, with its own subtree', () => {
    assert.deepEqual(locateInBlockYaml('a:\n  b: 1\na:\n  c: 2\n', ['/a', '/a/b', '/a/c']), [
      { line: 2, col: 0 },
      { line: 2, col: 0 },
      { line: 3, col: 2 },
    ]);
  });

  it('falls back where the index does', () => {
    assert.equal(locateInBlockYaml('{"a": 1}', ['/a']), undefined);
  });

  for (const [name, src] of Object.entries(CASES)) {
    it(`agrees with locate: ${name}`, () => {
      assert.ok(agreeMany(src, name) > 0);
    });
  }

  const corpus = new URL('../../../shared/corpus/real-world', import.meta.url).pathname;
  it('agrees with locate on every document of the real-world corpus', { skip: existsSync(corpus) ? false : 'corpus absent' }, () => {
    let compared = 0;
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir)) {
        const p = join(dir, e);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.ya?ml$/.test(e)) compared += agreeMany(readFileSync(p, 'utf8'), p);
      }
    };
    walk(corpus);
    assert.ok(compared > 10_000, `compared ${compared}`);
  });
});
