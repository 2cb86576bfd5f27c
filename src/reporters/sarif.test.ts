import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Log, Result } from 'sarif';
import type { Finding } from '../core/types.js';
import { assertGolden } from './fixtures/golden.js';
import { SAMPLE_FINDINGS, sampleReport } from './fixtures/sample-report.js';
import { assertValidSarif, SARIF_SCHEMA } from './fixtures/sarif-schema.js';
import { artifactLocation, FINGERPRINT_KEY, findingFingerprint, sarifReporter, toSarif } from './sarif.js';

const render = (findings?: readonly Finding[]): Log => JSON.parse(sarifReporter.render(sampleReport(findings ? { findings } : {}), { color: false })) as Log;
const resultsOf = (log: Log): Result[] => log.runs[0]?.results ?? [];

describe('sarif reporter', () => {
  it('uses the draft-07 schema we vendored', () => {
    assert.equal(SARIF_SCHEMA.$schema, 'http://json-schema.org/draft-07/schema#');
  });

  it('matches the golden file', () => {
    assertGolden('sarif.json', sarifReporter.render(sampleReport(), { color: false }));
  });

  it('validates against the SARIF 2.1.0 schema', () => {
    assertValidSarif(render());
    assertValidSarif(toSarif(sampleReport({ findings: [], diagnostics: [] })));
  });

  it('describes one rule per check that ran, GitHub style', () => {
    const rules = render().runs[0]?.tool.driver.rules ?? [];
    assert.deepEqual(
      rules.map((r) => r.id),
      ['PAL-0001', 'PAL-0002', 'PAL-0100', 'PAL-0200', 'PAL-0300', 'PAL-0400', 'PAL-0500', 'PAL-0600'],
    );
    const privileged = rules[0];
    assert.equal(privileged?.name, 'privileged-container');
    assert.equal(privileged?.shortDescription?.text, 'Container runs privileged');
    assert.equal(privileged?.defaultConfiguration?.level, 'error');
    assert.equal(privileged?.helpUri, 'https://kubernetes.io/docs/concepts/security/pod-security-standards/');
    assert.match(privileged?.help?.markdown ?? '', /\*\*Remediation\*\*\n\nRemove `securityContext.privileged: true`/);
    assert.match(privileged?.help?.markdown ?? '', /- CIS Kubernetes Benchmark 5\.2\.2: Limit privileged containers/);
    assert.deepEqual(privileged?.properties?.tags, ['security', 'kubernetes', 'workload', 'cis:5.2.2', 'pss:baseline/privileged', 'mitre:T1611']);
    const scores = rules.map((r) => r.properties?.['security-severity']);
    assert.deepEqual(scores, ['9.5', '8.0', '5.5', '3.0', '0.0', '8.0', '8.0', '9.5']);
  });

  it('reports failing and exempt findings as results, with levels by severity', () => {
    const log = render();
    const results = resultsOf(log);
    assert.equal(results.length, 9 + 2);
    const levels = results.map((r) => `${r.ruleId}:${r.level}`);
    assert.ok(levels.includes('PAL-0001:error') && levels.includes('PAL-0100:warning') && levels.includes('PAL-0200:note') && levels.includes('PAL-0300:note'));
    const rules = log.runs[0]?.tool.driver.rules ?? [];
    for (const r of results) assert.equal(rules[r.ruleIndex ?? -1]?.id, r.ruleId);
  });

  it('marks exemptions as suppressions: annotations in source, config exceptions external', () => {
    const suppressed = resultsOf(render()).filter((r) => r.suppressions);
    assert.deepEqual(
      suppressed.map((r) => [r.ruleId, r.suppressions]),
      [
        ['PAL-0500', [{ kind: 'inSource', justification: 'the CNI plugin configures node networking' }]],
        ['PAL-0002', [{ kind: 'external', justification: 'reviewed in SEC-142' }]],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  });

  it('locates results physically and logically', () => {
    const results = resultsOf(render());
    const web = results.find((r) => r.ruleId === 'PAL-0001' && r.properties?.resource?.name === 'web');
    assert.deepEqual(web?.locations?.[0], {
      physicalLocation: { artifactLocation: { uri: 'deploy/web.yaml', uriBaseId: 'SRCROOT' }, region: { startLine: 24, startColumn: 15 } },
      logicalLocations: [{ name: 'web', fullyQualifiedName: 'prod/Deployment/web', kind: 'resource' }],
    });
    assert.equal(web?.properties?.pointer, '/spec/template/spec/containers/0/securityContext/privileged');
    const stdin = results.find((r) => r.properties?.resource?.name === 'debug-shell');
    assert.deepEqual(stdin?.locations?.[0]?.physicalLocation?.artifactLocation, { uri: 'stdin' });
    // From a live cluster: no file, so only the logical location.
    const cluster = results.find((r) => r.properties?.resource?.name === 'node-exporter');
    assert.equal(cluster?.locations?.[0]?.physicalLocation, undefined);
    assert.equal(cluster?.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName, 'monitoring/DaemonSet/node-exporter');
  });

  it('reports crashed checks and loading problems as notifications', () => {
    const invocation = render().runs[0]?.invocations?.[0];
    assert.equal(invocation?.executionSuccessful, false);
    const notes = invocation?.toolExecutionNotifications ?? [];
    assert.deepEqual(
      notes.map((n) => [n.level, n.descriptor?.id]),
      [
        ['error', 'check-error'],
        ['error', 'parse-error'],
        ['warning', 'exception-expired'],
        ['note', 'file-too-large'],
      ],
    );
    assert.deepEqual(notes[0]?.associatedRule, { id: 'PAL-0400', index: 5 });
    assert.equal(toSarif(sampleReport({ findings: [], diagnostics: [] })).runs[0]?.invocations?.[0]?.executionSuccessful, true);
  });

  it('fingerprints findings stably: line moves do not matter, the pointer does', () => {
    const f = SAMPLE_FINDINGS[0] as Finding;
    const moved: Finding = { ...f, location: { file: 'other.yaml', line: 99, column: 1 }, message: 'reworded' };
    assert.equal(findingFingerprint(f), findingFingerprint(moved));
    assert.notEqual(findingFingerprint(f), findingFingerprint({ ...f, pointer: '/spec/hostPID' }));
    assert.match(resultsOf(render())[0]?.partialFingerprints?.[FINGERPRINT_KEY] ?? '', /^[0-9a-f]{64}$/);
  });

  it('turns paths into URIs', () => {
    assert.deepEqual(artifactLocation('deploy/my app.yaml'), { uri: 'deploy/my%20app.yaml', uriBaseId: 'SRCROOT' });
    assert.deepEqual(artifactLocation('./a/b.yaml'), { uri: 'a/b.yaml', uriBaseId: 'SRCROOT' });
    assert.deepEqual(artifactLocation('/abs/x #1.yaml'), { uri: 'file:///abs/x%20%231.yaml' });
    assert.deepEqual(artifactLocation('C:\\work\\k8s\\a.yaml'), { uri: 'file:///C:/work/k8s/a.yaml' });
    assert.deepEqual(artifactLocation('<stdin>'), { uri: 'stdin' });
    assert.deepEqual(artifactLocation('evil/<pod>.yaml'), { uri: 'evil/%3Cpod%3E.yaml', uriBaseId: 'SRCROOT' });
  });
});
