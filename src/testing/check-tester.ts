/**
 * `checkTester`: tests a check the way the built-in checks are tested, on YAML fixture text,
 * asserting the exact pointers it fails at. Assertions throw `AssertionError` (node:assert), so
 * it works under any test runner: node:test, Vitest, Jest, Mocha.
 */
import { AssertionError } from 'node:assert';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { builtinModels } from '../checks/models.js';
import { validateAgainst } from '../config/schema.js';
import type { AnyCheck } from '../core/check.js';
import { runChecks } from '../core/engine.js';
import { Inventory } from '../core/inventory.js';
import type { AnyModelProvider } from '../core/models.js';
import type { Diagnostic, Finding, JsonValue, ResourceRef } from '../core/types.js';
import { addManifestText, type LoadStats } from '../sources/files.js';
import { type ExpectedPointer, expectedPointersIn, fixtureParams } from './fixtures.js';

/** Options of {@link checkTester}. */
export interface CheckTesterOptions {
  /**
   * The check's parameters, as `checks.<id>.params` in `.palisade.yaml` would give them;
   * validated against the check's `paramsSchema`, as a scan would.
   */
  readonly params?: Readonly<Record<string, JsonValue>>;
  /** Model providers; the built-in ones (`rbac`, `pods`) by default. */
  readonly models?: readonly AnyModelProvider[];
}

/** What {@link CheckTester.run} returns. */
export interface CheckRun {
  /** Every result, passes included. */
  readonly findings: readonly Finding[];
  /** Problems met while parsing the YAML. */
  readonly diagnostics: readonly Diagnostic[];
  /** The objects the YAML holds, in order (an expected pointer without `Kind/name` is on the first). */
  readonly resources: readonly ResourceRef[];
}

/** Runs one check on fixtures; see {@link checkTester}. */
export interface CheckTester {
  /** Runs the check on YAML text; every result, passes included. */
  run(yaml: string, options?: { readonly file?: string; readonly params?: Readonly<Record<string, JsonValue>> }): CheckRun;
  /**
   * Asserts that the check evaluates the YAML and reports nothing: no failure and no error,
   * and at least one evaluation (a check whose target matches nothing would pass vacuously).
   */
  passes(yaml: string, options?: { readonly file?: string; readonly params?: Readonly<Record<string, JsonValue>> }): void;
  /**
   * Asserts that the check fails at exactly these pointers, no more and no fewer, with no
   * error, each failure with a message and a source location. An expected entry is
   * `/pointer` (on the YAML's first object) or `Kind/name /pointer`. Returns the failures, for
   * further assertions on messages, severities or evidence.
   */
  fails(
    yaml: string,
    expected: readonly string[],
    options?: { readonly file?: string; readonly params?: Readonly<Record<string, JsonValue>> },
  ): readonly Finding[];
  /**
   * Tests one fixture file: `pass.*.yaml` must pass; `fail.*.yaml` must fail at exactly the
   * pointers of its `# expect:` lines. A `# params: {...}` line gives the check's parameters.
   */
  fixture(path: string): void;
}

/**
 * Makes a tester for one check.
 *
 * @example
 * import { checkTester } from 'kube-palisade/testing';
 * import check from './team-label.mjs';
 *
 * const t = checkTester(check);
 * t.passes('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, labels: {team: a}}\n');
 * t.fails('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n', ['/metadata/labels']);
 * t.fixture('fixtures/fail.no-label.yaml'); // `# expect: /metadata/labels` inside
 */
export function checkTester(check: AnyCheck, options: CheckTesterOptions = {}): CheckTester {
  const models = options.models ?? builtinModels;
  const run: CheckTester['run'] = (yaml, opts = {}) => {
    const file = opts.file ?? 'fixture.yaml';
    const inventory = new Inventory();
    const diagnostics: Diagnostic[] = [];
    const stats: LoadStats = { files: 1, documents: 0, resources: 0, nonKubernetes: 0, parseErrors: 0, skippedFiles: 0 };
    addManifestText(inventory, yaml, file, diagnostics, stats);
    const params = opts.params ?? options.params;
    // As `.palisade.yaml` would be: parameters that do not match the check's schema stop a scan.
    if (params && check.paramsSchema) {
      const problems = validateAgainst(check.paramsSchema, params, `checks.${check.id}.params`);
      if (problems.length > 0) fail(`${file}: the parameters do not match ${check.id}'s paramsSchema: ${problems.join('; ')}`);
    }
    const { findings } = runChecks(inventory, {
      checks: [check],
      includePassed: true,
      models,
      ...(params ? { params: { [check.id]: params } } : {}),
    });
    return { findings, diagnostics, resources: inventory.all.map((r) => r.ref) };
  };

  const parsed = (file: string, r: CheckRun): void => {
    const errors = r.diagnostics.filter((d) => d.level === 'error');
    if (errors.length > 0) fail(`${file}: the fixture does not load: ${errors.map((d) => d.message).join('; ')}`);
  };
  const noErrors = (file: string, findings: readonly Finding[]): void => {
    const errors = findings.filter((f) => f.status === 'error');
    if (errors.length > 0) fail(`${file}: ${check.id} reported errors: ${errors.map((e) => e.message).join('; ')}`);
  };

  const passes: CheckTester['passes'] = (yaml, opts = {}) => {
    const file = opts.file ?? 'fixture.yaml';
    const r = run(yaml, opts);
    parsed(file, r);
    noErrors(file, r.findings);
    const bad = r.findings.filter((f) => f.status !== 'pass');
    if (bad.length > 0)
      fail(`${file}: ${check.id} should pass but reported:\n${bad.map((f) => `  ${f.status} ${label(f)}: ${f.message}`).join('\n')}`, {
        actual: bad.map(label),
        expected: [],
      });
    if (r.findings.length === 0) fail(`${file}: ${check.id} evaluated nothing (does its target match the fixture's objects?)`);
  };

  const fails: CheckTester['fails'] = (yaml, expected, opts = {}) => {
    const file = opts.file ?? 'fixture.yaml';
    if (expected.length === 0) fail(`${file}: name the pointers the check must fail at (use passes() for a passing fixture)`);
    const r = run(yaml, opts);
    parsed(file, r);
    noErrors(file, r.findings);
    const first = r.resources[0];
    const want = expected.map((e) => normalise(parseExpected(e), first)).sort();
    const failures = r.findings.filter((f) => f.status === 'fail');
    const got = failures.map(label).sort();
    if (got.length !== want.length || got.some((g, i) => g !== want[i])) {
      const missing = want.filter((w) => !got.includes(w));
      const extra = got.filter((g) => !want.includes(g));
      fail(
        `${file}: ${check.id} failed at other pointers than expected` +
          (missing.length > 0 ? `\n  expected but not reported: ${missing.join(', ')}` : '') +
          (extra.length > 0 ? `\n  reported but not expected: ${extra.join(', ')}` : ''),
        { actual: got, expected: want },
      );
    }
    for (const f of failures) {
      if (f.message.trim() === '') fail(`${file}: the failure at ${label(f)} has no message`);
      if (!f.location) fail(`${file}: the failure at ${label(f)} has no source location`);
    }
    return failures;
  };

  const fixture: CheckTester['fixture'] = (path) => {
    const text = readFileSync(path, 'utf8');
    const name = basename(path);
    const params = fixtureParams(text) ?? options.params;
    const opts = { file: name, ...(params ? { params } : {}) };
    if (name.startsWith('pass.')) passes(text, opts);
    else if (name.startsWith('fail.')) {
      const expected = expectedPointersIn(text);
      if (expected.length === 0) fail(`${name}: declare the failing pointers with "# expect: /pointer" lines`);
      fails(
        text,
        expected.map((e) => (e.kind ? `${e.kind}/${e.name ?? ''} ${e.pointer === '' ? '""' : e.pointer}` : e.pointer === '' ? '""' : e.pointer)),
        opts,
      );
    } else fail(`${name}: a fixture's name starts with pass. or fail.`);
  };

  return { run, passes, fails, fixture };
}

function label(f: Finding): string {
  return `${f.resource.kind}/${f.resource.name} ${f.pointer === '' ? '""' : f.pointer}`;
}

function parseExpected(entry: string): ExpectedPointer {
  const [e] = expectedPointersIn(`# expect: ${entry.trim()}`);
  if (!e) throw new TypeError(`expected pointer "${entry}" must be "/pointer", "Kind/name /pointer" or '""' (the object's root)`);
  return e;
}

function normalise(e: ExpectedPointer, first: ResourceRef | undefined): string {
  return `${e.kind ?? first?.kind ?? '?'}/${e.name ?? first?.name ?? '?'} ${e.pointer === '' ? '""' : e.pointer}`;
}

function fail(message: string, diff?: { actual: unknown; expected: unknown }): never {
  throw new AssertionError({ message, ...(diff ? { actual: diff.actual, expected: diff.expected, operator: 'deepStrictEqual' } : {}) });
}
