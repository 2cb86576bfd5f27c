import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runChecks } from '../../core/engine.js';
import type { JsonValue } from '../../core/types.js';
import { expectedPointers, inventoryOf } from '../../../test/support/fixtures.js';
import check, { isAllowedImage } from './untrusted-registry.js';

const fixture = (name: string): string => new URL(`./fixtures/${name}`, import.meta.url).pathname;

/** The `# params: {...}` line of a fixture. */
function paramsOf(text: string): Record<string, JsonValue> {
  const m = /^#\s*params:\s*(\{.*\})\s*$/m.exec(text);
  assert.ok(m?.[1], 'fixture has no params line');
  return JSON.parse(m[1]) as Record<string, JsonValue>;
}

function run(text: string, params?: Record<string, JsonValue>) {
  return runChecks(inventoryOf(text).inventory, { checks: [check], includePassed: true, ...(params ? { params: { [check.id]: params } } : {}) }).findings;
}

describe('untrusted-registry with allowedRegistries', () => {
  it('fails exactly the images of the fail fixture outside the list', () => {
    const text = readFileSync(fixture('fail.not-allowed.yaml'), 'utf8');
    const fails = run(text, paramsOf(text)).filter((f) => f.status === 'fail');
    assert.deepEqual(
      fails.map((f) => f.pointer).sort(),
      expectedPointers(fixture('fail.not-allowed.yaml'))
        .map((e) => e.pointer)
        .sort(),
    );
    assert.match(fails[0]?.message ?? '', /which is not in allowedRegistries/);
  });

  it('passes the allowed images of the pass fixture', () => {
    const text = readFileSync(fixture('pass.allowed.yaml'), 'utf8');
    const findings = run(text, paramsOf(text));
    assert.ok(findings.length > 0);
    assert.deepEqual(
      findings.filter((f) => f.status !== 'pass').map((f) => f.message),
      [],
    );
  });

  it('passes everything without the parameter and nothing with an empty list', () => {
    const text = readFileSync(fixture('pass.not-configured.yaml'), 'utf8');
    assert.ok(run(text).every((f) => f.status === 'pass'));
    assert.ok(run(text, { allowedRegistries: [] }).every((f) => f.status === 'fail'));
  });

  it('reports a malformed parameter as an error, not a pass', () => {
    const text = readFileSync(fixture('pass.not-configured.yaml'), 'utf8');
    const findings = run(text, { allowedRegistries: 'ghcr.io' });
    assert.ok(findings.length > 0 && findings.every((f) => f.status === 'error'));
  });

  it('matches hosts, wildcards, Docker Hub aliases and path prefixes by component', () => {
    assert.equal(isAllowedImage('nginx', ['docker.io']), true);
    assert.equal(isAllowedImage('registry-1.docker.io/library/nginx:1', ['docker.io/library']), true);
    assert.equal(isAllowedImage('bitnami/redis:7', ['docker.io/library']), false);
    assert.equal(isAllowedImage('GHCR.IO/acme/app:1', ['ghcr.io']), true);
    assert.equal(isAllowedImage('ghcr.io/acme/app:1', ['ghcr.io/acme/']), true);
    assert.equal(isAllowedImage('ghcr.io/acmecorp/app:1', ['ghcr.io/acme']), false);
    assert.equal(isAllowedImage('registry.example.com:5000/app:1', ['registry.example.com']), false);
    assert.equal(isAllowedImage('registry.example.com:5000/app:1', ['registry.example.com:5000']), true);
    assert.equal(isAllowedImage('1234.dkr.ecr.eu-west-1.amazonaws.com/app:1', ['*.dkr.ecr.eu-west-1.amazonaws.com']), true);
    assert.equal(isAllowedImage('dkr.ecr.eu-west-1.amazonaws.com.evil.io/app:1', ['*.dkr.ecr.eu-west-1.amazonaws.com']), false);
  });
});
