// The negotiation routes that need no negotiation tables, through a real hub: the lifecycle as
// data, the grant key (public, generated into DATA_DIR and kept across restarts, or configured),
// and the application form with its 422 per field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHubConfig } from '../../functions/config.ts';
import { newId } from '../../shared/ids.ts';
import { eucaimApplicationForm } from '../../shared/negotiation/form-template.ts';
import { verifyGrant } from '../../shared/negotiation/grant.ts';
import { lifecycle } from '../../shared/negotiation/lifecycle.ts';
import { generateNodeKeyPair } from '../../shared/node-auth.ts';
import { databaseKind } from '../support/database.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';

describe(`negotiation API (${databaseKind()})`, () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub?.stop());

  const grantKeys = async () => {
    const res = await (await hub.client()).api.v1.negotiation.keys.$get();
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    return body;
  };

  it('serves the lifecycle to anyone, as the typed chart the web app draws', async () => {
    const res = await (await hub.client()).api.v1['negotiation-lifecycle'].$get();
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toEqual(JSON.parse(JSON.stringify(lifecycle)));
    expect(body.dataset.events.find((e) => e.id === 'grant_access')?.roles).toEqual(['representative']);
  });

  it('publishes a grant key anyone can fetch, and grants the hub signs verify with it offline', async () => {
    const jwks = await grantKeys();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const claims = {
      sub: 'researcher',
      jti: newId('grt'),
      exp,
      dataset: 'ds-1',
      access: 'DOWNLOAD' as const,
      conditions: '',
      negotiation: newId('neg'),
    };
    const jws = await hub.services.grantSigner.sign(claims, Date.now());
    expect(await verifyGrant(jws, jwks, { issuer: hub.url, user: 'researcher', dataset: 'ds-1' })).toMatchObject(claims);
  });

  it('keeps a grant key separate from the job key', async () => {
    const jobKeys = (await (await fetch(`${hub.url}/api/v1/bridge/job-keys`)).json()) as { keys: { x: string }[] };
    expect(jobKeys.keys.map((k) => k.x)).not.toContain((await grantKeys()).keys[0]?.x);
  });

  it('keeps the generated grant key across a restart, so issued grants stay verifiable', async () => {
    const before = await grantKeys();
    await hub.restart();
    expect(await grantKeys()).toEqual(before);
  });

  it('serves the application form to members only', async () => {
    expect((await (await hub.client()).api.v1.negotiation.form.$get()).status).toBe(401);
    expect((await (await hub.client('outsider')).api.v1.negotiation.form.$get()).status).toBe(403);
    const res = await (await hub.client('researcher')).api.v1.negotiation.form.$get();
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toEqual(JSON.parse(JSON.stringify(eucaimApplicationForm)));
  });

  it('answers 422 naming every field at fault, and accepts the answers once fixed', async () => {
    const client = await hub.client('researcher');
    const answers = { organisation_name: 'UPV', description: Array.from({ length: 601 }, () => 'word').join(' ') };
    const res = await client.api.v1.negotiation.form.check.$post({ json: { answers } });
    const body = (await res.json()) as unknown as { error: { code: string; details: { path: string; message: string }[] } };
    expect(res.status, JSON.stringify(body)).toBe(422);
    expect(body.error.code).toBe('unprocessable');
    expect(body.error.details).toContainEqual({ path: 'scientific.description', message: 'at most 600 words (now 601)' });
    expect(body.error.details).toContainEqual({ path: 'contact.organisation_acronym', message: 'required' });
    expect(body.error.details.map((d) => d.path)).not.toContain('contact.organisation_name');
  });

  it('refuses answers that are not an object of answers with 400', async () => {
    const res = await fetch(`${hub.url}/api/v1/negotiation/form/check`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await hub.token('researcher')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ answers: ['not', 'a', 'record'] }),
    });
    expect(res.status).toBe(400);
  });
});

describe('the grant key setting', () => {
  it('signs with GRANT_SIGNING_KEY when it is set', async () => {
    const { privateJwk } = await generateNodeKeyPair();
    const hub = await startTestHub({ env: { GRANT_SIGNING_KEY: JSON.stringify(privateJwk) } });
    try {
      const jwks = await (await (await hub.client()).api.v1.negotiation.keys.$get()).json();
      expect(jwks.keys.map((k) => k.x)).toEqual([privateJwk.x]);
    } finally {
      await hub.stop();
    }
  });

  it('names GRANT_SIGNING_KEY when it is not a private Ed25519 JWK', () => {
    expect(() => loadHubConfig({ GRANT_SIGNING_KEY: '{"kty":"RSA"}' })).toThrow(/GRANT_SIGNING_KEY: must be an Ed25519 private JWK/);
  });
});
