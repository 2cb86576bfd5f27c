import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { validateConfig } from '../config/config.js';
import { defineCheck } from '../core/check.js';
import type { JsonObject } from '../core/types.js';
import { buildAdmissionEngine } from './engine.js';
import { type AdmissionPath, decide, ENFORCE_LABEL, namespacePolicy, SEVERITY_LABEL } from './evaluate.js';
import { applyJsonPatch, type JsonPatchOperation } from './patch.js';
import { type AdmissionRequest, parseAdmissionReview } from './review.js';

const TODAY = '2026-12-03';

/** An AdmissionReview body from fixtures/ (written for these tests: a Pod `shop/cart` and a Deployment `shop/orders` by user dev-lee). */
function review(file: string): JsonObject {
  return JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8')) as JsonObject;
}

/** The fixture review with its objects changed in memory. */
function requestOf(file: string, edit?: (request: JsonObject) => void): AdmissionRequest {
  const body = review(file);
  if (edit) edit(body.request as JsonObject);
  return parseAdmissionReview(body);
}

function containers(object: unknown, list = 'containers'): JsonObject[] {
  const spec = (object as { spec: JsonObject }).spec;
  const template = spec.template as { spec: JsonObject } | undefined;
  return ((template ? template.spec : spec)[list] ?? []) as JsonObject[];
}

const privileged = (c: JsonObject): void => {
  c.securityContext = { privileged: true };
};

const engine = (config: Record<string, unknown> = {}) => buildAdmissionEngine({ config: validateConfig(config, 'test.yaml') });

const run = (path: AdmissionPath, req: AdmissionRequest, labels?: Record<string, string>, config?: Record<string, unknown>) =>
  decide(engine(config), path, req, labels, TODAY);

describe('admission decisions on AdmissionReviews as the API server sends them', () => {
  it('enforce denies a privileged Pod, naming each failed check and field; lower findings are warnings', () => {
    const req = requestOf('create-pod.json', (r) => containers(r.object).forEach(privileged));
    const d = run('validate', req, { [ENFORCE_LABEL]: 'enforce' });
    assert.equal(d.response.allowed, false);
    assert.equal(d.response.uid, req.uid);
    assert.equal(d.response.status?.code, 403);
    const message = d.response.status?.message ?? '';
    assert.match(message, /^palisade \(enforce, fail-on high\) denied Pod shop\/cart: /);
    assert.match(message, /PAL-\d+ pss-privileged at \/spec\/containers\/0\/securityContext\/privileged: /);
    assert.ok(d.blocking.length > 0);
    for (const f of d.blocking) assert.ok(['critical', 'high'].includes(f.severity), `${f.check} ${f.severity} blocks`);
    const warnings = d.response.warnings ?? [];
    assert.ok(warnings.length > 0);
    assert.ok(
      warnings.every((w) => /^\[(medium|low|info)\] /.test(w) || w.startsWith('palisade:')),
      warnings.join('\n'),
    );
    assert.ok(warnings.every((w) => w.length <= 256));
    assert.equal(d.response.auditAnnotations?.decision, 'denied');
  });

  it('enforce admits the unhardened Pod at fail-on high (it has medium findings only), with warnings', () => {
    const d = run('validate', requestOf('create-pod.json'), { [ENFORCE_LABEL]: 'enforce' });
    assert.equal(d.response.allowed, true);
    assert.equal(d.outcome, 'warned');
    assert.ok((d.response.warnings ?? []).some((w) => w.includes('pss-privilege-escalation')));
  });

  it('the namespace label palisade.dev/enforce-severity lowers the threshold', () => {
    const d = run('validate', requestOf('create-pod.json'), { [ENFORCE_LABEL]: 'enforce', [SEVERITY_LABEL]: 'medium' });
    assert.equal(d.response.allowed, false);
    assert.match(d.response.status?.message ?? '', /fail-on medium/);
    assert.match(d.response.status?.message ?? '', /pss-privilege-escalation at \/spec\/containers\/0\/securityContext\/allowPrivilegeEscalation/);
  });

  it('warn admits with every failing finding as a warning', () => {
    const req = requestOf('create-deployment.json', (r) => containers(r.object).forEach(privileged));
    const d = run('validate', req, { [ENFORCE_LABEL]: 'warn' });
    assert.equal(d.response.allowed, true);
    assert.equal(d.response.status, undefined);
    assert.ok((d.response.warnings ?? []).some((w) => w.startsWith('[critical] ') && w.includes('pss-privileged')));
    assert.equal(d.response.auditAnnotations?.decision, 'would-deny');
    assert.equal(d.response.auditAnnotations?.mode, 'warn');
  });

  it('audit admits without warnings and records the findings as audit annotations', () => {
    const req = requestOf('create-deployment.json', (r) => containers(r.object).forEach(privileged));
    const d = run('validate', req, { [ENFORCE_LABEL]: 'audit' });
    assert.equal(d.response.allowed, true);
    assert.equal(d.response.warnings, undefined);
    assert.equal(d.outcome, 'audited');
    const a = d.response.auditAnnotations ?? {};
    assert.equal(a.mode, 'audit');
    assert.equal(a.decision, 'would-deny');
    const findings = JSON.parse(a.findings ?? '[]') as { check: string; pointer: string }[];
    assert.ok(findings.some((f) => f.pointer === '/spec/template/spec/containers/0/securityContext/privileged'));
    // Audit annotation keys are prefixed by the API server with the webhook name: qualified-name parts only.
    for (const k of Object.keys(a)) assert.match(k, /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/);
  });

  it('without a label the default mode applies; an invalid label falls back to it with a warning', () => {
    const req = requestOf('create-pod.json', (r) => containers(r.object).forEach(privileged));
    assert.equal(run('validate', req, undefined, { admission: { defaultMode: 'enforce' } }).response.allowed, false);
    assert.equal(run('validate', req, undefined).response.allowed, true, 'the built-in default mode is warn');
    const d = run('validate', req, { [ENFORCE_LABEL]: 'block' }, { admission: { defaultMode: 'enforce' } });
    assert.equal(d.response.allowed, false);
    assert.ok((d.response.warnings ?? []).some((w) => w.includes('palisade.dev/enforce=block is not enforce, warn or audit')));
    assert.deepEqual(namespacePolicy({ [SEVERITY_LABEL]: 'severe' }, 'warn', 'high').problems.length, 1);
  });

  it('UPDATE with oldObject: what the old object had does not deny, what the update adds does', () => {
    // A relabelling of a Pod that was already privileged.
    const relabel = requestOf('update-pod-labels.json', (r) => {
      containers(r.object).forEach(privileged);
      containers(r.oldObject).forEach(privileged);
    });
    const kept = run('validate', relabel, { [ENFORCE_LABEL]: 'enforce' });
    assert.equal(kept.response.allowed, true);
    assert.ok((kept.response.warnings ?? []).some((w) => w.startsWith('already there before this update: [critical]') && w.includes('pss-privileged')));
    // The same update making the container privileged.
    const escalate = requestOf('update-pod-labels.json', (r) => containers(r.object).forEach(privileged));
    const d = run('validate', escalate, { [ENFORCE_LABEL]: 'enforce' });
    assert.equal(d.response.allowed, false);
    assert.match(d.response.status?.message ?? '', /pss-privileged at \/spec\/containers\/0\/securityContext\/privileged/);
  });

  it('pods/ephemeralcontainers: a privileged debug container is denied, at its own field', () => {
    const req = requestOf('update-pod-ephemeralcontainers.json', (r) => containers(r.object, 'ephemeralContainers').forEach(privileged));
    assert.equal(req.subResource, 'ephemeralcontainers');
    const d = run('validate', req, { [ENFORCE_LABEL]: 'enforce' });
    assert.equal(d.response.allowed, false);
    assert.match(d.response.status?.message ?? '', /pss-privileged at \/spec\/ephemeralContainers\/0\/securityContext\/privileged/);
    // The debug container itself (not privileged) adds no high finding.
    assert.equal(run('validate', requestOf('update-pod-ephemeralcontainers.json'), { [ENFORCE_LABEL]: 'enforce' }).response.allowed, true);
  });

  it('dry-run requests get the same verdict as the real request', () => {
    const edit = (r: JsonObject) => containers(r.object).forEach(privileged);
    const dry = requestOf('create-pod-dryrun.json', edit);
    assert.equal(dry.dryRun, true);
    const wet = requestOf('create-pod-dryrun.json', (r) => {
      edit(r);
      r.dryRun = false;
    });
    for (const mode of ['enforce', 'warn', 'audit']) {
      const a = run('validate', dry, { [ENFORCE_LABEL]: mode }).response;
      const b = run('validate', wet, { [ENFORCE_LABEL]: mode }).response;
      assert.deepEqual(a, b, mode);
    }
  });

  it('exempt namespaces, users and groups are admitted without evaluation', () => {
    const req = requestOf('create-pod.json', (r) => containers(r.object).forEach(privileged));
    const labels = { [ENFORCE_LABEL]: 'enforce' };
    for (const admission of [{ exemptNamespaces: ['sho*'] }, { exemptUsers: ['dev-lee'] }, { exemptGroups: ['developers'] }]) {
      const d = run('validate', req, labels, { admission });
      assert.equal(d.response.allowed, true, JSON.stringify(admission));
      assert.equal(d.outcome, 'exempt');
      assert.match(d.response.auditAnnotations?.exempt ?? '', /is exempt/);
    }
  });

  it('DELETE, CONNECT and other subresources are admitted without evaluation', () => {
    for (const file of ['delete-pod.json', 'connect-pod-exec.json', 'update-deployment-scale.json']) {
      const d = run('validate', requestOf(file), { [ENFORCE_LABEL]: 'enforce' });
      assert.equal(d.outcome, 'skipped', file);
      assert.equal(d.response.allowed, true);
    }
  });

  it('exceptions of the configuration apply, and non-waivable checks still deny', () => {
    const req = requestOf('create-pod.json', (r) => containers(r.object).forEach(privileged));
    const labels = { [ENFORCE_LABEL]: 'enforce' };
    const waived = { exceptions: [{ check: '*', namespace: 'shop', reason: 'lab namespace' }] };
    assert.equal(run('validate', req, labels, waived).response.allowed, true);
    const d = run('validate', req, labels, { ...waived, nonWaivable: ['pss-privileged'] });
    assert.equal(d.response.allowed, false);
    assert.deepEqual([...new Set(d.blocking.map((f) => f.name))], ['pss-privileged']);
    // An annotation waiver with a reason, as palisade scan honours it.
    const annotated = requestOf('create-pod.json', (r) => {
      containers(r.object).forEach(privileged);
      const meta = (r.object as { metadata: JsonObject }).metadata;
      meta.annotations = { 'palisade.dev/ignore.pss-privileged': 'CNI agent needs it', 'palisade.dev/ignore.pss-host-namespaces': 'x' };
    });
    const w = run('validate', annotated, labels);
    assert.ok(!w.blocking.some((f) => f.name === 'pss-privileged'));
  });

  it('/mutate returns the safe fixes of the fix engine as a JSON Patch that applies and fixes them', () => {
    const req = requestOf('create-deployment.json');
    const d = run('mutate', req, { [ENFORCE_LABEL]: 'enforce' });
    assert.equal(d.response.allowed, true);
    assert.equal(d.response.patchType, 'JSONPatch');
    const patch = JSON.parse(Buffer.from(d.response.patch ?? '', 'base64').toString('utf8')) as JsonPatchOperation[];
    assert.ok(patch.length > 0);
    const patched = applyJsonPatch(req.object as JsonObject, patch);
    const sc = containers(patched)[0]?.securityContext as JsonObject;
    assert.deepEqual(sc.capabilities, { drop: ['NET_RAW'] });
    assert.equal(sc.allowPrivilegeEscalation, false);
    // Fixes the engine marks "review" are never applied by admission.
    assert.equal(sc.readOnlyRootFilesystem, undefined);
    assert.equal(sc.runAsNonRoot, undefined);
    // The patched object no longer fails what was fixed, and fails nothing new.
    const before = run('validate', req, { [ENFORCE_LABEL]: 'warn' });
    const again = run('validate', { ...req, object: patched }, { [ENFORCE_LABEL]: 'warn' });
    assert.ok(!again.failing.some((f) => f.name === 'net-raw-not-dropped' || f.name === 'pss-privilege-escalation'));
    const had = new Set(before.failing.map((f) => `${f.check} ${f.pointer}`));
    assert.deepEqual(
      again.failing.filter((f) => !had.has(`${f.check} ${f.pointer}`)).map((f) => f.check),
      [],
    );
    assert.match((d.response.warnings ?? []).join('\n'), /palisade: fixed .*PAL-\d+ net-raw-not-dropped/);
    // A waived finding is accepted as it is: mutation does not "fix" it either.
    const waived = run(
      'mutate',
      req,
      { [ENFORCE_LABEL]: 'enforce' },
      { exceptions: [{ check: 'net-raw-not-dropped', reason: 'needs raw sockets' }], admission: { mutateChecks: ['net-raw-not-dropped'] } },
    );
    assert.equal(waived.response.patch, undefined);
    assert.equal(waived.outcome, 'allowed');
  });

  it('/mutate in audit mode records the patch without sending it, never denies, and never applies a fix marked review', () => {
    const req = requestOf('create-deployment.json', (r) => containers(r.object).forEach(privileged));
    const audit = run('mutate', req, { [ENFORCE_LABEL]: 'audit' });
    assert.equal(audit.response.allowed, true);
    assert.equal(audit.response.patch, undefined);
    assert.ok((audit.response.auditAnnotations?.['would-patch'] ?? '').startsWith('[{'));
    const enforce = run('mutate', req, { [ENFORCE_LABEL]: 'enforce' });
    assert.equal(enforce.response.allowed, true, '/mutate never denies: /validate does');
    const review = run('mutate', req, { [ENFORCE_LABEL]: 'enforce' }, { admission: { mutateChecks: ['writable-root-filesystem'] } });
    assert.equal(review.response.patch, undefined);
  });

  it('/mutate sends only fixes that the patched object confirms', () => {
    const labelCheck = (id: string, name: string, label: string, fixLabel: string) =>
      defineCheck({
        id,
        name,
        title: `has a ${label} label`,
        severity: 'low',
        category: 'hygiene',
        frameworks: [],
        docs: { description: 'test', remediation: 'test' },
        target: { kind: 'resource', kinds: ['Deployment'] },
        evaluate: ({ resource }) =>
          (resource.object.metadata as { labels?: Record<string, string> }).labels?.[label] !== undefined
            ? undefined
            : { path: `/metadata/labels/${label}`, message: `no ${label} label`, fix: [{ op: 'add', path: `/metadata/labels/${fixLabel}`, value: 'x' }] },
      });
    const extraChecks = [labelCheck('ACME-0001', 'team-label', 'team', 'team'), labelCheck('ACME-0002', 'owner-label', 'owner', 'ownr')];
    const e = buildAdmissionEngine({
      config: validateConfig({ admission: { mutateChecks: ['team-label', 'owner-label'] } }, 'test.yaml'),
      extraChecks,
    });
    const req = requestOf('create-deployment.json');
    // The fix engine rolls back an object whose fixes the rescan disproves, all of them.
    const d = decide(e, 'mutate', req, { [ENFORCE_LABEL]: 'warn' }, TODAY);
    assert.equal(d.response.patch, undefined);
    assert.match((d.response.warnings ?? []).join('\n'), /palisade: no fix applied/);
    // Without the broken fix, the other is sent.
    const ok = buildAdmissionEngine({ config: validateConfig({ admission: { mutateChecks: ['team-label'] } }, 'test.yaml'), extraChecks });
    const patched = decide(ok, 'mutate', req, { [ENFORCE_LABEL]: 'warn' }, TODAY);
    const patch = JSON.parse(Buffer.from(patched.response.patch ?? '', 'base64').toString('utf8')) as JsonPatchOperation[];
    assert.deepEqual(patch, [{ op: 'add', path: '/metadata/labels/team', value: 'x' }]);
    assert.deepEqual(patched.response.warnings, ['palisade: fixed ACME-0001 team-label']);
  });

  it('never returns a secret value of the object, in any mode or path', () => {
    const key = 'AKIAIOSFODNN7EXAMPLE';
    const password = 'hunter2-Sup3rS3cret!';
    const token = `ghp_${'a'.repeat(36)}`;
    const objects = [
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p', namespace: 'n', annotations: { 'example.com/token': token } },
        spec: {
          containers: [
            {
              name: 'c',
              image: 'x:1',
              env: [
                { name: 'AWS_ACCESS_KEY_ID', value: key },
                { name: 'DB_PASSWORD', value: password },
              ],
            },
          ],
        },
      },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'c', namespace: 'n' },
        data: { 'app.properties': `password=${password}\naws_access_key_id=${key}\n` },
      },
    ];
    for (const object of objects) {
      const req = parseAdmissionReview({
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        request: { uid: 'u', kind: { kind: object.kind }, resource: { resource: 'x' }, operation: 'CREATE', namespace: 'n', userInfo: {}, object },
      });
      for (const path of ['validate', 'mutate'] as const)
        for (const mode of ['enforce', 'warn', 'audit']) {
          const d = run(path, req, { [ENFORCE_LABEL]: mode, [SEVERITY_LABEL]: 'info' });
          assert.ok(
            d.failing.some((f) => /secret|credentials/.test(f.name)),
            `${object.kind}: a credential check fails`,
          );
          const text = JSON.stringify(d.response) + Buffer.from(d.response.patch ?? '', 'base64').toString('utf8');
          for (const value of [key, password, token]) assert.ok(!text.includes(value), `${object.kind} ${path} ${mode} returns a secret value`);
        }
    }
  });
});
