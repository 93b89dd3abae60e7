import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadHubConfig } from '../../functions/config.ts';
import type { Clock } from '../../functions/ports/clock.ts';
import { silentLogger } from '../../functions/ports/logger.ts';
import { createNodeServices } from '../../functions/runtime/node-services.ts';
import { generateNodeKeyPair } from '../../shared/node-auth.ts';
import { freshDatabase } from '../support/database.ts';
import { startJwksIssuer } from '../support/jwks-issuer.ts';

const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url));

/** A hand-made Lambda event; each call gets its own copy, so a test may edit it freely. */
export async function loadFixture<T>(name: string): Promise<T> {
  return JSON.parse(await readFile(path.join(fixturesDir, name), 'utf8')) as T;
}

/** The services a Lambda container would build, on a fresh database (PGlite, or Postgres with TEST_DATABASE_URL). */
export async function startLambdaHub(opts: { clock?: Clock } = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'hub-lambda-'));
  // Real tokens without the full provider: the hub's verifier fetches this issuer's key set.
  const issuer = await startJwksIssuer({ kid: 'lambda-test', expiresIn: '5m' });
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
  const { services } = await createNodeServices(config, {
    database: database.handle,
    migrate: false,
    clock: opts.clock,
    logger: silentLogger,
  });
  return {
    services,
    db: database.handle.db,
    /** A member's token; as at LS-AAI, the group is released at the issuer's userinfo, not in the token. */
    memberToken: (sub: string) => issuer.sign(config.OIDC_AUDIENCE, sub, [config.MEMBER_ENTITLEMENT]),
    userinfoCalls: issuer.userinfoCalls,
    async stop() {
      await database.drop();
      await issuer.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
