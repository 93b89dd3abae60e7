import { describe, expect, it } from 'vitest';
import { loadHubConfig } from './config.ts';

describe('hub configuration', () => {
  it('runs on embedded defaults with nothing set', () => {
    const c = loadHubConfig({});
    expect(c.PUBLIC_URL).toBe('http://127.0.0.1:8080');
    expect(c.OIDC_AUDIENCE).toBe(c.PUBLIC_URL);
    expect(c.SEARCH_DEADLINE_SECONDS).toBe(10);
  });

  it('reads explorer origins separated by spaces or commas', () => {
    const c = loadHubConfig({ SPOT_EXPLORER_ORIGINS: 'https://explorer.example.org, http://127.0.0.1:5173' });
    expect(c.SPOT_EXPLORER_ORIGINS).toEqual(['https://explorer.example.org', 'http://127.0.0.1:5173']);
  });

  describe.each([
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ JOB_SIGNING_KEY: '{"kty":"RSA"}' }, 'JOB_SIGNING_KEY'],
    [{ TRACER_SIGNING_KEY: 'not json' }, 'TRACER_SIGNING_KEY'],
    [{ JOB_QUEUE: 'sqs' }, 'SQS_QUEUE_URL_TEMPLATE'],
    [{ OBJECT_STORE: 's3' }, 'S3_BUCKET'],
    [{ SEARCH_DEADLINE_SECONDS: '90' }, 'SEARCH_DEADLINE_SECONDS'],
    [{ PUBLIC_URL: 'not a url' }, 'PUBLIC_URL'],
    [{ MEMBER_ENTITLEMENT: 'EUCAIM' }, 'MEMBER_ENTITLEMENT'],
    [{ ADMIN_ENTITLEMENT: 'urn:geant:lifescience-ri.eu:res:EUCAIM#aai.lifescience-ri.eu' }, 'ADMIN_ENTITLEMENT'],
    [{ OIDC_USERINFO_TIMEOUT_MS: '50' }, 'OIDC_USERINFO_TIMEOUT_MS'],
    [{ SPOT_EXPLORER_ORIGINS: 'https://explorer.example.org/app' }, 'SPOT_EXPLORER_ORIGINS'],
    [{ NEGOTIATION_DISCOVERY_ORIGINS: 'catalogue.example.org' }, 'NEGOTIATION_DISCOVERY_ORIGINS'],
  ])('with %j', (env, setting) => {
    it(`stops with a message naming ${setting}`, () => {
      expect(() => loadHubConfig(env)).toThrow(new RegExp(`invalid configuration: .*${setting}`));
    });
  });
});
