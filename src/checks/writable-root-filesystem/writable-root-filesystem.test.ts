import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { EvaluateResult, FixOperation, Violation } from '../../core/check.js';
import type { Inventory } from '../../core/inventory.js';
import { getAt, joinPointer, parsePointer } from '../../core/pointer.js';
import type { JsonObject, JsonValue } from '../../core/types.js';
import { containersOf, podSpecsOf } from '../../core/workloads.js';
import { inventoryOf } from '../../test-support/fixtures.js';
import check from './writable-root-filesystem.js';

function toArray(r: EvaluateResult): readonly Violation[] {
  if (r === undefined || r === null) return [];
  return Array.isArray(r) ? (r as readonly Violation[]) : [r as Violation];
}

function violations(inventory: Inventory): Violation[] {
  return inventory.all.flatMap((resource) =>
    podSpecsOf(resource).flatMap((pod) =>
      containersOf(pod).flatMap((container) => toArray(check.evaluate({ inventory, params: {}, resource, pod, container }))),
    ),
  );
}

/** Applies the JSON-Patch subset fixes use (add, replace; `-` appends). */
function apply(root: JsonObject, ops: readonly FixOperation[]): void {
  for (const op of ops) {
    assert.notEqual(op.op, 'remove');
    if (op.op === 'remove') continue;
    const tokens = parsePointer(op.path);
    const last = tokens.pop() as string;
    const parent = getAt(root, joinPointer('', ...tokens));
    if (Array.isArray(parent)) {
      if (last === '-') parent.push(op.value);
      else parent.splice(Number(last), op.op === 'add' ? 0 : 1, op.value);
    } else {
      assert.ok(parent !== null && typeof parent === 'object', `no parent for ${op.path}`);
      (parent as Record<string, JsonValue>)[last] = op.value;
    }
  }
}

describe('writable-root-filesystem fix', () => {
  const text = readFileSync(new URL('./fixtures/fail.writable.yaml', import.meta.url).pathname, 'utf8');

  it('proposes minimal JSON-Patch operations', () => {
    const ops = violations(inventoryOf(text).inventory).flatMap((v) => v.fix ?? []);
    assert.deepEqual(ops, [
      { op: 'add', path: '/spec/template/spec/initContainers/0/securityContext', value: { readOnlyRootFilesystem: true } },
      { op: 'replace', path: '/spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem', value: true },
      { op: 'add', path: '/spec/template/spec/containers/1/securityContext/readOnlyRootFilesystem', value: true },
    ]);
  });

  it('leaves only violations without a fix once applied', () => {
    const { inventory } = inventoryOf(text);
    const before = violations(inventory);
    // Apply each object's operations to that object: operations carry absolute pointers.
    for (const r of inventory.all) {
      const ops = podSpecsOf(r).flatMap((pod) =>
        containersOf(pod).flatMap((container) => toArray(check.evaluate({ inventory, params: {}, resource: r, pod, container })).flatMap((v) => v.fix ?? [])),
      );
      apply(r.object, ops);
    }
    const after = violations(inventory);
    assert.ok(after.length < before.length);
    assert.deepEqual(
      after.filter((v) => v.fix !== undefined).map((v) => v.message),
      [],
    );
  });
});
