import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryOf } from '../../test/support/fixtures.js';
import { defineCheck } from './check.js';
import { runChecks } from './engine.js';
import { ExceptionMatcher } from './exceptions.js';
import { plainFinding } from './finding.js';
import type { Resource } from './types.js';

const YAML = `apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: ops}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: job
              image: busybox
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: canary, namespace: shop}
spec:
  template:
    metadata:
      annotations: {a: b}
    spec:
      initContainers: [{name: init, image: alpine}]
      containers: [{name: app, image: shop:1}]
---
apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: hello}
spec:
  template:
    spec:
      containers: [{image: hello:1}]
---
apiVersion: v1
kind: Service
metadata: {name: plain}
spec:
  template:
    spec:
      containers: [{image: not-a-workload}]
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec: {size: 3}
`;

const everyContainer = defineCheck({
  id: 'TST-0001',
  name: 'every-container',
  title: 'Reports every container',
  severity: 'low',
  category: 'test',
  frameworks: [],
  docs: { description: 'Test check that flags every container it sees.', remediation: 'None.' },
  target: { kind: 'container' },
  evaluate: ({ container }) => ({ path: '/image', message: `container ${container.name} at ${container.pointer}` }),
});

describe('runChecks', () => {
  it('finds pod specs in built-in kinds and in custom resources with pod templates', () => {
    const { inventory } = inventoryOf(YAML);
    const { findings } = runChecks(inventory, { checks: [everyContainer] });
    assert.deepEqual(
      findings.map((f) => `${f.resource.kind}/${f.resource.name} ${f.pointer} ${f.container}`),
      [
        'CronJob/nightly /spec/jobTemplate/spec/template/spec/containers/0/image job',
        'Rollout/canary /spec/template/spec/initContainers/0/image init',
        'Rollout/canary /spec/template/spec/containers/0/image app',
        'Service/hello /spec/template/spec/containers/0/image #0',
      ],
    );
    assert.equal(findings[0]?.location?.line, 11);
  });

  it('turns a throwing check into an error finding and goes on', () => {
    const { inventory } = inventoryOf(YAML);
    const broken = defineCheck({
      id: 'TST-0002',
      name: 'broken',
      title: 'Throws',
      severity: 'high',
      category: 'test',
      frameworks: [],
      docs: { description: 'A check that throws on the Widget custom resource.', remediation: 'None.' },
      target: { kind: 'resource', kinds: ['*'] },
      evaluate: ({ resource }) => {
        if (resource.ref.kind === 'Widget') throw new Error('boom');
      },
    });
    const { findings, perCheck, totals } = runChecks(inventory, { checks: [broken] });
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.status, 'error');
    assert.match(findings[0]?.message ?? '', /boom/);
    assert.deepEqual(perCheck.get('TST-0002'), { pass: 4, fail: 0, exempt: 0, error: 1 });
    assert.equal(totals.pass, 4);
  });

  it('counts passes without materialising them unless asked', () => {
    const { inventory } = inventoryOf(YAML);
    const quiet = defineCheck({ ...everyContainer, id: 'TST-0003', name: 'quiet', evaluate: () => undefined });
    assert.equal(runChecks(inventory, { checks: [quiet] }).findings.length, 0);
    const withPasses = runChecks(inventory, { checks: [quiet], includePassed: true });
    assert.equal(withPasses.findings.length, 4);
    assert.ok(withPasses.findings.every((f) => f.status === 'pass'));
  });

  it('applies severity overrides and exemptions, keeping the default severity', () => {
    const { inventory } = inventoryOf(YAML);
    const exceptions = new ExceptionMatcher([{ check: 'every-container', namespace: 'shop', reason: 'accepted' }], '2026-01-01');
    const { findings, totals } = runChecks(inventory, { checks: [everyContainer], severityOverrides: { 'TST-0001': 'critical' }, exceptions });
    assert.equal(totals.exempt, 2);
    assert.equal(totals.fail, 2);
    const exempt = findings.filter((f) => f.status === 'exempt');
    assert.deepEqual(
      exempt.map((f) => f.exemption?.reason),
      ['accepted', 'accepted'],
    );
    assert.ok(findings.every((f) => f.severity === 'critical' && f.defaultSeverity === 'low'));
  });

  it('reports cluster-target violations on the resource they name', () => {
    const { inventory } = inventoryOf(YAML);
    const cluster = defineCheck({
      id: 'TST-0004',
      name: 'cluster',
      title: 'Cluster check',
      severity: 'medium',
      category: 'test',
      frameworks: [],
      docs: { description: 'Flags the first Widget of the inventory as a test.', remediation: 'None.' },
      target: { kind: 'cluster' },
      evaluate: ({ inventory: inv }) => inv.ofKind('Widget').map((r) => ({ resource: r, pointer: '/spec/size', message: `widget ${r.ref.name}` })),
    });
    const { findings } = runChecks(inventory, { checks: [cluster] });
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.resource.name, 'w');
    assert.equal(findings[0]?.location?.line, 43);
  });

  it('never drops a cluster-target violation that names no resource: it is an error of the check', () => {
    const { inventory } = inventoryOf(YAML);
    const unplaced = defineCheck({
      id: 'TST-0005',
      name: 'unplaced',
      title: 'Cluster check without resources',
      severity: 'medium',
      category: 'test',
      frameworks: [],
      docs: { description: 'Reports one placed and one unplaced violation as a test.', remediation: 'None.' },
      target: { kind: 'cluster' },
      evaluate: ({ inventory: inv }) => [
        { message: 'the cluster has no admission webhook' },
        { resource: inv.ofKind('Widget')[0] as Resource, pointer: '/spec', message: 'placed' },
      ],
    });
    const { findings, perCheck, totals } = runChecks(inventory, { checks: [unplaced] });
    assert.deepEqual(
      findings.map((f) => `${f.status} ${f.resource.kind}/${f.resource.name} ${f.message}`),
      [
        'error Cluster/* check TST-0005 (unplaced) reported a violation that names no resource, so it cannot be placed: the cluster has no admission webhook',
        'fail Widget/w placed',
      ],
    );
    assert.deepEqual(perCheck.get('TST-0005'), { pass: 0, fail: 1, exempt: 0, error: 1 });
    assert.equal(totals.error, 1);
  });

  it('gives each evaluation its own target even though contexts are reused', () => {
    const { inventory } = inventoryOf(YAML);
    const seen: string[] = [];
    const spy = defineCheck({
      ...everyContainer,
      id: 'TST-0006',
      name: 'spy',
      evaluate: ({ resource, pod, container }) => {
        seen.push(`${resource.ref.name} ${pod.pointer} ${container.name}`);
      },
    });
    runChecks(inventory, { checks: [spy] });
    assert.deepEqual(seen, [
      'nightly /spec/jobTemplate/spec/template/spec job',
      'canary /spec/template/spec init',
      'canary /spec/template/spec app',
      'hello /spec/template/spec #0',
    ]);
  });
});

describe('findings', () => {
  it('serialise to the documented JSON shape, fields in order, absent ones left out', () => {
    const { inventory } = inventoryOf(YAML, 'w.yaml');
    const [f] = runChecks(inventory, { checks: [everyContainer] }).findings;
    assert.ok(f);
    const json = JSON.parse(JSON.stringify(f)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), [
      'check',
      'name',
      'title',
      'severity',
      'defaultSeverity',
      'category',
      'status',
      'resource',
      'container',
      'pointer',
      'message',
      'location',
      // A failing finding says whether palisade fix fixes it (this one has no fix).
      'fixable',
      'frameworks',
    ]);
    assert.equal(json.fixable, false);
    assert.deepEqual(json.location, { file: 'w.yaml', line: 11, column: 15 });
    assert.deepEqual(plainFinding(f), json);
    assert.equal(f.title, 'Reports every container');
  });

  it('resolve locations only when one is read, once per document for all its findings', () => {
    const { inventory } = inventoryOf(YAML);
    let calls = 0;
    for (const r of inventory.all) {
      const positions = r.positions;
      if (!positions) continue;
      Object.defineProperty(r, 'positions', {
        value: {
          locate: (p: string) => {
            calls++;
            return positions.locate(p);
          },
        },
      });
    }
    const { findings } = runChecks(inventory, { checks: [everyContainer] });
    assert.equal(calls, 0);
    // The Rollout's two findings are resolved together, the others not yet.
    assert.equal(findings[1]?.location?.line, 21);
    assert.equal(calls, 2);
    assert.equal(findings[2]?.location?.line, 22);
    assert.equal(calls, 2);
    assert.equal(findings[0]?.location?.line, 11);
    assert.equal(calls, 3);
  });
});

describe('runChecks: values shared between findings', () => {
  const sharing = (evidence: (name: string) => Record<string, unknown>) =>
    defineCheck({
      ...everyContainer,
      id: 'TST-0009',
      name: 'sharing',
      evaluate: ({ container }) => ({
        path: '/image',
        message: `the image of ${container.name === 'job' ? 'a job' : 'an app'} is unpinned`,
        evidence: evidence(container.name) as never,
        fix: [{ op: 'replace', path: `/spec/${'x'}`, value: { pinned: true } }],
      }),
    });

  it('keeps equal messages, evidence and fixes once, with the same JSON', () => {
    const { inventory } = inventoryOf(YAML);
    const { findings } = runChecks(inventory, { checks: [sharing(() => ({ image: 'latest', tags: ['a'] }))] });
    assert.equal(findings.length, 4);
    const [a, b] = findings;
    assert.ok(a !== undefined && b !== undefined);
    assert.equal(a.evidence, b.evidence, 'equal evidence is one object');
    assert.equal(a.fix, b.fix, 'equal fixes are one array');
    assert.deepEqual(a.fix, [{ op: 'replace', path: '/spec/x', value: { pinned: true } }]);
    assert.deepEqual(
      findings.map((f) => f.message),
      ['the image of a job is unpinned', 'the image of an app is unpinned', 'the image of an app is unpinned', 'the image of an app is unpinned'],
    );
  });

  it('does not share values that differ in what a reader sees beyond their JSON text', () => {
    const { inventory } = inventoryOf(YAML);
    // `{ tag: undefined }` and `{}` have the same JSON text; `'tag' in evidence` tells them apart.
    const { findings } = runChecks(inventory, { checks: [sharing((name) => (name === 'job' ? {} : { tag: undefined }))] });
    const [job, app] = findings;
    assert.ok(job !== undefined && app !== undefined);
    assert.deepEqual(Object.keys(job.evidence ?? {}), []);
    assert.deepEqual(Object.keys(app.evidence ?? {}), ['tag']);
  });
});

describe('runChecks: the refs findings keep', () => {
  it('keep one ref per object, equal to the inventory one key for key', () => {
    const { inventory } = inventoryOf(YAML);
    const { findings } = runChecks(inventory, { checks: [everyContainer] });
    const rollout = findings.filter((f) => f.resource.kind === 'Rollout');
    assert.equal(rollout.length, 2);
    assert.equal(rollout[0]?.resource, rollout[1]?.resource, 'one ref per object');
    const original = inventory.all.find((r) => r.ref.kind === 'Rollout')?.ref;
    assert.deepEqual(rollout[0]?.resource, original);
    assert.equal(JSON.stringify(rollout[0]?.resource), JSON.stringify(original));
  });
});

describe('runChecks: a locator shared by two runs', () => {
  it('resolves a document once for the findings of both runs (each run alone: once each)', async () => {
    const { Inventory } = await import('./inventory.js');
    const { Locator } = await import('./finding.js');
    let batches = 0;
    const positions = {
      locate: () => assert.fail('locateMany answers'),
      locateMany(pointers: readonly string[]) {
        batches++;
        return pointers.map((p, i) => ({ file: 'a.yaml', line: 2 + i, column: p.length }));
      },
    };
    const inventory = new Inventory();
    inventory.add({ object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } }, positions });
    const other = defineCheck({ ...everyContainer, id: 'TST-0002', name: 'every-container-again' });
    const run = (locator?: InstanceType<typeof Locator>) => {
      const a = runChecks(inventory, { checks: [everyContainer], ...(locator ? { locator } : {}) });
      const b = runChecks(inventory, { checks: [other], ...(locator ? { locator } : {}) });
      return [...a.findings, ...b.findings];
    };
    const shared = run(new Locator());
    assert.equal(shared.length, 2);
    for (const f of shared) assert.equal(f.location?.file, 'a.yaml');
    assert.equal(batches, 1);
    batches = 0;
    for (const f of run()) assert.equal(f.location?.file, 'a.yaml');
    assert.equal(batches, 2);
  });
});

describe('runChecks: finding parts shared by two runs', () => {
  it("gives an object's findings of both runs one ref (each run alone: one each)", async () => {
    const { FindingParts } = await import('./engine.js');
    const { inventory } = inventoryOf('apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: n}\nspec:\n  containers: [{name: c, image: x}]\n');
    const other = defineCheck({ ...everyContainer, id: 'TST-0002', name: 'every-container-again' });
    const run = (parts?: InstanceType<typeof FindingParts>) => {
      const a = runChecks(inventory, { checks: [everyContainer], ...(parts ? { parts } : {}) });
      const b = runChecks(inventory, { checks: [other], ...(parts ? { parts } : {}) });
      return [a.findings[0], b.findings[0]];
    };
    const [a, b] = run(new FindingParts());
    assert.ok(a && b);
    assert.equal(a.resource, b.resource);
    assert.equal(a.pointer, b.pointer);
    const [c, d] = run();
    assert.notEqual(c?.resource, d?.resource);
    assert.deepEqual(c?.resource, d?.resource);
  });
});

describe('runChecks: messages that name their object', () => {
  it('gives back every message exactly, whether it names its object once, twice, at either end, or not at all', () => {
    const cases = [
      (name: string) => `Deployment shop/${name} has no CPU limit`,
      (name: string) => `${name}: service account "${name}" is not in the scan`,
      (name: string) => `runs as root: ${name}`,
      () => 'names nothing',
      (name: string) => name,
    ];
    const checks = cases.map((make, i) =>
      defineCheck({
        ...everyContainer,
        id: `TST-01${i}`,
        name: `message-${i}`,
        target: { kind: 'resource', kinds: ['Deployment'] },
        evaluate: ({ resource }) => ({ message: make(resource.ref.name) }),
      }),
    );
    const yaml = ['web-frontend', 'api', 'web-frontend-2']
      .map(
        (n) =>
          `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${n}, namespace: shop}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: x}]\n`,
      )
      .join('---\n');
    const { findings } = runChecks(inventoryOf(yaml).inventory, { checks });
    assert.equal(findings.length, cases.length * 3);
    for (const f of findings) {
      const make = cases[Number(f.check.slice(-1))] as (name: string) => string;
      assert.equal(f.message, make(f.resource.name));
      assert.equal((JSON.parse(JSON.stringify(f)) as { message: string }).message, make(f.resource.name));
    }
  });
});
