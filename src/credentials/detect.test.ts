// biome-ignore-all lint/suspicious/noTemplateCurlyInString: placeholder syntax is test data here
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectCredential, isPlaceholder, redact, scanText, shannonEntropy } from './detect.js';

// Test tokens are built from parts so that this file itself does not trip secret scanners.
const GHP = `ghp_${'aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789'}`;
const AWS_ID = `AKIA${'Z2Q7KX4LMNOP3RST'}`;
const AWS_SECRET = `wJalrXUtnFEMI/K7MDENG/${'bPxRfiCYzQ9mK3tLpX'}`;
const JWT = ['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ', 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'].join('.');

describe('detectCredential: known token formats', () => {
  const positives: readonly (readonly [string, string, string])[] = [
    ['notes', AWS_ID, 'aws-access-key-id'],
    ['id', `ASIA${'Y5ABCDEFGHIJKLMN'}`, 'aws-access-key-id'],
    ['aws_secret_access_key', AWS_SECRET, 'aws-secret-access-key'],
    ['secretAccessKey', AWS_SECRET, 'aws-secret-access-key'],
    ['GITHUB', GHP, 'github-token'],
    ['x', `ghs_${'0123456789abcdefghijABCDEFGHIJklmnopqr'}`, 'github-token'],
    ['x', `github_pat_${'11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012345'}`, 'github-token'],
    ['x', `glpat-${'AbCdEfGhIjKlMnOpQrSt'}`, 'gitlab-token'],
    ['x', `xoxb-${'1234567890-abcdefghijkl'}`, 'slack-token'],
    ['hook', `https://hooks.slack.com/services/T0123ABCD/B0123ABCD/${'aBcDeFgHiJkLmNoPqRsTuVwX'}`, 'slack-webhook'],
    ['x', `sk_live_${'4eC39HqLyjWDarjtT1zdp7dc'}`, 'stripe-secret-key'],
    ['x', `AIza${'SyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW'}`, 'google-api-key'],
    ['x', `npm_${'aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789'}`, 'npm-token'],
    ['x', `sk-proj-${'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z'}`, 'openai-api-key'],
    ['x', JWT, 'jwt'],
    ['tls.key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n', 'private-key'],
    ['id_ed25519', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----', 'private-key'],
    ['client-key-data', Buffer.from('-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n').toString('base64'), 'private-key'],
    ['k', '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHzBJBgkqhkiG9w0BBQ0w\n-----END ENCRYPTED PRIVATE KEY-----', 'private-key'],
    [
      'conn',
      `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3A='};EndpointSuffix=core.windows.net`,
      'azure-storage-key',
    ],
    ['curl', `Authorization: Bearer ${'abcDEF123ghiJKL456mnoPQR789'}`, 'authorization-header'],
    ['DATABASE_URL', 'postgres://app:Xk9mQ2vL7pZt4@db:5432/app', 'url-credentials'],
    ['REDIS_URL', 'redis://:s3cretPassw0rd@redis:6379/0', 'url-credentials'],
  ];
  for (const [key, value, kind] of positives) {
    it(`finds ${kind} under ${key}`, () => {
      const got = detectCredential(key, value);
      assert.equal(got?.kind, kind);
    });
  }

  it('rates vendor formats high', () => {
    assert.equal(detectCredential('x', GHP)?.confidence, 'high');
    assert.equal(detectCredential('x', JWT)?.confidence, 'high');
  });

  it('finds tokens embedded in longer text', () => {
    assert.equal(detectCredential('script.sh', `#!/bin/sh\ncurl -H "token ${GHP}" https://api.github.com\n`)?.kind, 'github-token');
  });
});

describe('detectCredential: key-name heuristic', () => {
  const positives: readonly (readonly [string, string])[] = [
    ['DB_PASSWORD', 'password123'],
    ['password', 'hunter22'],
    ['POSTGRES_PASSWORD', 'postgres'],
    ['spring.datasource.password', 'Sup3rS3cret!'],
    ['dbPassword', 'letmein99'],
    ['passwd', 'qwerty12'],
    ['api_key', 'a8f5f167f44f4964e6c998dee827110c'],
    ['apiKey', 'AbC123dEf456GhI789'],
    ['client-secret', 'Zx8~qR2.vB7_mN4-kL1'],
    ['client_secret', '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b'],
    ['AUTH_TOKEN', 'tok_9f8e7d6c5b4a3210'],
    ['authtoken', 'f00dbabe12345678'],
    ['private_key', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'],
    ['credentials', 'admin:S3cr3tP4ss'],
    ['SECRET_KEY', 'django-insecure-8x#k2@p!m9v$w3z&q7r'],
    ['signing-key', 'Rk9PQkFSQkFaMTIzNDU2Nzg5'],
    ['ssh-passphrase', 'correcthorse42'],
    ['DJANGO_SECRET_KEY', 'k9(x)2=v!p@m7$z^w3&q+r)8#t'],
  ];
  for (const [key, value] of positives) {
    it(`flags ${key}=${value.slice(0, 3)}…`, () => {
      const got = detectCredential(key, value);
      assert.ok(got, `${key} should be a credential`);
      assert.ok(got.kind === 'password' || got.kind === 'generic-secret', got.kind);
    });
  }

  it('calls password-named keys passwords and others generic secrets', () => {
    assert.equal(detectCredential('MYSQL_ROOT_PASSWORD', 'password123')?.kind, 'password');
    assert.equal(detectCredential('api_token', 'Zx8qR2vB7mN4kL1pW6sT')?.kind, 'generic-secret');
  });

  it('rates weak literals medium and random values high', () => {
    assert.equal(detectCredential('password', 'password123')?.confidence, 'medium');
    assert.equal(detectCredential('password', 'Zx8qR2vB7mN4kL1pW6sT9')?.confidence, 'high');
  });

  it('finds credential assignments inside config text', () => {
    assert.equal(detectCredential('application.properties', 'db.url=jdbc:postgresql://db/app\ndb.password=s3cr3t-Pa55\n')?.kind, 'password');
    assert.equal(detectCredential('ConnectionStrings__Default', 'Server=db;Database=app;User Id=sa;Password=Str0ngP4ss!;')?.kind, 'password');
    assert.equal(detectCredential('config.json', '{"host":"db","password":"Zx8qR2vB7mN4kL1p"}')?.kind, 'password');
  });
});

describe('detectCredential: false-positive resistance', () => {
  const negatives: readonly (readonly [string, string])[] = [
    // placeholders and templating
    ['password', ''],
    ['password', '<password>'],
    ['password', '${PASSWORD}'],
    ['password', '$(DB_PASSWORD)'],
    ['password', '$DB_PASSWORD'],
    ['password', '{{ .Values.db.password }}'],
    ['password', 'REPLACE_ME'],
    ['password', 'CHANGE_ME'],
    ['password', 'changeme'],
    ['password', 'xxx'],
    ['password', '********'],
    ['password', 'example'],
    ['password', 'your-password-here'],
    ['token', 'true'],
    ['token', 'false'],
    ['password', '1234'],
    ['api_key', 'null'],
    ['password', 'aaaaaaaa'],
    // references, not values
    ['password_file', '/etc/secret/pw'],
    ['passwordPath', '/var/run/secrets/db/password'],
    ['bearer_token_file', '/var/run/secrets/kubernetes.io/serviceaccount/token'],
    ['tokenUrl', 'https://auth.example.com/oauth/token'],
    ['token_endpoint', 'https://login.microsoftonline.com/tenant/oauth2/v2.0/token'],
    ['secretName', 'db-creds'],
    ['existingSecret', 'postgres-credentials'],
    ['auth-secret', 'basic-auth'],
    ['auth-tls-secret', 'ingress-nginx/ca-secret'],
    ['vault.hashicorp.com/agent-inject-secret-db-password', 'database/creds/readonly'],
    ['settings.py', 'DB_PASSWORD = os.environ["DB_PASSWORD"]\nSECRET_KEY = os.getenv("SECRET_KEY")\n'],
    ['config.js', 'module.exports = { password: process.env.DB_PASSWORD, token: config.get("token") };'],
    ['values.yaml', 'password: *default_password'],
    ['JAVA_OPTS', '-Djavax.net.ssl.trustStorePassword=changeit'],
    ['entrypoint.sh', 'PASSWORD=$(cat /run/secrets/db)\nexport PGPASSWORD="$1"\nread -p "Password: " password\n'],
    ['password', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf'],
    // Argo CD references to Secret keys: `$key` and `$secret:key`
    ['clientSecret', '$dex.github.clientSecret'],
    ['clientSecret', '$oidc.auth0.clientSecret'],
    ['token', '$slack-token'],
    ['password', '$email-password'],
    ['clientSecret', '$argocd-oidc-secret:oidc.okta.clientSecret'],
    ['dex.config', 'connectors:\n- config:\n    clientSecret: $dex.github.clientSecret\n'],
    ['service.slack', 'token: $slack-token\nusername: bot\n'],
    // keys that are about credentials but are not credentials
    ['token_ttl', '3600s'],
    ['PASSWORD_MIN_LENGTH', '12'],
    ['passwordPolicy', 'strict'],
    ['secret-type', 'repository'],
    ['checksum/secret', '3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b'],
    ['password_hash', '$2b$12$KIXQJ8Vd9nq3h7GfZbYtOe1qkUu7Jb2uZo6WcJ7mZ1r0s2t3u4v5w'],
    ['prompt_password', 'Please enter your password'],
    // ordinary values under ordinary keys
    ['image', 'nginx:1.27'],
    ['image', 'ghcr.io/org/app:1.2@sha256:2d9e9a4ab1c8d4e1f3f2e5c7b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4'],
    ['subscription_id', '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b'],
    ['resourceId', '/subscriptions/3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b/resourceGroups/rg'],
    ['commit', '2d9e9a4ab1c8d4e1f3f2e5c7b4b4b4b4b4b4b4b4'],
    ['url', 'https://example.com/path?x=1'],
    ['endpoint', 'https://user@registry.example.com/v2/'],
    ['git', 'ssh://git@github.com:22/org/repo.git'],
    ['port', 'http://host:8080/path@foo'],
    ['x', 'AKIAIOSFODNN7EXAMPLE'],
    ['x', 'sk-payments-service-production'],
    ['service', 'task-abcdefghijklmnopqrstuvwxyz'],
    ['notes', 'Bearer <token>'],
    ['data', 'dGhpcyBpcyBqdXN0IHNvbWUgYmFzZTY0IHRleHQgdGhhdCBpcyBub3QgYSBzZWNyZXQgYXQgYWxs'],
    ['ca.crt', '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ0password=abcdefgh\n-----END CERTIFICATE-----\n'],
    ['ca.pem', '"-----BEGIN CERTIFICATE-----\\nMIIBszCCAVmgAwIBAgIUQ0==\\n-----END CERTIFICATE-----\\n"'],
    ['certificate-authority-data', Buffer.from('-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ0AbCdEf\n-----END CERTIFICATE-----\n').toString('base64')],
    ['pub', '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A\n-----END PUBLIC KEY-----'],
    ['jwt-like', 'eyJfoo12345678.eyJbar12345678.signature'],
    ['DATABASE_URL', 'postgres://app:${DB_PASSWORD}@db:5432/app'],
    ['nginx.conf', 'server {\n  ssl_certificate_key /etc/nginx/tls.key;\n  proxy_set_header Authorization "Bearer $token";\n}\n'],
    ['prometheus.yml', 'scrape_configs:\n  - job_name: k8s\n    bearer_token_file: /var/run/secrets/token\n    password_file: /etc/pw\n'],
    ['Corefile', '.:53 {\n  errors\n  forward . /etc/resolv.conf\n}\n'],
  ];
  for (const [key, value] of negatives) {
    it(`ignores ${key}=${JSON.stringify(value).slice(0, 40)}`, () => {
      assert.equal(detectCredential(key, value), undefined);
    });
  }
});

describe('scanText', () => {
  it('reports kind, 1-based line, key and a redacted preview', () => {
    const got = scanText('db.user=app\ndb.password=s3cr3t-Pa55\n');
    assert.deepEqual(got, [{ kind: 'password', confidence: 'medium', line: 2, key: 'db.password', redacted: 's3… (11 chars)' }]);
  });

  it('finds several credentials on their lines', () => {
    const text = ['# app config', `github: ${GHP}`, 'aws:', `  access_key_id: ${AWS_ID}`, `  secret_access_key: ${AWS_SECRET}`, 'debug: true'].join('\n');
    const got = scanText(text).map((m) => `${m.line}:${m.kind}`);
    assert.deepEqual(got, ['2:github-token', '4:aws-access-key-id', '5:aws-secret-access-key']);
  });

  it('reports a private key once, at its header, and ignores the base64 body', () => {
    const text = 'key: |\n  -----BEGIN EC PRIVATE KEY-----\n  MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oRlWbG5zdXZoTeP=\n  -----END EC PRIVATE KEY-----\n';
    assert.deepEqual(
      scanText(text).map((m) => `${m.line}:${m.kind}`),
      ['2:private-key'],
    );
  });

  it('does not report a token twice as a token and as an assignment', () => {
    const got = scanText(`token: ${JWT}`);
    assert.deepEqual(
      got.map((m) => m.kind),
      ['jwt'],
    );
  });

  it('finds XML, JSON, env and flag styles', () => {
    const text = ['<password>Zx8qR2vB7mN4</password>', '"apiKey": "AbC123dEf456GhI789",', 'export DB_PASS="tr0ub4dor&3"', 'run --token=Qw3rTy9UiOp2AsDf'].join(
      '\n',
    );
    assert.deepEqual(
      scanText(text).map((m) => `${m.line}:${m.key}`),
      ['1:password', '2:apiKey', '3:DB_PASS', '4:token'],
    );
  });

  it('never returns the secret itself', () => {
    const text = `password=Zx8qR2vB7mN4kL1pW6sT9\n${GHP}\n`;
    for (const m of scanText(text)) {
      assert.ok(!JSON.stringify(m).includes('Zx8qR2vB7mN4kL1pW6sT9'));
      assert.ok(!JSON.stringify(m).includes(GHP));
    }
  });

  // Speed is measured by the benchmark, not here: this only checks large clean text stays clean.
  it('finds nothing in large non-secret text', () => {
    const text = `${'{"panels":[{"title":"CPU","targets":[{"expr":"rate(container_cpu_usage_seconds_total[5m])"}]}]}\n'.repeat(20000)}`;
    assert.deepEqual(scanText(text), []);
  });
});

describe('redact', () => {
  it('shows at most two characters and the length', () => {
    assert.equal(redact('abcdefghijklmnopqrstuvwxyz0123456789ABCD'), 'ab… (40 chars)');
  });
  it('shows nothing of short values', () => {
    assert.equal(redact('hunter2'), '… (7 chars)');
    assert.equal(redact(''), '… (0 chars)');
  });
  it('counts characters, not UTF-16 units', () => {
    assert.equal(redact('pässwörd-😀😀'), 'pä… (11 chars)');
  });
});

describe('helpers', () => {
  it('computes Shannon entropy in bits per character', () => {
    assert.equal(shannonEntropy(''), 0);
    assert.equal(shannonEntropy('aaaa'), 0);
    assert.equal(shannonEntropy('abab'), 1);
    assert.equal(shannonEntropy('abcd'), 2);
  });
  it('recognises placeholders', () => {
    for (const v of ['', '<token>', '${X}', '$(X)', '{{ x }}', 'REPLACE_ME', 'xxx', '***', 'example', 'TRUE', '[secret]', '%PASSWORD%'])
      assert.ok(isPlaceholder(v), v);
    for (const v of ['password123', 'hunter22', 'Zx8qR2vB7mN4']) assert.ok(!isPlaceholder(v), v);
  });
});

describe('detectCredential: Argo CD secret references', () => {
  it('treats $key and $secret:key as references, but not literals that merely start with $', () => {
    assert.equal(detectCredential('clientSecret', '$dex.github.clientSecret'), undefined);
    assert.deepEqual(scanText('config:\n  clientSecret: $oidc.auth0.clientSecret\n  token: $slack-token\n'), []);
    // `!` and `#` cannot appear in a Secret key, so this is a value, not a reference.
    assert.equal(detectCredential('password', '$ecr3t!Pa55#2024')?.kind, 'password');
    // Neither can a second `$`: bcrypt-like strings under a credential key stay values.
    assert.equal(detectCredential('client_secret', '$2b$12$KIXQJ8Vd9nq3h7GfZbYtOe')?.kind, 'generic-secret');
  });
});
