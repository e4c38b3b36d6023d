import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from './api-key.js';
import { createOidcVerifier, type OidcVerifier } from './oidc.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';

// A stand-in identity provider on loopback: it serves its JWKS; tokens are signed here.
let server: Server;
let issuer: string;
let key: CryptoKey;
let otherKey: CryptoKey;
let verify: OidcVerifier;
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const keyPair = await generateKeyPair('RS256', { extractable: true });
  key = keyPair.privateKey;
  const jwk = { ...(await exportJWK(keyPair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  server = createServer((req, res) => {
    if (req.url === '/realms/hro/protocol/openid-connect/certs') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  issuer = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/realms/hro`;
  verify = createOidcVerifier({
    issuer,
    audience: 'hro-datenplattform',
    jwksUrl: `${issuer}/protocol/openid-connect/certs`,
    roleClaim: 'roles',
  });
});
afterAll(async () => {
  server.close();
  await db.close();
});

function token(
  claims: Record<string, unknown>,
  options: { signWith?: CryptoKey; audience?: string; issuer?: string; expires?: string } = {},
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(options.issuer ?? issuer)
    .setAudience(options.audience ?? 'hro-datenplattform')
    .setSubject('u-42')
    .setIssuedAt()
    .setExpirationTime(options.expires ?? '5m')
    .sign(options.signWith ?? key);
}

describe('OIDC bearer tokens', () => {
  it('grant the role named in the role claim', async () => {
    expect(await verify(await token({ roles: ['hro-steering'] }))).toEqual({ role: 'steering', subject: 'oidc:u-42' });
    expect(await verify(await token({ roles: ['other', 'hro-admin', 'hro-steering'] }))).toMatchObject({ role: 'admin' });
    expect(await verify(await token({ roles: 'hro-steering' }))).toMatchObject({ role: 'steering' });
    expect(await verify(await token({}))).toMatchObject({ role: 'developer' });
  });

  it('are refused with a wrong signature, issuer, audience, or when expired', async () => {
    await expect(verify(await token({ roles: ['hro-admin'] }, { signWith: otherKey }))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(verify(await token({}, { issuer: 'http://127.0.0.1:1/evil' }))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(verify(await token({}, { audience: 'someone-else' }))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(verify(await token({}, { expires: '-10m' }))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('go through authenticate as "Bearer <jwt>", and are refused where no issuer is configured', async () => {
    const jwt = await token({ roles: ['hro-steering'] });
    expect(await authenticate(db.pool, `Bearer ${jwt}`, verify)).toMatchObject({ role: 'steering' });
    await expect(authenticate(db.pool, `Bearer ${jwt}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
