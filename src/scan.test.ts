import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinChecks } from './checks/index.js';
import { EMPTY_CONFIG, validateConfig } from './config/config.js';
import { PalisadeError } from './core/errors.js';
import { Inventory } from './core/inventory.js';
import { gateVerdict, prepareChecks, scan, scanInventory, validateCheckNames } from './scan.js';

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
