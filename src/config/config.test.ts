import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PalisadeError } from '../core/errors.js';
import { EMPTY_CONFIG, loadConfig, parseSize, validateConfig } from './config.js';
import { validateAgainst } from './schema.js';
import { resolveScanSettings } from './settings.js';
import { suggest } from './suggest.js';

describe('validateConfig', () => {
  it('accepts a full configuration', () => {
    const cfg = validateConfig(
      {
        checks: { 'PAL-0100': { enabled: false }, 'host-pid': { severity: 'low', params: { x: 1 } } },
        include: 'PAL-*',
        exclude: ['PAL-0200'],
        nonWaivable: ['PAL-0003'],
        failOn: 'high',
        maxFileSize: '5MB',
        checksDir: ['policies'],
        exceptions: [{ check: 'PAL-0001', namespace: 'kube-*', reason: 'system', expires: '2027-01-31' }],
      },
      '/repo/.palisade.yaml',
    );
    assert.equal(cfg.failOn, 'high');
    assert.equal(cfg.maxFileSize, 5 * 1024 * 1024);
    assert.deepEqual(cfg.include, ['PAL-*']);
    assert.deepEqual(cfg.checksDirs, ['/repo/policies']);
    assert.equal(cfg.exceptions[0]?.expires, '2027-01-31');
    assert.equal(cfg.checks['host-pid']?.severity, 'low');
  });

  it('rejects every problem at once, naming the field', () => {
    assert.throws(
      () =>
        validateConfig(
          {
            failOn: 'urgent',
            exceptions: [{ check: 'PAL-0001' }, { check: 'x', reason: 'y', expires: 'soon' }],
            checks: { a: { severity: 'bad' } },
            colour: true,
          },
          'c.yaml',
        ),
      (err: unknown) => {
        assert.ok(err instanceof PalisadeError);
        assert.equal(err.exitCode, 2);
        for (const part of ['failOn', 'exceptions[0].reason', 'exceptions[1].expires', 'checks.a.severity', 'colour: unknown setting'])
          assert.ok(err.message.includes(part), `missing ${part} in ${err.message}`);
        return true;
      },
    );
  });

  it('accepts unquoted YAML dates for expires', () => {
    const cfg = validateConfig({ exceptions: [{ check: 'a', reason: 'b', expires: new Date('2027-02-03T00:00:00Z') }] }, 'c.yaml');
    assert.equal(cfg.exceptions[0]?.expires, '2027-02-03');
  });
});

describe('loadConfig', () => {
  it('returns the empty config for a missing default file and errors for a missing explicit one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-cfg-'));
    assert.deepEqual((await loadConfig(join(dir, '.palisade.yaml'), false)).exceptions, []);
    await assert.rejects(loadConfig(join(dir, 'nope.yaml'), true), /cannot read configuration/);
  });

  it('reports invalid YAML with its line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-cfg-'));
    const f = join(dir, 'c.yaml');
    writeFileSync(f, 'failOn: high\nexceptions: [\n');
    await assert.rejects(loadConfig(f, true), /c\.yaml:\d+: configuration is not valid YAML/);
  });
});

describe('parseSize', () => {
  it('parses units', () => {
    assert.equal(parseSize('20MB'), 20 * 1024 * 1024);
    assert.equal(parseSize('512k'), 512 * 1024);
    assert.equal(parseSize('1000'), 1000);
    assert.equal(parseSize('lots'), undefined);
    assert.equal(parseSize('0'), undefined);
  });
});

describe('resolveScanSettings', () => {
  const config = validateConfig({ failOn: 'high', maxFileSize: '1MB' }, 'c.yaml');
  it('a typed flag beats the config; the config beats a flag default', () => {
    const typed = resolveScanSettings(config, { maxFileSize: { value: '20MB', source: 'cli' }, failOn: { value: 'low', source: 'cli' } });
    assert.equal(typed.maxFileSize, 20 * 1024 * 1024);
    assert.equal(typed.failOn, 'low');
    const defaulted = resolveScanSettings(config, { maxFileSize: { value: '20MB', source: 'default' }, failOn: { value: undefined, source: undefined } });
    assert.equal(defaulted.maxFileSize, 1024 * 1024);
    assert.equal(defaulted.failOn, 'high');
    assert.equal(resolveScanSettings(EMPTY_CONFIG, { maxFileSize: { value: '20MB', source: 'default' } }).maxFileSize, 20 * 1024 * 1024);
    assert.equal(resolveScanSettings(config, { maxFileSize: { value: '5MB', source: 'env' } }).maxFileSize, 5 * 1024 * 1024);
  });

  it('allowIncomplete from the flag or the config; bad flag values are usage errors', () => {
    assert.equal(resolveScanSettings(EMPTY_CONFIG, {}).allowIncomplete, false);
    assert.equal(resolveScanSettings(validateConfig({ allowIncomplete: true }, 'c.yaml'), {}).allowIncomplete, true);
    assert.equal(resolveScanSettings(EMPTY_CONFIG, { allowIncomplete: { value: true, source: 'cli' } }).allowIncomplete, true);
    assert.throws(() => resolveScanSettings(EMPTY_CONFIG, { maxFileSize: { value: 'lots', source: 'cli' } }), /--max-file-size: "lots" is not a size/);
  });
});

describe('validateAgainst', () => {
  it('reports dotted paths with array indexes and readable messages', () => {
    const schema = {
      type: 'object',
      additionalProperties: false,
      properties: { maxReplicas: { type: 'integer' }, hosts: { type: 'array', items: { type: 'string' } } },
    };
    assert.deepEqual(validateAgainst(schema, { maxReplicas: 'three', hosts: ['a', 2], colour: 1 }, 'checks.PAL-0123.params'), [
      'checks.PAL-0123.params.colour: unknown setting (known: maxReplicas, hosts)',
      'checks.PAL-0123.params.maxReplicas: must be integer',
      'checks.PAL-0123.params.hosts[1]: must be string',
    ]);
    assert.deepEqual(validateAgainst(schema, { maxReplicas: 3 }), []);
  });
});

describe('suggest', () => {
  it('offers the closest name for a likely typo, nothing for an unrelated word', () => {
    assert.equal(suggest('imge-latest-tag', ['image-latest-tag', 'host-pid']), 'image-latest-tag');
    assert.equal(suggest('PAL-01OO', ['PAL-0100', 'PAL-0200']), 'PAL-0100');
    assert.equal(suggest('scna', ['scan', 'pss', 'rbac']), 'scan');
    assert.equal(suggest('kubernetes', ['scan', 'pss']), undefined);
  });
});
