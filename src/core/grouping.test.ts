import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inventoryOf } from '../../test/support/fixtures.js';
import { builtinChecks } from '../checks/index.js';
import { builtinModels } from '../checks/models.js';
import { runChecks } from './engine.js';
import { anchorsOf, bySpecificity, countProblems, problemsOf, rankFindings, rankResources } from './grouping.js';
import { failBySeverity, failsGate, filterReport, REPORT_SCHEMA_VERSION, type ScanReport } from './report.js';
import type { Finding, Severity } from './types.js';

const ROOT_CAUSES = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: app
          image: nginx:1.27.0
          securityContext:
            privileged: true
            capabilities:
              add: ["NET_RAW"]
          volumeMounts:
            - name: sock
              mountPath: /var/run/docker.sock
            - name: logs
              mountPath: /var/log/app
      volumes:
        - name: sock
          hostPath:
            path: /var/run/docker.sock
        - name: logs
          hostPath:
            path: /srv/logs
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: everything
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
`;

function scanText(text: string, file = 'fixture.yaml'): Finding[] {
  return runChecks(inventoryOf(text, file).inventory, { checks: builtinChecks, models: builtinModels }).findings;
}

function finding(check: string, over: Partial<Finding> = {}): Finding {
  return {
    check,
    name: check.toLowerCase(),
    title: check,
    severity: 'medium',
    defaultSeverity: 'medium',
    category: 'workload',
    status: 'fail',
    resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'prod', name: 'web' },
    pointer: '/spec/template/spec/containers/0/securityContext/privileged',
    message: `${check} says so`,
    frameworks: [],
    location: { file: 'web.yaml', line: 1, column: 1 },
    ...over,
  };
}

const problemOf = (problems: ReturnType<typeof problemsOf>, check: string) => problems.find((p) => p.primary.check === check);
const ids = (p: ReturnType<typeof problemsOf>[number] | undefined) => p?.related.map((r) => r.check);

describe('grouping findings by root cause', () => {
  const problems = problemsOf(rankFindings(scanText(ROOT_CAUSES)));

  it('puts every check about one docker.sock volume under the socket check, writable mount included', () => {
    assert.deepEqual(ids(problemOf(problems, 'PAL-0111')), ['PAL-0005', 'PAL-0112', 'PAL-0013']);
  });

  it('joins a writable mount to its volume through the volume name, for a plain hostPath too', () => {
    const logs = problems.find((p) => p.primary.check === 'PAL-0005' && p.primary.pointer.includes('/volumes/1'));
    assert.deepEqual(ids(logs), ['PAL-0112', 'PAL-0013']);
  });

  it('puts the capability controls about one added capability together, and the drop list apart', () => {
    const add = problems.find((p) => p.primary.pointer.endsWith('/capabilities/add/0'));
    assert.equal(add?.primary.check, 'PAL-0004');
    assert.deepEqual(ids(add), ['PAL-0018']);
    const drop = problems.find((p) => p.primary.pointer.endsWith('/capabilities/drop'));
    assert.deepEqual(ids(drop), []);
  });

  it('reports one wildcard RBAC rule once, under the critical check, with the 17 others related', () => {
    const rule = problemOf(problems, 'PAL-0301');
    assert.equal(rule?.primary.pointer, '/rules/0');
    assert.equal(rule?.related.length, 17);
    assert.ok(rule?.related.every((r) => r.pointer === '/rules/0'));
  });

  it('keeps different problems apart: other fields, other checks on non-anchored fields', () => {
    const privileged = problems.find((p) => p.primary.pointer.endsWith('/securityContext/privileged'));
    assert.deepEqual(ids(privileged), []);
    // Resource findings of different checks on the same container are not echoes of each other.
    assert.ok(problemOf(problems, 'PAL-0101') && problemOf(problems, 'PAL-0102'));
  });

  it('ranks by severity, then running pods, then how many checks agree', () => {
    assert.deepEqual(
      problems.slice(0, 3).map((p) => p.primary.check),
      ['PAL-0301', 'PAL-0111', 'PAL-0003'],
    );
    const ranks = problems.map((p) => p.rank);
    assert.deepEqual(
      ranks,
      ranks.map((_, i) => i + 1),
    );
    const pods = rankFindings([finding('PAL-A'), finding('PAL-B', { pointer: '/spec/x', affectedPods: 3 })]);
    assert.equal(pods[0]?.check, 'PAL-B');
  });
});

describe('rankFindings', () => {
  it('marks primaries, lists related findings, and keeps every finding', () => {
    const raw = [finding('PAL-0003', { category: 'pod-security', severity: 'critical' }), finding('PAL-0001', { severity: 'critical' })];
    const ranked = rankFindings(raw);
    assert.equal(ranked.length, 2);
    assert.equal(ranked[0]?.check, 'PAL-0001', 'a dedicated check leads a restated policy control of the same severity');
    assert.equal(ranked[0]?.primary, true);
    assert.deepEqual(ranked[0]?.related, [{ check: 'PAL-0003', name: 'pal-0003', severity: 'critical', pointer: raw[0]?.pointer }]);
    assert.equal(ranked[1]?.primary, false);
    assert.equal(ranked[1]?.related, undefined);
    assert.equal(ranked[0]?.groupId, ranked[1]?.groupId);
    assert.match(ranked[0]?.groupId ?? '', /^g[0-9a-f]{14}$/);
  });

  it('gives the same ids and order whatever the input order, and again on its own output', () => {
    const raw = scanText(ROOT_CAUSES);
    const a = rankFindings(raw);
    const b = rankFindings([...raw].reverse());
    assert.deepEqual(
      b.map((f) => [f.groupId, f.check, f.pointer, f.rank]),
      a.map((f) => [f.groupId, f.check, f.pointer, f.rank]),
    );
    assert.deepEqual(rankFindings(a), a);
  });

  it('never groups across objects, files, clusters or statuses', () => {
    const raw = [
      finding('PAL-0001'),
      finding('PAL-0003', { location: { file: 'other.yaml', line: 1, column: 1 } }),
      finding('PAL-0004', { resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'prod', name: 'web', cluster: 'eu' } }),
      finding('PAL-0005', { status: 'exempt', exemption: { reason: 'r', source: 'config' } }),
    ];
    assert.equal(new Set(rankFindings(raw).map((f) => f.groupId)).size, 4);
  });

  it('leads a problem with its most serious, then most specific finding', () => {
    const host = '/spec/template/spec/volumes/0/hostPath';
    const sorted = [
      finding('PAL-0013', { severity: 'medium', category: 'pod-security', pointer: host }),
      finding('PAL-0110', { severity: 'high', pointer: `${host}/path` }),
      finding('PAL-0005', { severity: 'high', category: 'pod-security', pointer: host }),
    ].sort(bySpecificity);
    assert.deepEqual(
      sorted.map((f) => f.check),
      ['PAL-0110', 'PAL-0005', 'PAL-0013'],
    );
  });

  it('documents its anchors', () => {
    const f = (pointer: string, evidence?: Finding['evidence']) => finding('X', { pointer, ...(evidence ? { evidence } : {}) });
    assert.deepEqual(anchorsOf(f('/spec/template/spec/volumes/2/hostPath', { volume: 'data' })), ['vol:/spec/template/spec#2', 'vol:/spec/template/spec:data']);
    assert.deepEqual(anchorsOf(f('/spec/containers/1/volumeMounts/0/readOnly', { volume: 'data' })), ['vol:/spec:data']);
    assert.deepEqual(anchorsOf(f('/spec/containers/0/securityContext/seccompProfile/type')), ['at:/spec/containers/0/securityContext/seccompProfile']);
    assert.deepEqual(anchorsOf(f('/rules/3/verbs')), ['at:/rules/3']);
    assert.deepEqual(anchorsOf(f('/metadata/name')), ['check:X:/metadata/name']);
  });
});

describe('problem counts and rankings', () => {
  it('counts failing problems and findings', () => {
    const c = countProblems(problemsOf(scanText(ROOT_CAUSES)));
    assert.ok(c.problems < c.findings);
    assert.equal(c.problemsBySeverity.critical, 3);
  });

  it('tells same-name objects in different files apart', () => {
    const a = finding('PAL-0001', { location: { file: 'a/web.yaml', line: 1, column: 1 } });
    const b = finding('PAL-0001', { location: { file: 'b/web.yaml', line: 1, column: 1 } });
    const top = rankResources(problemsOf([a, b]), 5);
    assert.deepEqual(top.map((t) => t.file).sort(), ['a/web.yaml', 'b/web.yaml']);
  });
});

describe('filterReport (--min-severity)', () => {
  function report(findings: Finding[]): ScanReport {
    const ranked = rankFindings(findings);
    return {
      schemaVersion: REPORT_SCHEMA_VERSION,
      tool: { name: 'palisade', version: 't' },
      generatedAt: '2025-01-01T00:00:00.000Z',
      sources: [],
      resources: 1,
      stats: { files: 1, documents: 1, nonKubernetes: 0, parseErrors: 0, skippedFiles: 0 },
      findings: ranked,
      summary: { totals: { pass: 0, fail: 3, exempt: 0, error: 1 }, failBySeverity: failBySeverity(ranked), checksRun: 4 },
      perCheck: {},
      checks: [],
      exceptions: { expired: [], unused: [] },
      diagnostics: [],
    };
  }
  const sev = (severity: Severity, pointer: string, over: Partial<Finding> = {}) => finding(`PAL-${severity}`, { severity, pointer, ...over });

  it('hides whole problems below the threshold, keeps errors, and says how many', () => {
    const full = report([
      sev('high', '/spec/template/spec/hostPID'),
      sev('low', '/spec/a'),
      // A low finding grouped under a high one stays with its problem.
      sev('low', '/spec/template/spec/hostPID', { check: 'PAL-low2' }),
      sev('info', '/spec/b', { status: 'error' }),
    ]);
    const shown = filterReport(full, 'high');
    assert.deepEqual(
      shown.findings.map((f) => f.check),
      ['PAL-high', 'PAL-low2', 'PAL-info'],
    );
    assert.deepEqual(shown.hidden, { minSeverity: 'high', findings: 1, problems: 1, failingFindings: 1, failingProblems: 1 });
    // The summary still describes the whole scan, and the gate must be given the full report.
    assert.deepEqual(shown.summary.failBySeverity, full.summary.failBySeverity);
    assert.equal(shown.summary.problems?.problems, 2);
    assert.equal(failsGate(full, 'low'), true);
    assert.equal(filterReport(full, undefined), full);
  });
});
