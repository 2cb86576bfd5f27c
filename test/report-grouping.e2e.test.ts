/**
 * End-to-end: the built CLI (`npm run build` first) groups one root cause reported by several
 * checks into one problem in every format, ranks the same way in JSON and the table, and
 * hides problems below --min-severity without changing what --fail-on sees.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const CLI = new URL('../dist/cli/main.js', import.meta.url).pathname;

function run(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build first`);
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

// One privileged container adding NET_RAW and mounting docker.sock, and a `*/*/*` RBAC rule.
const MANIFESTS = `apiVersion: apps/v1
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
      volumes:
        - name: sock
          hostPath:
            path: /var/run/docker.sock
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

const SOCKET_ALSO = 'PAL-0005, PAL-0112, PAL-0013';
// The 17 other role checks a `*`/`*`/`*` rule fires. Their order (most specific first) follows
// the checks' severities, so the displays are compared with the JSON's order below.
const RULE_OTHERS = [
  'PAL-0300',
  'PAL-0302',
  'PAL-0303',
  'PAL-0304',
  'PAL-0305',
  'PAL-0306',
  'PAL-0307',
  'PAL-0308',
  'PAL-0309',
  'PAL-0310',
  'PAL-0311',
  'PAL-0312',
  'PAL-0313',
  'PAL-0314',
  'PAL-0315',
  'PAL-0316',
  'PAL-0317',
];
const CAPABILITY_ALSO = 'PAL-0018';

interface JsonFinding {
  check: string;
  status: string;
  severity: string;
  pointer: string;
  groupId: string;
  rank: number;
  primary: boolean;
  related?: { check: string }[];
  resource: { kind: string; name: string };
}

function project(): string {
  const d = mkdtempSync(join(tmpdir(), 'palisade-grouping-'));
  writeFileSync(join(d, 'app.yaml'), MANIFESTS);
  return d;
}

describe('grouped findings (built CLI)', () => {
  const d = project();
  const json = run(['scan', 'app.yaml', '-o', 'json', '-o', 'table=out.txt', '-o', 'markdown=out.md', '-o', 'html=out.html', '-o', 'sarif=out.sarif'], d);
  const report = JSON.parse(json.stdout) as { findings: JsonFinding[]; summary: { problems: { problems: number; findings: number } } };
  const table = readFileSync(join(d, 'out.txt'), 'utf8');
  const markdown = readFileSync(join(d, 'out.md'), 'utf8');
  const html = readFileSync(join(d, 'out.html'), 'utf8');
  const primaries = report.findings.filter((f) => f.primary);
  const RULE_ALSO = (report.findings.find((f) => f.check === 'PAL-0301')?.related ?? []).map((r) => r.check).join(', ');

  it('keeps every finding in JSON, each with a groupId, rank and primary flag', () => {
    assert.equal(json.code, 0, json.stderr);
    assert.ok(report.findings.length >= 39, `${report.findings.length} findings`);
    for (const f of report.findings) {
      assert.match(f.groupId, /^g[0-9a-f]{14}$/);
      assert.equal(typeof f.rank, 'number');
      assert.equal(typeof f.primary, 'boolean');
    }
    assert.equal(report.summary.problems.findings, report.findings.length);
    assert.equal(report.summary.problems.problems, primaries.length);
    const socket = report.findings.find((f) => f.check === 'PAL-0111');
    assert.equal(socket?.primary, true);
    assert.deepEqual(socket?.related?.map((r) => r.check).join(', '), SOCKET_ALSO);
    for (const id of ['PAL-0005', 'PAL-0112', 'PAL-0013']) {
      const member = report.findings.find((f) => f.check === id);
      assert.equal(member?.groupId, socket?.groupId, id);
      assert.equal(member?.primary, false, id);
    }
    const rule = report.findings.find((f) => f.check === 'PAL-0301');
    assert.deepEqual(rule?.related?.map((r) => r.check).sort(), RULE_OTHERS);
    assert.equal(report.findings.filter((f) => f.groupId === rule?.groupId).length, 18);
  });

  it('lists the findings in rank order, problem by problem', () => {
    const ranks = report.findings.map((f) => f.rank);
    assert.deepEqual(
      ranks,
      [...ranks].sort((a, b) => a - b),
    );
    assert.deepEqual(
      primaries.slice(0, 4).map((f) => f.check),
      ['PAL-0301', 'PAL-0111', 'PAL-0003', 'PAL-0004'],
    );
  });

  it('shows one table row per problem, with the related checks, in the JSON order', () => {
    assert.ok(table.includes(`    also: ${SOCKET_ALSO}\n`), table);
    assert.ok(table.includes(`    also: ${CAPABILITY_ALSO}\n`));
    assert.match(table.replace(/\n {10}/g, ' '), new RegExp(`also: ${RULE_ALSO}\\n`));
    assert.match(table, /CRITICAL {2}3 problems \(23 findings\)/);
    assert.match(table, /│ Problems +21 /);
    // Each problem's primary appears once, in the JSON order.
    const positions = primaries.filter((f) => f.status === 'fail').map((f) => table.indexOf(`${f.check} `));
    for (const p of positions) assert.ok(p >= 0);
    const tableOrder = primaries
      .filter((f) => f.status === 'fail')
      .map((f) => f.check)
      .sort((a, b) => table.indexOf(`\n${a} `) - table.indexOf(`\n${b} `));
    assert.deepEqual(
      tableOrder,
      primaries.filter((f) => f.status === 'fail').map((f) => f.check),
    );
    for (const id of ['PAL-0005', 'PAL-0013', 'PAL-0112', 'PAL-0300']) assert.ok(!table.includes(`\n${id} `), `${id} has no row of its own`);
  });

  it('shows one Markdown row per problem with the related checks', () => {
    assert.match(markdown, new RegExp(`\\| PAL-0111 container-runtime-socket-mount \\| Deployment prod/web \\| app\\.yaml:26 \\| .* \\| ${SOCKET_ALSO} \\|`));
    assert.match(markdown, new RegExp(`\\| PAL-0301 rbac-cluster-admin-equivalent \\| ClusterRole everything \\| app\\.yaml:33 \\| .* \\| ${RULE_ALSO} \\|`));
    assert.match(markdown, new RegExp(`\\| PAL-0004 pss-capabilities-baseline \\| .* \\| ${CAPABILITY_ALSO} \\|`));
    assert.ok(!/\| PAL-0112 writable-host-path \|/.test(markdown), 'the writable mount is related, not a row');
    assert.match(markdown, /\*\*21 failing problems\*\*/);
  });

  it('shows one HTML row per problem with the related checks', () => {
    const start = html.indexOf('<script type="application/json" id="palisade-data">');
    const data = JSON.parse(html.slice(html.indexOf('>', start) + 1, html.indexOf('</script>', start))) as {
      total: number;
      findings: { c: string; rk: number; rel?: { c: string }[] }[];
    };
    assert.equal(data.total, report.findings.length);
    assert.equal(data.findings.length, primaries.length);
    assert.equal(
      data.findings
        .find((f) => f.c === 'PAL-0111')
        ?.rel?.map((r) => r.c)
        .join(', '),
      SOCKET_ALSO,
    );
    assert.equal(
      data.findings
        .find((f) => f.c === 'PAL-0301')
        ?.rel?.map((r) => r.c)
        .join(', '),
      RULE_ALSO,
    );
    assert.deepEqual(
      data.findings.map((f) => f.c),
      primaries.map((f) => f.check),
    );
  });

  it('keeps one SARIF result per finding, related to its problem', () => {
    const sarif = JSON.parse(readFileSync(join(d, 'out.sarif'), 'utf8'));
    const results = sarif.runs[0].results as { ruleId: string; properties: { groupId: string; primary: boolean }; relatedLocations?: unknown[] }[];
    assert.equal(results.length, report.findings.length);
    const socket = results.find((r) => r.ruleId === 'PAL-0111');
    assert.equal(socket?.relatedLocations?.length, 3);
    const mount = results.find((r) => r.ruleId === 'PAL-0112');
    assert.equal(mount?.properties.groupId, socket?.properties.groupId);
    assert.equal(mount?.properties.primary, false);
    assert.equal(mount?.relatedLocations?.length, 1);
  });
});

describe('--min-severity (built CLI)', () => {
  const d = project();

  it('hides problems below the threshold in every format and says how many', () => {
    const r = run(['scan', 'app.yaml', '--min-severity', 'critical', '-o', 'json', '-o', 'table=out.txt', '-o', 'markdown=out.md'], d);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { findings: JsonFinding[]; hidden: { minSeverity: string; findings: number; problems: number } };
    assert.deepEqual(new Set(report.findings.filter((f) => f.primary).map((f) => f.severity)), new Set(['critical']));
    assert.equal(report.hidden.minSeverity, 'critical');
    assert.equal(report.hidden.problems, 18);
    assert.equal(report.hidden.findings, 19);
    const table = readFileSync(join(d, 'out.txt'), 'utf8');
    assert.ok(!table.includes('\nMEDIUM '));
    assert.match(table, /│ Not shown +18 problems \(19 findings\) below critical \(--min-severity critical\) +│/);
    assert.match(readFileSync(join(d, 'out.md'), 'utf8'), /Not shown: 18 problems \(19 findings\) below critical/);
  });

  it('leaves the gate alone: --fail-on low still fails on hidden low findings', () => {
    assert.equal(run(['scan', 'app.yaml', '--min-severity', 'critical', '--fail-on', 'low', '-o', 'json=out.json'], d).code, 1);
    assert.equal(run(['scan', 'app.yaml', '--include', 'PAL-0101', '--min-severity', 'critical', '--fail-on', 'low', '-o', 'json=out.json'], d).code, 1);
  });

  it('rejects an unknown severity as a usage error', () => {
    const r = run(['scan', 'app.yaml', '--min-severity', 'urgent'], d);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--min-severity/);
  });
});
