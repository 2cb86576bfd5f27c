/**
 * TEST UTILITY (own process): a registry token service, as Docker Hub's auth.docker.io:
 * `GET /token?service=S&scope=repository:R:pull,push` with HTTP Basic credentials returns
 * `{"token": JWT}` signed with ES256, the certificate in the `x5c` header (what
 * docker-registry's `auth.token` checks against its rootcertbundle). Prints `{"url": ...}`
 * on stdout when listening; the requests it saw (user, scope) are served on /log.
 * Spec: https://distribution.github.io/distribution/spec/auth/token/ and .../spec/auth/jwt/
 */
import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [keyFile, certFile, user, password, issuer] = process.argv.slice(2) as [string, string, string, string, string];
const key = createPrivateKey(readFileSync(keyFile));
const certDer = Buffer.from(
  readFileSync(certFile, 'utf8')
    .replace(/-----(BEGIN|END) CERTIFICATE-----/g, '')
    .replace(/\s+/g, ''),
  'base64',
);
const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');
const log: { user: string; scope: string; status: number }[] = [];

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/log') {
    res.end(JSON.stringify(log));
    return;
  }
  const auth = req.headers.authorization ?? '';
  const [u, p] = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString().split(':') : ['', ''];
  const scope = url.searchParams.get('scope') ?? '';
  if (u !== user || p !== password) {
    log.push({ user: u ?? '', scope, status: 401 });
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"bad credentials"}');
    return;
  }
  log.push({ user: u, scope, status: 200 });
  const access = scope
    .split(' ')
    .filter(Boolean)
    .map((s) => {
      const [type, name, actions] = s.split(':');
      return { type, name, actions: (actions ?? '').split(',').filter(Boolean) };
    });
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'ES256', x5c: [certDer.toString('base64')] }));
  const claims = b64url(
    JSON.stringify({ iss: issuer, sub: u, aud: url.searchParams.get('service'), exp: now + 600, nbf: now - 60, iat: now, jti: randomUUID(), access }),
  );
  const signature = sign('sha256', Buffer.from(`${header}.${claims}`), { key, dsaEncoding: 'ieee-p1363' });
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: `${header}.${claims}.${b64url(signature)}`, expires_in: 600 }));
});
server.listen(0, '127.0.0.1', () => {
  const a = server.address();
  if (a && typeof a === 'object') process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${a.port}` })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
