import { describe, expect, it } from 'vitest';
import { parseMediatorEndpointEnv } from './mediator-endpoint-config.ts';

const SECRET = 'x'.repeat(16);

describe('the mediator endpoint settings', () => {
  it('are off unless set', () => {
    expect(parseMediatorEndpointEnv({})).toEqual({ problems: [] });
  });

  it.each([
    ['127.0.0.1:8095', { host: '127.0.0.1', port: 8095 }],
    ['[::1]:8095', { host: '::1', port: 8095 }],
    ['mediator.local:80', { host: 'mediator.local', port: 80 }],
  ])('read %s', (listen, where) => {
    expect(parseMediatorEndpointEnv({ MEDIATOR_ENDPOINT_LISTEN: listen, MEDIATOR_ENDPOINT_SECRET: SECRET })).toEqual({
      config: { ...where, secret: SECRET },
      problems: [],
    });
  });

  it.each([
    [{ MEDIATOR_ENDPOINT_LISTEN: '127.0.0.1:8095' }, 'MEDIATOR_ENDPOINT_SECRET is missing'],
    [{ MEDIATOR_ENDPOINT_SECRET: SECRET }, 'MEDIATOR_ENDPOINT_LISTEN is missing'],
    [
      { MEDIATOR_ENDPOINT_LISTEN: '127.0.0.1:8095', MEDIATOR_ENDPOINT_SECRET: 'short' },
      'MEDIATOR_ENDPOINT_SECRET must be at least 16 characters',
    ],
    [
      { MEDIATOR_ENDPOINT_LISTEN: '8095', MEDIATOR_ENDPOINT_SECRET: SECRET },
      'MEDIATOR_ENDPOINT_LISTEN must be host:port, e.g. 127.0.0.1:8095',
    ],
    [{ MEDIATOR_ENDPOINT_LISTEN: 'h:70000', MEDIATOR_ENDPOINT_SECRET: SECRET }, 'MEDIATOR_ENDPOINT_LISTEN port must be at most 65535'],
    [
      { MEDIATOR_ENDPOINT_LISTEN: '127.0.0.1:8095', MEDIATOR_ENDPOINT_SECRET: SECRET, MEDIATOR_URL: 'http://m' },
      "MEDIATOR_ENDPOINT_LISTEN cannot be used with MEDIATOR_URL (it answers from the bridge's own index)",
    ],
  ])('name a bad setting: %j', (env, problem) => {
    expect(parseMediatorEndpointEnv(env).problems).toEqual([problem]);
  });
});
