import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { nodes } from '../../functions/db/schema.ts';
import { createHttpHandler, servicesFromEnv } from '../../functions/runtime/lambda.ts';
import { errorBodySchema } from '../../shared/errors.ts';
import { loadFixture, startLambdaHub } from './lambda-hub.ts';

type Hub = Awaited<ReturnType<typeof startLambdaHub>>;

const event = (name: string) => loadFixture<APIGatewayProxyEventV2>(name);
const json = (res: APIGatewayProxyStructuredResultV2) => JSON.parse(res.body ?? 'null');

describe('the hub API behind API Gateway (HTTP API, payload 2.0)', () => {
  let hub: Hub;
  let handler: ReturnType<typeof createHttpHandler>;
  const nodeId = `node-${crypto.randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    hub = await startLambdaHub();
    await hub.db.insert(nodes).values({
      id: nodeId,
      name: 'Lambda test node',
      publicJwk: { kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43) },
      lastSeenAt: new Date(),
    });
    handler = createHttpHandler(async () => hub.services);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('answers GET /api/v1/health with JSON from the database', async () => {
    const res = await handler(await event('get-health.json'));
    const body = json(res);
    expect(res.statusCode, res.body).toBe(200);
    expect(String(res.headers?.['content-type'])).toMatch(/^application\/json/);
    expect(body.status).toBe('ok');
    expect(body.nodes).toContainEqual(expect.objectContaining({ id: nodeId, online: true }));
  });

  it('refuses an anonymous search with 401 in the one error shape', async () => {
    const res = await handler(await event('post-search-anonymous.json'));
    const body = errorBodySchema.parse(json(res));
    expect(res.statusCode, res.body).toBe(401);
    expect(body.error.code).toBe('unauthenticated');
    // The request id the caller sent survives the API Gateway event mapping.
    expect(body.error.requestId).toBe('lambda-fixture-anonymous-search');
  });

  it('answers a member posting malformed JSON with 400', async () => {
    const req = await event('post-search-malformed.json');
    req.headers.authorization = `Bearer ${await hub.memberToken('lambda-researcher')}`;
    const res = await handler(req);
    const body = errorBodySchema.parse(json(res));
    expect(res.statusCode, res.body).toBe(400);
    expect(body.error.code).toBe('bad_request');
  });

  it('answers 500 naming the missing setting when the container cannot start', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken = createHttpHandler(servicesFromEnv({ LOG_LEVEL: 'silent' }));
    const res = await broken(await event('get-health.json'));
    const logLines = logged.mock.calls.map((args) => String(args[0]));
    logged.mockRestore();
    const body = errorBodySchema.parse(json(res));
    expect(res.statusCode, res.body).toBe(500);
    expect(body.error.message).toContain('DATABASE_URL');
    expect(res.body).not.toMatch(/\n\s+at /);
    expect(logLines.join('\n')).toContain('DATABASE_URL');
  });
});
