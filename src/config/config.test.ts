import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PalisadeError } from '../core/errors.js';
import { loadConfig, parseSize, validateConfig } from './config.js';

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
