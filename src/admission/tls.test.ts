import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { hasOpenssl } from '../../test/support/pki.js';
import { generateTls, serviceNames, subjectAltName } from './tls.js';

describe('webhook certificates', () => {
  it('names only IP addresses and DNS names in the subjectAltName, nothing that could reach the openssl configuration', () => {
    assert.equal(subjectAltName(['127.0.0.1', '::1', ...serviceNames('hook', 'sec')]), 'IP:127.0.0.1,IP:::1,DNS:hook.sec.svc,DNS:hook.sec.svc.cluster.local');
    for (const bad of ['a,IP:10.0.0.1', 'x\nbasicConstraints=CA:TRUE', 'a b', '', 'under_score.example'])
      assert.throws(() => subjectAltName([bad]), /--tls-san/);
  });

  it('generates a CA and a server certificate it signed, for the names asked', { skip: hasOpenssl() ? false : 'openssl not installed' }, async () => {
    const tls = await generateTls(['127.0.0.1', 'hook.sec.svc'], 2);
    const ca = new X509Certificate(tls.ca);
    const cert = new X509Certificate(tls.cert);
    assert.ok(ca.ca);
    assert.ok(!cert.ca);
    assert.ok(cert.verify(ca.publicKey), 'signed by the CA');
    assert.ok(cert.checkIP('127.0.0.1'));
    assert.equal(cert.checkHost('hook.sec.svc'), 'hook.sec.svc');
    assert.ok(cert.checkPrivateKey((await import('node:crypto')).createPrivateKey(tls.key)));
  });
});
