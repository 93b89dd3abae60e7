import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadHubConfig } from '../../functions/config.ts';
import { hubTasks, nodes, searchNodes, searches } from '../../functions/db/schema.ts';
import { generateNodeKeyPair } from '../../shared/node-auth.ts';
import { newId } from '../../shared/ids.ts';
import { startS3Server } from '../support/aws-servers.ts';
import { freshDatabase } from '../support/database.ts';
import { startJwksIssuer } from '../support/jwks-issuer.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The fresh database, as the Hyperdrive binding's local connection string. */
    hyperdriveUrl: string;
    jobSigningKey: string;
    seededNodeId: string;
    /** A search past its deadline with a due `search.deadline` task, for the cron test. */
    overdueSearchId: string;
    /** s3rver on loopback, for the object store inside workerd. */
    s3Endpoint: string;
    s3Bucket: string;
    /** The loopback issuer the Worker verifies user tokens against, and a member's token from it. */
    oidcIssuer: string;
    oidcJwksUrl: string;
    memberToken: string;
    /** Another member's token, whose group only the issuer's userinfo releases, and where to count those calls. */
    userinfoMemberToken: string;
    userinfoMemberSub: string;
    oidcStatsUrl: string;
    /** A node with a real key pair, so a test can act as its bridge inside workerd. */
    streamNodeId: string;
    streamNodePrivateJwk: string;
  }
}

const webDist = path.resolve('web/dist');

/** wrangler refuses a missing [assets] directory: build the web app, or stand in for it if that fails. */
async function ensureWebDist() {
  try {
    await access(path.join(webDist, 'index.html'));
    return;
  } catch {}
  try {
    const { buildWeb } = await import('../../web/build.ts');
    await buildWeb();
  } catch (err) {
    console.warn(`web build failed (${(err as Error).message}); serving an empty placeholder page`);
    await mkdir(webDist, { recursive: true });
    await writeFile(path.join(webDist, 'index.html'), '<!doctype html><title>EUCAIM</title>\n', { flag: 'wx' }).catch(() => {});
  }
}

/**
 * Node side of the workers suite: a fresh, migrated database with a few rows, handed to the pool
 * as the Hyperdrive connection string. Without PostgreSQL the suite fails here, by name.
 */
export default async function setup(project: TestProject) {
  if (!process.env.TEST_DATABASE_URL) {
    throw new Error(
      'the workers suite needs a real PostgreSQL (workerd cannot run PGlite): set TEST_DATABASE_URL, e.g. postgres://postgres:x@127.0.0.1:5432/test',
    );
  }
  await ensureWebDist();
  const database = await freshDatabase();
  const { db } = database.handle;
  const now = new Date();
  const seededNodeId = `node-${crypto.randomUUID().slice(0, 8)}`;
  const overdueSearchId = newId('srch');
  await db
    .insert(nodes)
    .values({ id: seededNodeId, name: 'Workers test node', publicJwk: { kty: 'OKP', crv: 'Ed25519', x: 'C'.repeat(43) }, lastSeenAt: now });
  await db.insert(searches).values({
    id: overdueSearchId,
    owner: 'workers-researcher',
    query: { operand: 'OR', children: [] },
    deadlineAt: new Date(now.getTime() - 60_000),
  });
  await db.insert(searchNodes).values({ searchId: overdueSearchId, nodeId: seededNodeId, jobId: newId('job') });
  await db.insert(hubTasks).values({
    id: newId('evt'),
    task: JSON.stringify({ type: 'search.deadline', searchId: overdueSearchId }),
    runAt: new Date(now.getTime() - 1000),
  });

  const url = new URL(database.url as string);
  // Hyperdrive wants a password in the string; trust auth on loopback ignores it.
  url.password ||= 'local';
  const { privateJwk } = await generateNodeKeyPair();
  project.provide('hyperdriveUrl', url.toString());
  project.provide('jobSigningKey', JSON.stringify(privateJwk));
  project.provide('seededNodeId', seededNodeId);
  project.provide('overdueSearchId', overdueSearchId);

  // Tokens last long enough for the whole suite.
  const oidc = await startJwksIssuer({ kid: 'workers-test', expiresIn: '30m' });
  const hubConfig = loadHubConfig({ PUBLIC_URL: 'https://hub.eucaim.example', OIDC_ISSUER: oidc.issuer });
  project.provide('oidcIssuer', oidc.issuer);
  project.provide('oidcJwksUrl', oidc.jwksUrl);
  // One token states its group itself (as an issuer like Keycloak can), the other leaves it to userinfo (as LS-AAI).
  project.provide(
    'memberToken',
    await oidc.sign(hubConfig.OIDC_AUDIENCE, 'workers-streamer', [hubConfig.MEMBER_ENTITLEMENT], { inToken: true }),
  );
  project.provide('userinfoMemberSub', 'workers-userinfo-member');
  project.provide(
    'userinfoMemberToken',
    await oidc.sign(hubConfig.OIDC_AUDIENCE, 'workers-userinfo-member', [hubConfig.MEMBER_ENTITLEMENT]),
  );
  project.provide('oidcStatsUrl', oidc.statsUrl);
  const streamNode = await generateNodeKeyPair();
  const streamNodeId = `node-${crypto.randomUUID().slice(0, 8)}`;
  await db.insert(nodes).values({ id: streamNodeId, name: 'Workers streaming node', publicJwk: streamNode.publicJwk, lastSeenAt: now });
  project.provide('streamNodeId', streamNodeId);
  project.provide('streamNodePrivateJwk', JSON.stringify(streamNode.privateJwk));

  const s3Dir = await mkdtemp(path.join(tmpdir(), 'hub-workers-s3-'));
  const s3 = await startS3Server(s3Dir);
  project.provide('s3Endpoint', s3.endpoint);
  project.provide('s3Bucket', s3.bucket);

  return async () => {
    await s3.close();
    await oidc.close();
    await rm(s3Dir, { recursive: true, force: true });
    await database.drop();
  };
}
