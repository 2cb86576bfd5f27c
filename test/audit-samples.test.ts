/**
 * Audit rules against audit logs recorded from a real kube-apiserver 1.25
 * (../shared/k8s-samples/audit, see its README): every attack scenario must raise the alerts
 * its README describes, the benign developer workflow must raise none, and no alert may be
 * about the control plane's own traffic (controllers, the API server) that is interleaved
 * with every scenario. Skipped when ../shared is absent.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type AuditAlert, AuditEngine } from '../src/audit-rules/engine.js';
import { isControlPlane } from '../src/audit-rules/event.js';
import { builtinAuditRules } from '../src/audit-rules/index.js';
import { readAuditFile } from '../src/audit/read.js';

const SAMPLES = new URL('../../shared/k8s-samples/audit', import.meta.url).pathname;
const present = existsSync(SAMPLES);

async function scanFile(name: string): Promise<{ alerts: AuditAlert[]; events: number }> {
  const engine = new AuditEngine(builtinAuditRules);
  const alerts: AuditAlert[] = [];
  for await (const e of readAuditFile(join(SAMPLES, name), { maxEventBytes: 4 << 20, onProblem: (p) => assert.fail(`${p.file}:${p.line}: ${p.message}`) }))
    alerts.push(...engine.process(e));
  assert.equal(engine.stats.ruleErrors, 0, [...engine.ruleErrors.values()].join('; '));
  return { alerts, events: engine.stats.events };
}

/** The rules each scenario's README description says should alert. */
const EXPECTED: Readonly<Record<string, readonly string[]>> = {
  'exec-attach-portforward-debug.jsonl': ['PAL-A001', 'PAL-A002', 'PAL-A003', 'PAL-A004'],
  'privileged-host-pods.jsonl': ['PAL-A010', 'PAL-A011', 'PAL-A012', 'PAL-A013'],
  'secrets-read-by-impersonated-user.jsonl': ['PAL-A030', 'PAL-A031', 'PAL-A035', 'PAL-A101', 'PAL-A102', 'PAL-A104'],
  'rbac-wildcards-cluster-admin-escalate-bind.jsonl': ['PAL-A020', 'PAL-A021', 'PAL-A022', 'PAL-A023', 'PAL-A025', 'PAL-A026', 'PAL-A035'],
  'tokenrequest-csr-proxy-events-webhook-anonymous.jsonl': ['PAL-A005', 'PAL-A031', 'PAL-A032', 'PAL-A033', 'PAL-A034', 'PAL-A035', 'PAL-A040', 'PAL-A041'],
  'exposure-nodeport-ingress-aws-key.jsonl': ['PAL-A037', 'PAL-A045', 'PAL-A046'],
};

describe('audit rules on recorded audit logs', { skip: present ? false : `samples not found at ${SAMPLES}; skipping` }, () => {
  it('raises no alert on the benign developer workflow (399 events, namespace deletion sweep included)', async () => {
    const { alerts, events } = await scanFile('benign-developer-workflow.jsonl');
    assert.equal(events, 399);
    assert.deepEqual(
      alerts.map((a) => `${a.rule} ${a.message}`),
      [],
    );
  });

  for (const [file, rules] of Object.entries(EXPECTED)) {
    it(`alerts on ${file.replace('.jsonl', '')}: ${rules.join(', ')}`, async () => {
      const { alerts } = await scanFile(file);
      const fired = new Set(alerts.map((a) => a.rule));
      assert.deepEqual(
        rules.filter((r) => !fired.has(r)),
        [],
        'expected rules that did not fire',
      );
      // Precision: nothing about the interleaved control-plane traffic (impersonating a controller is the attack, not its traffic).
      assert.deepEqual(
        alerts.filter((a) => isControlPlane(a.user) && a.impersonatedBy === undefined).map((a) => `${a.rule} ${a.message}`),
        [],
      );
      // Every alert belongs to the scenario's actors: the admin's kubectl/curl, its impersonated users, or unauthenticated callers.
      const actors = new Set([
        'admin',
        'mallory',
        'dave',
        'carol',
        'system:anonymous',
        '',
        'system:serviceaccount:samples-misc:builder',
        'system:serviceaccount:kube-system:generic-garbage-collector',
      ]);
      assert.deepEqual(
        alerts.filter((a) => !actors.has(a.user)).map((a) => `${a.rule} ${a.user}`),
        [],
      );
    });
  }

  it('raises the same alerts from all.jsonl as from the seven files (no cross-scenario noise)', async () => {
    const { alerts } = await scanFile('all.jsonl');
    let sum = 0;
    for (const f of ['benign-developer-workflow.jsonl', ...Object.keys(EXPECTED)]) sum += (await scanFile(f)).alerts.length;
    assert.equal(alerts.length, sum);
  });
});
