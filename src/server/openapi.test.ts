/**
 * docs/openapi.yaml documents every route the server registers, with the same role, and
 * nothing the server does not serve.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { registeredRoutes } from './server.js';

const doc = parse(readFileSync(new URL('../../docs/openapi.yaml', import.meta.url), 'utf8')) as {
  openapi: string;
  paths: Record<string, Record<string, { 'x-role'?: string; responses?: unknown }>>;
};

describe('docs/openapi.yaml', () => {
  it('is OpenAPI 3.1', () => {
    assert.match(doc.openapi, /^3\.1\./);
  });

  it('documents every registered route with its role', () => {
    const missing: string[] = [];
    for (const r of registeredRoutes()) {
      const op = doc.paths[r.pattern]?.[r.method.toLowerCase()];
      if (!op) missing.push(`${r.method} ${r.pattern}`);
      else assert.equal(op['x-role'], r.role, `${r.method} ${r.pattern}: x-role`);
    }
    assert.deepEqual(missing, []);
  });

  it('documents no route the server does not register', () => {
    const registered = new Set(registeredRoutes().map((r) => `${r.method} ${r.pattern}`));
    const extra: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths))
      for (const method of Object.keys(ops)) if (!registered.has(`${method.toUpperCase()} ${path}`)) extra.push(`${method.toUpperCase()} ${path}`);
    assert.deepEqual(extra, []);
  });

  it('gives every operation its responses and resolvable references', () => {
    const text = JSON.stringify(doc);
    for (const m of text.matchAll(/"\$ref":"#\/components\/(\w+)\/(\w+)"/g)) {
      const section = (doc as unknown as { components: Record<string, Record<string, unknown>> }).components[m[1] as string];
      assert.ok(section?.[m[2] as string], `unresolved $ref ${m[0]}`);
    }
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) assert.ok(op.responses, `${method} ${path} has no responses`);
  });
});
