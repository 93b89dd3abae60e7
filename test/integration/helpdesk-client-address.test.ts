// The public form's per-client limit keys on the address the runtime saw, not on headers a client
// can write: X-Forwarded-For (and cf-connecting-ip off Workers) from an untrusted peer is ignored.
import { request } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddress } from '../../functions/helpdesk/client-address.ts';
import { INTEREST_LIMITS } from '../../functions/helpdesk/interest-routes.ts';
import { createHttpHandler } from '../../functions/runtime/lambda.ts';
import { databaseKind } from '../support/database.ts';
import { type TestHub, startTestHub } from '../support/hub.ts';
import { interestForm } from '../support/interest-form.ts';

const form = (n: number) =>
  interestForm({ email: `spoof-${n}-${crypto.randomUUID().slice(0, 6)}@example.org`, interests: ['data_holder'], capabilities: 'PACS' });

/** POST over a real socket from a chosen loopback address (Linux routes all of 127/8 to lo). */
function post(hubUrl: string, body: unknown, headers: Record<string, string>, localAddress = '127.0.0.1'): Promise<number> {
  const url = new URL('/api/v1/expressions-of-interest', hubUrl);
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

const spoofs = (i: number) => ({ 'x-forwarded-for': `198.51.100.${i}`, 'cf-connecting-ip': `192.0.2.${i}`, 'x-real-ip': `203.0.113.${i}` });

describe(`the expression-of-interest limit per client on Node (${databaseKind()})`, () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub?.stop());

  it('keys on the socket address: a new X-Forwarded-For or cf-connecting-ip per request does not escape the limit', async () => {
    for (let i = 0; i < INTEREST_LIMITS.perClientPerHour; i++) expect(await post(hub.url, form(i), spoofs(i))).toBe(201);
    expect(await post(hub.url, form(99), spoofs(99))).toBe(429);
    // Another socket address is another client.
    expect(await post(hub.url, form(100), spoofs(100), '127.0.0.2')).toBe(201);
  });
});

describe('behind a trusted reverse proxy (TRUSTED_PROXIES)', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ env: { TRUSTED_PROXIES: '127.0.0.1' } });
  });
  afterAll(async () => hub?.stop());

  it('keys on the hop the proxy added, whatever the client put in front of it', async () => {
    const via = (i: number) => ({ 'x-forwarded-for': `10.9.9.${i}, 203.0.113.50` });
    for (let i = 0; i < INTEREST_LIMITS.perClientPerHour; i++) expect(await post(hub.url, form(i), via(i))).toBe(201);
    expect(await post(hub.url, form(99), via(99))).toBe(429);
    expect(await post(hub.url, form(100), { 'x-forwarded-for': '203.0.113.51' })).toBe(201);
  });

  it('does not believe X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    for (let i = 0; i < INTEREST_LIMITS.perClientPerHour; i++) expect(await post(hub.url, form(i), spoofs(i), '127.0.0.3')).toBe(201);
    expect(await post(hub.url, form(99), spoofs(99), '127.0.0.3')).toBe(429);
  });
});

describe('behind API Gateway (Lambda)', () => {
  let hub: TestHub;
  let handler: ReturnType<typeof createHttpHandler>;
  beforeAll(async () => {
    hub = await startTestHub();
    handler = createHttpHandler(async () => hub.services);
  });
  afterAll(async () => hub?.stop());

  const event = (sourceIp: string, i: number): APIGatewayProxyEventV2 =>
    ({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/api/v1/expressions-of-interest',
      rawQueryString: '',
      headers: { 'content-type': 'application/json', host: 'abcdef1234.execute-api.eu-west-1.amazonaws.com', ...spoofs(i) },
      requestContext: {
        accountId: '123456789012',
        apiId: 'abcdef1234',
        domainName: 'abcdef1234.execute-api.eu-west-1.amazonaws.com',
        domainPrefix: 'abcdef1234',
        http: { method: 'POST', path: '/api/v1/expressions-of-interest', protocol: 'HTTP/1.1', sourceIp, userAgent: 'test' },
        requestId: `req-${i}`,
        routeKey: '$default',
        stage: '$default',
        time: '26/Nov/2026:01:00:00 +0000',
        timeEpoch: 1795654800000,
      },
      body: JSON.stringify(form(i)),
      isBase64Encoded: false,
    }) as APIGatewayProxyEventV2;

  it("keys on API Gateway's source IP, not on the headers the client sent", async () => {
    for (let i = 0; i < INTEREST_LIMITS.perClientPerHour; i++) {
      const res = await handler(event('192.0.2.200', i));
      expect(res.statusCode, res.body).toBe(201);
    }
    expect((await handler(event('192.0.2.200', 99))).statusCode).toBe(429);
    expect((await handler(event('192.0.2.201', 100))).statusCode).toBe(201);
  });
});

describe('clientAddress on Workers', () => {
  const app = new Hono().get('/', (c) => c.text(clientAddress(c, [], 'workerd')));

  it("takes Cloudflare's cf-connecting-ip, which the edge overwrites, and ignores X-Forwarded-For", async () => {
    const res = await app.request('/', { headers: { 'cf-connecting-ip': '192.0.2.7', 'x-forwarded-for': '198.51.100.1' } });
    expect(await res.text()).toBe('192.0.2.7');
  });

  it('does not believe cf-connecting-ip on Node, where any client can send it', async () => {
    const node = new Hono().get('/', (c) => c.text(clientAddress(c, [], 'node')));
    const res = await node.request(
      '/',
      { headers: { 'cf-connecting-ip': '192.0.2.7' } },
      { incoming: { socket: { remoteAddress: '::ffff:10.0.0.5' } } },
    );
    expect(await res.text()).toBe('10.0.0.5');
  });
});
