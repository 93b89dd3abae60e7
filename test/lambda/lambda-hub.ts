import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { loadHubConfig } from '../../functions/config.ts';
import type { Clock } from '../../functions/ports/clock.ts';
import { silentLogger } from '../../functions/ports/logger.ts';
import { createNodeServices } from '../../functions/runtime/node-services.ts';
import { generateNodeKeyPair } from '../../shared/node-auth.ts';
import { freshDatabase } from '../support/database.ts';

const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url));

/** A hand-made Lambda event; each call gets its own copy, so a test may edit it freely. */
export async function loadFixture<T>(name: string): Promise<T> {
  return JSON.parse(await readFile(path.join(fixturesDir, name), 'utf8')) as T;
}

/**
 * An OIDC issuer reduced to what the hub's verifier needs (a JWKS URL on loopback) and a signer of
 * access tokens, so the Lambda tests get real tokens without starting the full provider.
 */
async function startTestIssuer() {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'lambda-test', alg: 'ES256', use: 'sig' };
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    sign: (audience: string, sub: string, entitlements: string[]) =>
      new SignJWT({ eduperson_entitlement: entitlements })
        .setProtectedHeader({ alg: 'ES256', kid: jwk.kid })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(sub)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The services a Lambda container would build, on a fresh database (PGlite, or Postgres with TEST_DATABASE_URL). */
export async function startLambdaHub(opts: { clock?: Clock } = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'hub-lambda-'));
  const issuer = await startTestIssuer();
  const database = await freshDatabase();
  const { privateJwk } = await generateNodeKeyPair();
  const config = loadHubConfig({
    PUBLIC_URL: 'https://hub.lambda.test',
    OIDC_ISSUER: issuer.issuer,
    OIDC_JWKS_URL: issuer.jwksUrl,
    JOB_SIGNING_KEY: JSON.stringify(privateJwk),
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
  });
  const { services } = await createNodeServices(config, { database: database.handle, migrate: false, clock: opts.clock, logger: silentLogger });
  return {
    services,
    db: database.handle.db,
    memberToken: (sub: string) => issuer.sign(config.OIDC_AUDIENCE, sub, [config.MEMBER_ENTITLEMENT]),
    async stop() {
      await database.drop();
      await issuer.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
