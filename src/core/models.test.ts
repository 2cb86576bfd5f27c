import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryOf } from '../../test/support/fixtures.js';
import { defineCheck } from './check.js';
import { runChecks } from './engine.js';
import { type AnyModelProvider, passesOf } from './models.js';

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

declare module './models.js' {
  interface ModelInputs {
    /** Test input: allowed ConfigMap names, fetched by the "ring" before the run. */
    'test-allowed': readonly string[];
  }
  interface Models {
    'test-allowed': ReadonlySet<string>;
  }
}

describe('model inputs', () => {
  const allowedProvider: AnyModelProvider = { name: 'test-allowed', reads: [], build: (_inv, _models, inputs) => new Set(inputs['test-allowed'] ?? []) };
  const optIn = defineCheck({
    id: 'TEST-0002',
    name: 'test-allowed',
    title: 'ConfigMap is not allowed',
    severity: 'low',
    category: 'test',
    frameworks: [],
    docs: { description: 'test', remediation: 'test' },
    target: { kind: 'resource', kinds: ['ConfigMap'] },
    uses: ['test-allowed'],
    requires: ['test-allowed'],
    evaluate: ({ resource, models }) =>
      resource.ref.name === 'b'
        ? { message: 'b could not be read', error: true }
        : models['test-allowed'].has(resource.ref.name)
          ? undefined
          : { message: `${resource.ref.name} is not allowed` },
  });

  it('does not run a check whose input was not given: no counts, no finding, listed as skipped', () => {
    const r = runChecks(inventoryOf(YAML).inventory, { checks: [optIn], models: [allowedProvider] });
    assert.deepEqual(r.findings, []);
    assert.equal(r.perCheck.has('TEST-0002'), false);
    assert.deepEqual(r.skipped, [{ id: 'TEST-0002', name: 'test-allowed', missing: ['test-allowed'] }]);
  });

  it('hands the input to the provider; a violation with error: true is an error, not a fail', () => {
    const r = runChecks(inventoryOf(YAML).inventory, { checks: [optIn], models: [allowedProvider], inputs: { 'test-allowed': ['a'] }, includePassed: true });
    assert.deepEqual(
      r.findings.map((f) => [f.resource.name, f.status]),
      [
        ['a', 'pass'],
        ['b', 'error'],
      ],
    );
    assert.deepEqual(r.skipped, []);
    const denied = runChecks(inventoryOf(YAML).inventory, { checks: [optIn], models: [allowedProvider], inputs: { 'test-allowed': [] } });
    assert.deepEqual(
      denied.findings.map((f) => [f.resource.name, f.status]),
      [
        ['a', 'fail'],
        ['b', 'error'],
      ],
    );
  });
});

describe('passesOf', () => {
  const p = (name: string, extra: Partial<AnyModelProvider> = {}): AnyModelProvider => ({ name, reads: [], build: () => name, ...extra });
  const providers = [p('rbac'), p('network'), p('graph', { builtOn: ['rbac', 'network'] }), p('scopes'), p('pods'), p('views', { bounded: true })];
  const c = (id: string, uses?: string[]) => ({ id, ...(uses ? { uses } : {}) });
  const ids = (cs: readonly { id: string }[]) => cs.map((x) => x.id);

  it('puts checks in one pass per set of shared models, most models first, the rest last', () => {
    const checks = [c('A', ['scopes']), c('B', ['rbac']), c('C'), c('D', ['graph']), c('E', ['views']), c('F', ['network']), c('G', ['pods', 'views'])];
    const { early, late } = passesOf(checks, providers);
    assert.deepEqual(
      early.map((g) => [ids(g.checks), [...g.models].sort()]),
      [
        // The graph is built on rbac and network: their checks share its pass, which holds the
        // most models and comes first.
        [
          ['B', 'D', 'F'],
          ['graph', 'network', 'rbac'],
        ],
        [['A'], ['scopes']],
        [['G'], ['pods']],
      ],
    );
    assert.deepEqual(ids(late), ['C', 'E']);
  });

  it('joins the passes of models one check uses together', () => {
    const { early } = passesOf([c('A', ['scopes']), c('B', ['pods']), c('C', ['pods', 'scopes'])], providers);
    assert.deepEqual(
      early.map((g) => ids(g.checks)),
      [['A', 'B', 'C']],
    );
  });

  it('has no early pass when every check uses bounded models or none', () => {
    const { early, late } = passesOf([c('A'), c('B', ['views'])], providers);
    assert.equal(early.length, 0);
    assert.deepEqual(ids(late), ['A', 'B']);
  });
});

describe('builtOn', () => {
  it('fails a model that reads another it does not declare, with the reason', () => {
    const reader: AnyModelProvider = { name: 'test-broken', reads: [], build: (_inv, models) => models('test-names') as never };
    const check = defineCheck({
      ...meta,
      id: 'T-9',
      name: 'reads-undeclared',
      title: 't',
      target: { kind: 'resource', kinds: ['ConfigMap'] },
      uses: ['test-broken'],
      evaluate: () => undefined,
    });
    const { findings } = runChecks(inventoryOf(YAML).inventory, { checks: [check], models: [reader, provider({ n: 0 })] });
    assert.match(findings[0]?.message ?? '', /the test-broken model reads the test-names model without declaring it in builtOn/);
    const declared = runChecks(inventoryOf(YAML).inventory, { checks: [check], models: [{ ...reader, builtOn: ['test-names'] }, provider({ n: 0 })] });
    assert.equal(declared.totals.error, 0);
  });
});
