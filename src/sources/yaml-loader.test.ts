import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadYamlStream, SourceTexts, splitDocuments, subResolver } from './yaml-loader.js';

const MANIFEST = `# leading comment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx
          securityContext:
            privileged: true
        - name: "side"
          ports: [{containerPort: 80, hostPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  ports:
  - port: 80
`;

describe('splitDocuments', () => {
  it('splits at --- and ... markers and keeps line offsets', () => {
    const chunks = splitDocuments('a: 1\n---\nb: 2\n...\nc: 3\n--- # comment\nd: 4\n');
    assert.deepEqual(
      chunks.map((c) => c.line),
      [0, 1, 4, 5],
    );
  });
  it('does not split on --- inside a line or indented', () => {
    assert.equal(splitDocuments('a: "x --- y"\nb: |\n  ---\n').length, 1);
  });
});

describe('loadYamlStream', () => {
  it('maps pointers to lines and columns', () => {
    const { documents, errors } = loadYamlStream(MANIFEST, 'm.yaml');
    assert.equal(errors.length, 0);
    assert.equal(documents.length, 2);
    const [dep, svc] = documents;
    assert.ok(dep && svc);
    assert.equal(dep.line, 2);
    assert.deepEqual(dep.positions.locate('/spec/template/spec/containers/0/securityContext/privileged'), { file: 'm.yaml', line: 13, column: 13 });
    assert.equal(dep.positions.locate('/spec/template/spec/containers/1').line, 14);
    assert.equal(dep.positions.locate('/spec/template/spec/containers/1/ports/0/hostPort').line, 15);
    // Absent field: nearest existing parent.
    assert.equal(dep.positions.locate('/spec/template/spec/containers/0/resources/limits').line, 10);
    assert.equal(svc.line, 17);
    assert.equal(svc.positions.locate('/spec/ports/0/port').line, 22);
    assert.equal(svc.positions.locate('/metadata/name').line, 19);
  });

  it('reports a broken document with its line and keeps the others', () => {
    const text = 'apiVersion: v1\nkind: A\n---\nkey: [unclosed\nmore: 1\n---\napiVersion: v1\nkind: B\n';
    const { documents, errors } = loadYamlStream(text, 'x.yaml');
    assert.equal(documents.length, 2);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.index, 1);
    assert.ok((errors[0]?.line ?? 0) >= 4 && (errors[0]?.line ?? 0) <= 6, `line ${errors[0]?.line}`);
  });

  it('parses JSON and keeps strings that YAML 1.1 would coerce', () => {
    const { documents } = loadYamlStream('{"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": "on", "d": "2024-01-01"}}', 'c.json');
    assert.deepEqual((documents[0]?.value as { data: unknown } | undefined)?.data, { a: 'on', d: '2024-01-01' });
    const y = loadYamlStream('a: 2024-01-01\nb: on\nc: 0x10\n', 'y.yaml');
    assert.deepEqual(y.documents[0]?.value, { a: '2024-01-01', b: 'on', c: 16 });
  });

  it('supports merge keys and anchors', () => {
    const { documents } = loadYamlStream('base: &b {x: 1}\nchild:\n  <<: *b\n  y: 2\n', 'm.yaml');
    assert.deepEqual((documents[0]?.value as { child: unknown } | undefined)?.child, { x: 1, y: 2 });
  });

  it('skips empty documents and comment-only documents', () => {
    const { documents, errors } = loadYamlStream('---\n# only a comment\n---\n\n---\na: 1\n', 'e.yaml');
    assert.equal(errors.length, 0);
    assert.equal(documents.length, 1);
    assert.equal(documents[0]?.line, 6);
  });

  it('resolves pointers inside List items through a sub-resolver', () => {
    const text =
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: b\n';
    const { documents } = loadYamlStream(text, 'l.yaml');
    const doc = documents[0];
    assert.ok(doc);
    const item = subResolver(doc.positions, '/items/1');
    assert.equal(item.locate('/metadata/name').line, 11);
    assert.equal(item.locate('').line, 8);
  });

  it('handles CRLF line endings', () => {
    const { documents } = loadYamlStream('a: 1\r\n---\r\nb:\r\n  c: 2\r\n', 'w.yaml');
    assert.equal(documents.length, 2);
    assert.equal(documents[1]?.positions.locate('/b/c').line, 4);
  });

  it('does not keep file texts beyond its budget: positions read the file again, and refuse a changed file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-texts-'));
    try {
      const path = join(dir, 'm.yaml');
      // A BOM, as editors on Windows write it: the loader strips it, the reread must too.
      writeFileSync(path, `\ufeff${MANIFEST}`);
      const texts = new SourceTexts(0);
      const { documents } = loadYamlStream(MANIFEST, { file: 'shown/m.yaml', path, texts });
      const [dep, svc] = documents;
      assert.ok(dep && svc);
      assert.deepEqual(dep.positions.locate('/spec/template/spec/containers/0/securityContext/privileged'), { file: 'shown/m.yaml', line: 13, column: 13 });
      assert.equal(svc.positions.locate('/spec/ports/0/port').line, 22);
      // Same positions as with the text in memory, for every pointer of the documents.
      const kept = loadYamlStream(MANIFEST, 'shown/m.yaml').documents;
      for (const p of ['', '/metadata/name', '/spec/template/spec/containers/1/ports/0/hostPort', '/spec/template/spec/containers/1/name']) {
        assert.deepEqual(dep.positions.locate(p), kept[0]?.positions.locate(p), p);
      }
      writeFileSync(path, `${MANIFEST}# edited\n`);
      const fresh = loadYamlStream(MANIFEST, { file: 'm.yaml', path, texts: new SourceTexts(0) });
      assert.throws(() => fresh.documents[0]?.positions.locate('/metadata/name'), /m\.yaml changed after it was read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps texts within its budget (no second read)', () => {
    const texts = new SourceTexts();
    const { documents } = loadYamlStream(MANIFEST, { file: 'm.yaml', path: join(tmpdir(), 'palisade-does-not-exist.yaml'), texts });
    assert.equal(documents[1]?.positions.locate('/metadata/name').line, 19);
  });

  it('locates a line inside a literal block scalar, from memory and from a file read again', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  script: |\n    one\n      two\n  folded: >\n    a\n    b\n';
    const dir = mkdtempSync(join(tmpdir(), 'palisade-lines-'));
    try {
      const path = join(dir, 'c.yaml');
      writeFileSync(path, text);
      for (const doc of [loadYamlStream(text, 'c.yaml').documents[0], loadYamlStream(text, { file: 'c.yaml', path, texts: new SourceTexts(0) }).documents[0]]) {
        assert.ok(doc?.positions.locateLine);
        assert.deepEqual(doc.positions.locateLine('/data/script', 2), { file: 'c.yaml', line: 8, column: 7 });
        // Folded scalars are located at their key.
        assert.deepEqual(doc.positions.locateLine('/data/folded', 1), { file: 'c.yaml', line: 9, column: 3 });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
