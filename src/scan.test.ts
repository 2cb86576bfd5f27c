import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinChecks } from './checks/index.js';
import { EMPTY_CONFIG, validateConfig } from './config/config.js';
import { PalisadeError } from './core/errors.js';
import { Inventory } from './core/inventory.js';
import { gateVerdict, loadSource, prepareChecks, scan, scanInventory, scanLoaded, scanSource, validateCheckNames } from './scan.js';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec:\n  containers: [{name: c, image: nginx}]\n';

describe('check selection', () => {
  it('rejects unknown names in flags (usage) and config (config error), with suggestions', () => {
    assert.throws(
      () => validateCheckNames(builtinChecks, EMPTY_CONFIG, ['imge-latest-tag'], []),
      (e: unknown) => e instanceof PalisadeError && e.code === 'usage' && /did you mean "image-latest-tag"/.test(e.message),
    );
    const config = validateConfig({ nonWaivable: ['pss-privilegd'], exceptions: [{ check: 'nope-*', reason: 'r' }] }, 'c.yaml');
    assert.throws(
      () => validateCheckNames(builtinChecks, config, [], []),
      (e: unknown) =>
        e instanceof PalisadeError &&
        e.exitCode === 2 &&
        e.message.includes('nonWaivable[0]: "pss-privilegd" names no check (did you mean "pss-privileged"?)') &&
        e.message.includes('exceptions[0].check: "nope-*" names no check'),
    );
    assert.doesNotThrow(() => validateCheckNames(builtinChecks, validateConfig({ include: ['PAL-01*'] }, 'c.yaml'), ['pss-host-*'], ['PAL-0100']));
  });

  it('an empty selection is an error, before anything is read', async () => {
    assert.throws(() => prepareChecks({ include: ['PAL-0100'], exclude: ['PAL-0100'] }), /no check to run/);
    await assert.rejects(scan(['/does/not/matter'], { include: ['PAL-0100'], exclude: ['image-latest-tag'] }), /no check to run/);
  });

  it('bad params are one configuration error naming the key', () => {
    const config = validateConfig({ checks: { 'namespace-pss-privileged': { params: { allowedNamespaces: 'ops' } } } }, 'c.yaml');
    assert.throws(
      () => prepareChecks({ config }),
      /c\.yaml: invalid configuration: checks\.namespace-pss-privileged\.params\.allowedNamespaces: must be array/,
    );
  });
});

describe('gateVerdict', () => {
  it('2 when a manifest scan found nothing; 1 when incomplete under failOn unless allowed; 0 otherwise', async () => {
    const empty = scanInventory(new Inventory(), { include: ['PAL-0100'], sources: ['x/'] });
    assert.equal(gateVerdict(empty).exitCode, 2);
    const missing = await scan(['-', '/no/such/path'], { include: ['PAL-0100'], readStdin: async () => POD });
    assert.equal(missing.incomplete?.paths, 1);
    assert.equal(gateVerdict(missing).exitCode, 0);
    assert.equal(gateVerdict(missing, { failOn: 'critical' }).exitCode, 1);
    assert.match(gateVerdict(missing, { failOn: 'critical' }).reasons.join(), /incomplete: 1 file could not be read/);
    assert.equal(gateVerdict(missing, { failOn: 'critical', allowIncomplete: true }).exitCode, 0);
    assert.equal(gateVerdict(missing, { failOn: 'medium', allowIncomplete: true }).exitCode, 1, 'nginx without a tag is medium');
  });
});

describe('framework controls select checks', () => {
  it('--include cis:5.2.* runs the checks that cover CIS 5.2.x, and older numbering resolves', () => {
    const names = (include: string[]) => prepareChecks({ include }).map((c) => c.name);
    assert.deepEqual(names(['cis:5.2.2']), ['pss-privileged']);
    assert.ok(names(['cis:5.2.*']).includes('pss-host-namespaces'));
    assert.ok(!names(['cis:5.2.*']).includes('apiserver-anonymous-auth'));
    assert.deepEqual(names(['cis-1.10:5.7.4']), names(['cis:5.6.4']));
    assert.ok(prepareChecks({ framework: ['nsa-1.2'] }).some((c) => c.name === 'apiserver-audit-log-path'));
  });

  it('rejects unknown frameworks, unknown controls and manual-only selections', () => {
    assert.throws(() => prepareChecks({ include: ['cos:1.2.1'] }), /"cos" names no framework \(did you mean "cis"\?\)/);
    assert.throws(() => prepareChecks({ include: ['cis:9.9'] }), /names no control of CIS Kubernetes Benchmark/);
    assert.throws(() => prepareChecks({ include: ['cis:3.1.*'] }), /no check covers \(3\.1\.1, 3\.1\.2, 3\.1\.3: manual controls\)/);
    assert.throws(
      () => prepareChecks({ framework: ['nsb'] }),
      (e: unknown) => e instanceof PalisadeError && e.exitCode === 2 && /did you mean "nsa"/.test(e.message),
    );
  });

  it('an exception naming a control waives the checks that cover it', async () => {
    const privileged =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec:\n  containers: [{name: c, image: nginx, securityContext: {privileged: true}}]\n';
    const inventory = new Inventory();
    const { parseAllDocuments } = await import('yaml');
    for (const d of parseAllDocuments(privileged)) inventory.add({ object: d.toJS() });
    const config = validateConfig({ exceptions: [{ check: 'cis:5.2.2', namespace: 'a', reason: 'node agent' }] }, 'c.yaml');
    const report = scanInventory(inventory, { config, include: ['pss-privileged'], today: '2026-12-03' });
    const f = report.findings.find((x) => x.check === 'PAL-0003');
    assert.equal(f?.status, 'exempt');
    assert.equal(f?.exemption?.reason, 'node agent');
  });
});

describe('checks run in two passes, reported as one', () => {
  // A Deployment first, then a ClusterRole: image-latest-tag (no model) runs in the second
  // pass, rbac-wildcard (the RBAC model) in the first; both objects waive them without a reason.
  const objects = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop', annotations: { 'palisade.dev/ignore.image-latest-tag': '' } },
      spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:latest' }] } } },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'everything', annotations: { 'palisade.dev/ignore.rbac-wildcard': '' } },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    },
  ];
  const inventory = new Inventory();
  for (const object of objects) inventory.add({ object });
  const report = scanInventory(inventory, { today: '2026-12-03' });

  it('waivers without a reason are listed in inventory order, whichever pass ran their check', () => {
    const waivers = report.diagnostics.filter((d) => d.code === 'waiver-without-reason').map((d) => d.message);
    assert.equal(waivers.length, 2);
    assert.match(waivers[0] as string, /^Deployment shop\/web: annotation palisade\.dev\/ignore\.image-latest-tag/);
    assert.match(waivers[1] as string, /^ClusterRole everything: annotation palisade\.dev\/ignore\.rbac-wildcard/);
  });

  it('counts come in the checks order and add up to the totals', () => {
    const ran = prepareChecks({}).map((c) => c.id);
    const counted = Object.keys(report.perCheck);
    assert.deepEqual(
      counted,
      ran.filter((id) => counted.includes(id)),
    );
    assert.ok(counted.includes('PAL-0300') && counted.includes('PAL-0100'), 'both passes are counted');
    const sum = { pass: 0, fail: 0, exempt: 0, error: 0 };
    for (const c of Object.values(report.perCheck)) for (const k of ['pass', 'fail', 'exempt', 'error'] as const) sum[k] += c[k];
    assert.equal(report.summary.totals.fail, sum.fail);
    assert.ok(report.findings.some((f) => f.check === 'PAL-0300' && f.status === 'fail'));
    assert.ok(report.findings.some((f) => f.name === 'image-latest-tag' && f.status === 'fail'));
  });
});

describe('scanSource', () => {
  it('gives the report scanLoaded gives, and hands the loaded sources to the inputs hook', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'palisade-scan-source-'));
    writeFileSync(join(dir, 'pod.yaml'), POD);
    const spec = { kind: 'files', paths: [dir] } as const;
    const options = { today: '2026-12-03' };
    const strip = (r: object) => JSON.stringify({ ...r, generatedAt: undefined });
    const seen: number[] = [];
    const viaSource = await scanSource(spec, options, {
      inputs: async (loaded) => {
        seen.push(...loaded.map((l) => l.inventory.size));
        return undefined;
      },
    });
    const viaLoaded = scanLoaded(await loadSource(spec), options);
    assert.deepEqual(seen, [1]);
    assert.ok(viaSource.findings.length > 0);
    assert.equal(strip(viaSource), strip(viaLoaded));
  });
});
