import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryOf } from '../../test/support/fixtures.js';
import { defineCheck } from './check.js';
import { runChecks } from './engine.js';
import type { AnyModelProvider } from './models.js';

declare module './models.js' {
  interface Models {
    /** Test model: names of the ConfigMaps. */
    'test-names': readonly string[];
    'test-broken': never;
  }
}

const YAML = `apiVersion: v1
kind: ConfigMap
metadata: {name: a, namespace: x}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: b, namespace: x}
`;

function provider(counter: { n: number }): AnyModelProvider {
  return {
    name: 'test-names',
    reads: ['ConfigMap'],
    build: (inventory) => {
      counter.n++;
      return inventory.ofKind('ConfigMap').map((r) => r.ref.name);
    },
  };
}

const broken: AnyModelProvider = {
  name: 'test-broken',
  reads: [],
  build: () => {
    throw new Error('no data');
  },
};

const meta = {
  severity: 'low' as const,
  category: 'test',
  frameworks: [],
  docs: { description: 'd', remediation: 'r' },
};

describe('engine-owned models', () => {
  it('builds a model once per run and hands it to every check that declares it', () => {
    const counter = { n: 0 };
    const seen: (readonly string[])[] = [];
    const mk = (id: string) =>
      defineCheck({
        ...meta,
        id,
        name: `uses-names-${id.toLowerCase()}`,
        title: 't',
        target: { kind: 'resource', kinds: ['ConfigMap'] },
        uses: ['test-names'],
        evaluate: ({ models }) => {
          seen.push(models['test-names']);
        },
      });
    const { totals } = runChecks(inventoryOf(YAML).inventory, { checks: [mk('T-1'), mk('T-2')], models: [provider(counter)] });
    assert.equal(counter.n, 1);
    assert.equal(seen.length, 4);
    assert.deepEqual(seen[0], ['a', 'b']);
    assert.equal(totals.pass, 4);
  });

  it('does not build models no selected check uses', () => {
    const counter = { n: 0 };
    const plain = defineCheck({ ...meta, id: 'T-3', name: 'plain', title: 't', target: { kind: 'resource', kinds: ['ConfigMap'] }, evaluate: () => undefined });
    runChecks(inventoryOf(YAML).inventory, { checks: [plain], models: [provider(counter)] });
    assert.equal(counter.n, 0);
  });

  it('turns a model that cannot be built into one error for the check, never a pass', () => {
    const check = defineCheck({
      ...meta,
      id: 'T-4',
      name: 'uses-broken',
      title: 't',
      target: { kind: 'resource', kinds: ['ConfigMap'] },
      uses: ['test-broken'],
      evaluate: () => undefined,
    });
    const { findings, totals } = runChecks(inventoryOf(YAML).inventory, { checks: [check], models: [broken] });
    assert.equal(totals.pass, 0);
    assert.equal(totals.error, 1);
    assert.match(findings[0]?.message ?? '', /T-4 \(uses-broken\) did not run: the test-broken model could not be built: no data/);
  });

  it('makes reading an undeclared model an error of that evaluation', () => {
    const check = defineCheck({
      ...meta,
      id: 'T-5',
      name: 'sneaky',
      title: 't',
      target: { kind: 'resource', kinds: ['ConfigMap'] },
      evaluate: ({ models }) => {
        void models['test-names'];
      },
    });
    const { findings, totals } = runChecks(inventoryOf(YAML).inventory, { checks: [check], models: [provider({ n: 0 })] });
    assert.equal(totals.error, 2);
    assert.match(findings[0]?.message ?? '', /reads model "test-names" without declaring it in uses/);
  });

  it('reports a model nobody provides', () => {
    const check = defineCheck({
      ...meta,
      id: 'T-6',
      name: 'orphan',
      title: 't',
      target: { kind: 'cluster' },
      uses: ['test-names'],
      evaluate: () => undefined,
    });
    const { findings } = runChecks(inventoryOf(YAML).inventory, { checks: [check] });
    assert.match(findings[0]?.message ?? '', /no analyser provides the "test-names" model/);
  });
});
