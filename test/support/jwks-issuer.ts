import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';

/**
 * An OIDC issuer reduced to what a hub's token verifier needs, shaped like LS-AAI (issuer with a path
 * and a trailing slash, groups released at userinfo, not in access tokens; see scripts/oidc/provider.ts
 * for the sources): discovery, a key set and a userinfo endpoint on loopback, and a signer of access
 * tokens, for suites that want real tokens without starting the full provider (the Worker inside
 * workerd and the Lambda handlers fetch it like any remote provider).
 */
export async function startJwksIssuer(opts: { kid: string; expiresIn: string }) {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: opts.kid, alg: 'ES256', use: 'sig' };
  /** What userinfo releases per subject: set when a token is signed with its groups at userinfo. */
  const groups = new Map<string, string[]>();
  const userinfoCalls = new Map<string, number>();
  let issuer = '';
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/oidc/.well-known/openid-configuration') {
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}jwk`, userinfo_endpoint: `${issuer}userinfo` }));
    } else if (path === '/oidc/jwk') {
      res.end(JSON.stringify({ keys: [jwk] }));
    } else if (path === '/oidc/userinfo') {
      // A test stand-in: it trusts the token's sub without checking the signature (the hub already did).
      const sub = String(decodeJwt(String(req.headers.authorization).replace(/^Bearer /, '')).sub);
      userinfoCalls.set(sub, (userinfoCalls.get(sub) ?? 0) + 1);
      res.end(JSON.stringify({ sub, eduperson_entitlement: groups.get(sub) ?? [] }));
    } else if (path === '/oidc/stats') {
      res.end(JSON.stringify({ userinfoCalls: Object.fromEntries(userinfoCalls) }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oidc/`;
  return {
    issuer,
    jwksUrl: `${issuer}jwk`,
    /** `{ userinfoCalls: { [sub]: n } }` as JSON: readable from inside workerd too. */
    statsUrl: `${issuer}stats`,
    userinfoCalls: (sub: string) => userinfoCalls.get(sub) ?? 0,
    /**
     * An access token for `sub`. Its groups go to userinfo, as LS-AAI releases them, unless
     * `inToken` puts them in the token as issuers such as Keycloak can.
     */
    sign: (audience: string, sub: string, entitlements: string[], { inToken = false } = {}) => {
      if (!inToken) groups.set(sub, entitlements);
      return new SignJWT(inToken ? { eduperson_entitlement: entitlements, scope: 'openid' } : { scope: 'openid eduperson_entitlement' })
        .setProtectedHeader({ alg: 'ES256', kid: jwk.kid })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(sub)
        .setIssuedAt()
        .setExpirationTime(opts.expiresIn)
        .setJti(crypto.randomUUID())
        .sign(privateKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
