import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hc } from 'hono/client';
import type { AppType } from '../../functions/app.ts';
import type { Clock } from '../../functions/ports/clock.ts';
import { silentLogger } from '../../functions/ports/logger.ts';
import { startNodeHub } from '../../functions/runtime/node-hub.ts';
import { fetchDemoToken } from '../../scripts/oidc/token-client.ts';
import { startOidcProvider } from '../../scripts/oidc/provider.ts';
import { freshDatabase } from './database.ts';
import { freePort } from './ports.ts';

export type TestHub = Awaited<ReturnType<typeof startTestHub>>;

/**
 * A real hub on a loopback port with a real OIDC provider beside it, a fresh database (PGlite, or
 * real Postgres when TEST_DATABASE_URL is set) and a typed client. Tokens come from the provider.
 */
export async function startTestHub(opts: { env?: Record<string, string>; clock?: Clock; webRoot?: string } = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'hub-test-'));
  const database = await freshDatabase();
  // The hub's URL must be known before it listens (issuer, audience), so its port is picked first;
  // another test file may take that port in between: then pick again.
  let attempt = 0;
  for (;;) {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const oidc = await startOidcProvider({
      port: 0,
      dataDir: path.join(dir, 'oidc'),
      hubAudience: publicUrl,
      webRedirectUris: [`${publicUrl}/`],
      webOrigins: [publicUrl],
    });
    const boot = () =>
      startNodeHub(
        { PUBLIC_URL: publicUrl, OIDC_ISSUER: oidc.issuer, DATA_DIR: dir, LOG_LEVEL: 'silent', ...opts.env },
        { port, database: database.handle, migrate: false, clock: opts.clock, logger: silentLogger, webRoot: opts.webRoot },
      );
    try {
      return testHub({ dir, publicUrl, oidc, database, boot, hub: await boot() });
    } catch (err) {
      await oidc.close();
      if ((err as { code?: string }).code !== 'EADDRINUSE' || ++attempt >= 5) {
        await database.drop();
        throw err;
      }
    }
  }
}

function testHub(t: {
  dir: string;
  publicUrl: string;
  oidc: Awaited<ReturnType<typeof startOidcProvider>>;
  database: Awaited<ReturnType<typeof freshDatabase>>;
  boot: () => ReturnType<typeof startNodeHub>;
  hub: Awaited<ReturnType<typeof startNodeHub>>;
}) {
  const { dir, publicUrl, oidc, database, boot } = t;
  let hub = t.hub;
  const tokens = new Map<string, string>();
  const token = async (username: string) => {
    if (!tokens.has(username))
      tokens.set(username, await fetchDemoToken({ issuer: oidc.issuer, dataDir: path.join(dir, 'oidc'), username }));
    return tokens.get(username) as string;
  };
  return {
    url: publicUrl,
    dir,
    oidc,
    /** The hub's own PostgreSQL database (undefined on PGlite). */
    databaseUrl: database.url,
    get services() {
      return hub.services;
    },
    token,
    /** Stops the hub process logic and starts a new one on the same database and port, as a redeploy would. */
    async restart() {
      await hub.stop();
      hub = await boot();
    },
    /** The typed client as a given demo account (or anonymous). */
    async client(username?: string) {
      const headers: Record<string, string> = username ? { authorization: `Bearer ${await token(username)}` } : {};
      return hc<AppType>(publicUrl, { headers });
    },
    async stop() {
      await hub.stop();
      await oidc.close();
      await database.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
