import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runOn } from '../../../test/support/fixtures.js';
import check, { couldBeSecret, isCredentialName, urlPassword } from './hardcoded-secret-in-env.js';

describe('hardcoded-secret-in-env', () => {
  it('recognises credential names by their last word', () => {
    for (const name of [
      'DB_PASSWORD',
      'dbPassword',
      'MYSQL_ROOT_PASSWORD',
      'GITHUB_TOKEN',
      'CLIENT_SECRET',
      'API_KEY',
      'apiKey',
      'APIKEY',
      'AWS_SECRET_ACCESS_KEY',
      'SSH_PRIVATE_KEY',
      'GOOGLE_CREDENTIALS',
      'REDIS_AUTH',
      'DB_PWD',
      'PASSWORD2',
    ]) {
      assert.equal(isCredentialName(name), true, name);
    }
    for (const name of [
      'PASSWORD_FILE',
      'TOKEN_TTL',
      'SECRET_NAME',
      'AWS_ACCESS_KEY_ID',
      'PWD',
      'OLDPWD',
      'AUTH_URL',
      'CACHE_KEY',
      'KEY',
      'PASSPORT',
      'TOKENIZER',
    ]) {
      assert.equal(isCredentialName(name), false, name);
    }
  });

  it('ignores values that cannot be secrets', () => {
    for (const v of ['', '  ', '$(DB_PASSWORD)', '\u0024{TOKEN}', 'true', 'Disabled', '/run/secrets/token', 'https://auth.example.com/x'])
      assert.equal(couldBeSecret(v), false, v);
    for (const v of ['changeme', 'ghp_abc123', 'with space/slash', 'https://u:p@h']) assert.equal(couldBeSecret(v), true, v);
    assert.equal(urlPassword('postgres://app:hunter2@db/x'), 'hunter2');
    assert.equal(urlPassword('postgres://app:$(DB_PASSWORD)@db/x'), undefined);
    assert.equal(urlPassword('https://example.com/a:b@c'), undefined);
  });

  it('never puts the value in messages or evidence', () => {
    const path = new URL('./fixtures/fail.literal.yaml', import.meta.url).pathname;
    const findings = runOn([check], readFileSync(path, 'utf8')).filter((f) => f.status === 'fail');
    assert.ok(findings.length > 0);
    const text = JSON.stringify(findings);
    for (const secret of ['changeme', 's3cr3t-Example', 'ghp_exampleexample', 'wJalrXUtnFEMI', 'hunter2', '0123456789abcdef']) {
      assert.ok(!text.includes(secret), `leaked ${secret}`);
    }
    const mysql = findings.find((f) => f.evidence?.variable === 'MYSQL_ROOT_PASSWORD');
    assert.deepEqual(mysql?.evidence, { variable: 'MYSQL_ROOT_PASSWORD', valueLength: 14 });
  });
});
