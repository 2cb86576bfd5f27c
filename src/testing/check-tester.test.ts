import assert from 'node:assert/strict';
import { AssertionError } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import untrustedRegistry from '../checks/untrusted-registry/untrusted-registry.js';
import writableHostPath from '../checks/writable-host-path/writable-host-path.js';
import { defineCheck } from '../core/check.js';
import { checkTester } from './index.js';

const fixture = (check: string, name: string): string => new URL(`../checks/${check}/fixtures/${name}`, import.meta.url).pathname;

const teamLabel = defineCheck({
  id: 'ACME-0001',
  name: 'team-label',
  title: 'Workload has no team label',
  severity: 'low',
  category: 'ownership',
  frameworks: [],
  docs: { description: 'Every workload names its owning team.', remediation: 'Add metadata.labels.team.' },
  target: { kind: 'resource', kinds: ['Deployment'] },
  evaluate: ({ resource }) => {
    const labels = (resource.object.metadata as { labels?: Record<string, string> } | undefined)?.labels;
    return labels?.team ? undefined : { path: '/metadata/labels', message: `Deployment ${resource.ref.name} has no team label` };
  },
});

const LABELLED = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, labels: {team: a}}\n';
const UNLABELLED = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\n';

describe('checkTester', () => {
  it('runs the built-in fixtures as the catalogue test does, params lines included', () => {
    const t = checkTester(writableHostPath);
    t.fixture(fixture('writable-host-path', 'pass.read-only.yaml'));
    t.fixture(fixture('writable-host-path', 'fail.writable.yaml'));
    const u = checkTester(untrustedRegistry);
    u.fixture(fixture('untrusted-registry', 'fail.not-allowed.yaml'));
    u.fixture(fixture('untrusted-registry', 'pass.allowed.yaml'));
  });

  it('asserts exact pointers, defaulting to the first object, and returns the failures', () => {
    const t = checkTester(teamLabel);
    t.passes(LABELLED);
    const failures = t.fails(UNLABELLED, ['/metadata/labels', 'Deployment/api /metadata/labels']);
    assert.deepEqual(
      failures.map((f) => f.message),
      ['Deployment web has no team label', 'Deployment api has no team label'],
    );
  });

  it('fails when the pointers differ, naming what is missing and what is extra', () => {
    const t = checkTester(teamLabel);
    assert.throws(
      () => t.fails(UNLABELLED, ['/metadata/labels']),
      (err: unknown) => err instanceof AssertionError && /reported but not expected: Deployment\/api \/metadata\/labels/.test(err.message),
    );
    assert.throws(
      () => t.fails(UNLABELLED, ['/metadata/labels', 'Deployment/api /metadata', 'Deployment/api /metadata/labels']),
      (err: unknown) => err instanceof AssertionError && /expected but not reported: Deployment\/api \/metadata$/m.test(err.message),
    );
    const path = fixture('writable-host-path', 'fail.writable.yaml');
    const text = readFileSync(path, 'utf8').replace('# expect: /spec/template/spec/initContainers/0/volumeMounts/0/readOnly\n', '');
    assert.throws(() => checkTester(writableHostPath).fails(text, ['/spec/template/spec/containers/0/volumeMounts/1/readOnly']), AssertionError);
  });

  it('fails a passing assertion on a failing fixture, and on one the check never evaluates', () => {
    const t = checkTester(teamLabel);
    assert.throws(() => t.passes(UNLABELLED), /should pass but reported:\n {2}fail Deployment\/web \/metadata\/labels/);
    assert.throws(() => t.passes('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n'), /evaluated nothing/);
    assert.throws(() => t.fails(LABELLED, []), /name the pointers/);
  });

  it('reports a check that throws, and YAML that does not load', () => {
    const broken = defineCheck({
      ...teamLabel,
      evaluate: () => {
        throw new Error('boom');
      },
    });
    assert.throws(() => checkTester(broken).fails(UNLABELLED, ['/metadata/labels']), /reported errors: check ACME-0001 failed to evaluate: boom/);
    assert.throws(() => checkTester(teamLabel).passes('a: [\n'), /does not load/);
  });

  it("validates parameters against the check's paramsSchema, as a scan does", () => {
    const u = checkTester(untrustedRegistry, { params: { allowedRegistries: 'ghcr.io' } });
    assert.throws(
      () => u.passes(readFileSync(fixture('untrusted-registry', 'pass.allowed.yaml'), 'utf8')),
      /paramsSchema: checks\.PAL-0125\.params\.allowedRegistries: must be array/,
    );
  });

  it('is published as kube-palisade/testing', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, { import: string; types: string }>;
    };
    assert.deepEqual(pkg.exports['./testing'], { types: './dist/testing/index.d.ts', import: './dist/testing/index.js' });
  });
});
