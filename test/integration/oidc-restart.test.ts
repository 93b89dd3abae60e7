// Restarts of the local provider: tokens must survive them, and a rotated signing key must be
// picked up by a hub verifier that is already running.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOidcVerifier } from '../../functions/identity/oidc-verifier.ts';
import { readCliClient, rotateSigningKey } from '../../scripts/oidc/data-dir.ts';
import { type RunningOidcProvider, startOidcProvider } from '../../scripts/oidc/provider.ts';
import { fetchDemoToken } from '../../scripts/oidc/token-client.ts';

const HUB = 'http://127.0.0.1:8787';

describe('restarting the local provider', () => {
  let dataDir: string;
  let provider: RunningOidcProvider | undefined;

  // The same port after a restart, or the issuer (and every token's `iss`) would change.
  const start = (port: number) =>
    startOidcProvider({
      port,
      dataDir,
      hubAudience: HUB,
      webRedirectUris: ['http://127.0.0.1:5173/'],
      webOrigins: ['http://127.0.0.1:5173'],
    });
  const portOf = (p: RunningOidcProvider) => Number(new URL(p.issuer).port);
  const restart = async () => {
    const running = provider as RunningOidcProvider;
    await running.close();
    provider = undefined;
    provider = await start(portOf(running));
    return provider;
  };

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'oidc-restart-'));
    provider = await start(0);
  });
  afterEach(async () => {
    await provider?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps earlier tokens valid and the CLI client secret unchanged', async () => {
    const first = provider as RunningOidcProvider;
    const before = await fetchDemoToken({ issuer: first.issuer, dataDir, username: 'representative' });
    const secret = (await readCliClient(dataDir)).client_secret;
    const after = await restart();
    expect(after.issuer).toBe(first.issuer);
    expect((await readCliClient(dataDir)).client_secret).toBe(secret);

    // A verifier that never saw the old process: it can only trust the token via the same key.
    const user = await createOidcVerifier({ issuer: after.issuer, audience: HUB }).verify(before);
    expect(user.sub).toBe('representative');
    // And the secret still works for new tokens.
    const again = await fetchDemoToken({ issuer: after.issuer, dataDir, username: 'representative' });
    expect(decodeProtectedHeader(again).kid).toBe(decodeProtectedHeader(before).kid);
  });

  it('keeps its secrets readable by their owner only', async () => {
    for (const file of ['jwks.json', 'cli-client.json']) {
      expect((await stat(path.join(dataDir, file))).mode & 0o777, file).toBe(0o600);
    }
  });

  it('signs with a rotated key, which a running verifier accepts, while old tokens stay valid', async () => {
    const issuer = (provider as RunningOidcProvider).issuer;
    const verifier = createOidcVerifier({ issuer, audience: HUB, jwksCooldownMs: 0 });
    const old = await fetchDemoToken({ issuer, dataDir, username: 'admin' });
    expect((await verifier.verify(old)).sub).toBe('admin');

    const fresh = await rotateSigningKey(dataDir);
    await restart();
    const rotated = await fetchDemoToken({ issuer, dataDir, username: 'researcher' });
    expect(decodeProtectedHeader(rotated).kid).toBe(fresh.kid);
    expect(decodeProtectedHeader(rotated).kid).not.toBe(decodeProtectedHeader(old).kid);

    // The verifier's cached key set lacks the new kid: it must refetch rather than refuse.
    expect((await verifier.verify(rotated)).sub).toBe('researcher');
    expect((await verifier.verify(old)).sub).toBe('admin');
  });

  it('refuses tokens of a key dropped from the key set', async () => {
    const issuer = (provider as RunningOidcProvider).issuer;
    const old = await fetchDemoToken({ issuer, dataDir, username: 'admin' });
    await rotateSigningKey(dataDir, 0);
    await restart();
    const verifier = createOidcVerifier({ issuer, audience: HUB });
    await expect(verifier.verify(old)).rejects.toMatchObject({ code: 'unauthenticated', message: 'token signed by an unknown key' });
  });
});
