/**
 * The webhook on every AdmissionReview recorded from a real kube-apiserver v1.25.9
 * (../shared/k8s-samples/admission, described in its README): each one is answered for its uid,
 * what carries no object to judge is admitted unevaluated, and each evaluated object gets the
 * verdict `scan` gives a manifest holding that object. Skipped with a message when the samples
 * are not beside the repo.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildAdmissionEngine } from '../src/admission/engine.js';
import { type AdmissionPath, decide, ENFORCE_LABEL, objectUnderAdmission } from '../src/admission/evaluate.js';
import { parseAdmissionReview } from '../src/admission/review.js';
import { gateVerdict, scan } from '../src/scan.js';

const SAMPLES = new URL('../../shared/k8s-samples/admission', import.meta.url).pathname;
const present = existsSync(join(SAMPLES, 'README.md'));
const TODAY = '2026-12-03';

/** Which webhook received each file, from the README's table. */
function webhooks(): Map<string, AdmissionPath> {
  const out = new Map<string, AdmissionPath>();
  for (const m of readFileSync(join(SAMPLES, 'README.md'), 'utf8').matchAll(/^\| `(\d{3}-[^`]+\.json)` \| (mutating|validating) \|/gm))
    out.set(m[1] as string, m[2] === 'mutating' ? 'mutate' : 'validate');
  return out;
}

describe('recorded AdmissionReviews (kube-apiserver v1.25.9)', { skip: present ? false : `samples not found at ${SAMPLES}; skipping` }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'palisade-samples-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const files = present ? readdirSync(SAMPLES).filter((f) => f.endsWith('.json')) : [];
  const paths = present ? webhooks() : new Map<string, AdmissionPath>();
  const engine = buildAdmissionEngine({ defaultMode: 'enforce' });

  it('answers every request for its uid; DELETE, CONNECT and scale are admitted unevaluated', () => {
    assert.ok(files.length >= 90, `only ${files.length} samples`);
    assert.equal(paths.size, files.length, 'every sample is in the README table');
    const outcomes = new Map<string, number>();
    for (const file of files) {
      const body = JSON.parse(readFileSync(join(SAMPLES, file), 'utf8')) as unknown;
      const req = parseAdmissionReview(body);
      const d = decide(engine, paths.get(file) ?? 'validate', req, { [ENFORCE_LABEL]: 'enforce' }, TODAY);
      assert.equal(d.response.uid, req.uid, file);
      outcomes.set(d.outcome, (outcomes.get(d.outcome) ?? 0) + 1);
      const notJudged = req.operation === 'DELETE' || req.operation === 'CONNECT' || req.subResource === 'scale';
      assert.equal(d.outcome === 'skipped', notJudged, `${file}: ${d.outcome}`);
      // Secret values reach the webhook; they never leave it.
      assert.ok(!JSON.stringify(d.response).includes('REDACTED-BY-SAMPLES'), `${file} echoes a Secret value`);
    }
    // The recorded objects (nginx, busybox, a Role reading Secrets) have findings up to medium only.
    assert.equal(outcomes.get('denied') ?? 0, 0, 'nothing recorded has a finding at or above high');
    assert.ok((outcomes.get('warned') ?? 0) >= 10, `warned ${outcomes.get('warned') ?? 0}`);
    // The mutating calls for Pods and Deployments get the NET_RAW fix.
    assert.ok((outcomes.get('patched') ?? 0) >= 5, `patched ${outcomes.get('patched') ?? 0}`);
  });

  it('every evaluated CREATE gets the verdict palisade scan gives the same object in a manifest', async () => {
    let compared = 0;
    for (const file of files) {
      const req = parseAdmissionReview(JSON.parse(readFileSync(join(SAMPLES, file), 'utf8')));
      if (req.operation !== 'CREATE') continue;
      const target = objectUnderAdmission(req);
      if ('skip' in target) continue;
      const manifest = join(tmp, file);
      writeFileSync(manifest, JSON.stringify(target.object));
      for (const failOn of ['high', 'medium', 'low'] as const) {
        const report = await scan([manifest], { today: TODAY });
        const fromScan = gateVerdict(report, { failOn }).exitCode;
        const d = decide(engine, 'validate', req, { [ENFORCE_LABEL]: 'enforce', 'palisade.dev/enforce-severity': failOn }, TODAY);
        assert.equal(d.response.allowed, fromScan === 0, `${file} at ${failOn}: scan exit ${fromScan}, webhook allowed ${d.response.allowed}`);
        const scanFailing = report.findings
          .filter((f) => f.status === 'fail')
          .map((f) => `${f.check} ${f.pointer}`)
          .sort();
        assert.deepEqual(d.failing.map((f) => `${f.check} ${f.pointer}`).sort(), scanFailing, file);
      }
      compared++;
    }
    assert.ok(compared >= 20, `only ${compared} CREATE requests compared`);
  });

  it('the ephemeral-container update is judged on the debug container, and dry-run requests are evaluated alike', () => {
    const eph = parseAdmissionReview(JSON.parse(readFileSync(join(SAMPLES, '008-update-pods-ephemeralcontainers.json'), 'utf8')));
    const d = decide(engine, 'validate', eph, { [ENFORCE_LABEL]: 'warn' }, TODAY);
    assert.ok(
      d.failing.some((f) => f.pointer.startsWith('/spec/ephemeralContainers/0')),
      'findings on the debug container',
    );
    for (const file of files.filter((f) => f.includes('-dryrun'))) {
      const body = JSON.parse(readFileSync(join(SAMPLES, file), 'utf8')) as { request: Record<string, unknown> };
      const dry = parseAdmissionReview(body);
      assert.equal(dry.dryRun, true, file);
      body.request.dryRun = false;
      const wet = parseAdmissionReview(body);
      assert.deepEqual(decide(engine, 'validate', dry, undefined, TODAY).response, decide(engine, 'validate', wet, undefined, TODAY).response, file);
    }
  });
});
