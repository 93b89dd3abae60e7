import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodes } from '../../functions/db/schema.ts';
import { jobs } from '../../functions/jobs/jobs.sql.ts';
import { createStreamingHandler } from '../../functions/runtime/lambda-stream.ts';
import { recordSearchAnswer } from '../../functions/search/search-service.ts';
import { loadFixture, startLambdaHub } from './lambda-hub.ts';
import { installLambdaStreamingRuntime, responseReader } from './lambda-streaming-runtime.ts';

type Hub = Awaited<ReturnType<typeof startLambdaHub>>;
const ast = {
  operand: 'OR',
  children: [{ operand: 'AND', children: [{ operand: 'OR', children: [{ key: 'RID10311', type: 'EQUALS', value: 'RID10312' }] }] }],
};
const events = (body: string) =>
  [...body.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!) as { status: string; nodes: { nodeId: string; status: string }[] });

describe('the hub API behind a Lambda function URL with response streaming', () => {
  let hub: Hub;
  let handler: ReturnType<typeof createStreamingHandler>;
  const nodeId = `node-${crypto.randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    installLambdaStreamingRuntime();
    hub = await startLambdaHub();
    await hub.db.insert(nodes).values({
      id: nodeId,
      name: 'Streaming test node',
      publicJwk: { kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43) },
      lastSeenAt: new Date(),
    });
    handler = createStreamingHandler(async () => hub.services);
  });
  afterAll(async () => hub?.stop());

  const invoke = (event: APIGatewayProxyEventV2) => {
    const reader = responseReader();
    const done = handler(event, reader.stream, {} as Context);
    return { reader, done };
  };

  it('streams the events of a search as they happen, not all at the end', async () => {
    const token = `Bearer ${await hub.memberToken('lambda-streamer')}`;
    const post = await loadFixture<APIGatewayProxyEventV2>('post-search-malformed.json');
    post.headers = { ...post.headers, authorization: token, 'content-length': undefined } as APIGatewayProxyEventV2['headers'];
    post.body = JSON.stringify({ ast, deadlineSeconds: 20 });
    const created = invoke(post);
    await created.done;
    expect(created.reader.prelude?.statusCode, await created.reader.until(() => false)).toBe(202);
    const { id } = JSON.parse(await created.reader.until(() => false)) as { id: string };

    const get = await loadFixture<APIGatewayProxyEventV2>('url-get-search-events.json');
    get.headers.authorization = token;
    get.rawPath = `/api/v1/search/${id}/events`;
    get.requestContext.http.path = get.rawPath;
    const stream = invoke(get);
    // The first view arrives while the node has not answered: with a buffered response nothing
    // would arrive before the stream closed at the deadline.
    const first = events(await stream.reader.until((b) => events(b).length >= 1));
    expect(stream.reader.prelude?.statusCode).toBe(200);
    expect(stream.reader.prelude?.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.reader.ended, 'the stream ended before the node answered').toBe(false);
    expect(first[0]?.nodes).toEqual([expect.objectContaining({ nodeId, status: 'pending' })]);

    const [job] = await hub.db.select({ id: jobs.id }).from(jobs).where(eq(jobs.nodeId, nodeId));
    const result = { collections: [], total: { subjects_count: 10, studies_count: 10 }, unsupported_keys: [] };
    expect((await recordSearchAnswer(hub.services, nodeId, job!.id, { status: 'answered', result } as never)).recorded).toBe(true);
    await stream.done;
    const all = events(await stream.reader.until(() => false));
    expect(all.at(-1)).toMatchObject({ status: 'completed', nodes: [expect.objectContaining({ nodeId, status: 'answered' })] });
    expect(stream.reader.ended).toBe(true);
    // Membership came from the issuer's userinfo (not the token), asked once for both requests.
    expect(hub.userinfoCalls('lambda-streamer')).toBe(1);
  });

  it('answers 500 naming the missing setting as a streamed response when the container cannot start', async () => {
    const failing = createStreamingHandler(async () => {
      throw new (await import('../../functions/config.ts')).ConfigError('invalid configuration: DATABASE_URL: required on Lambda');
    });
    const reader = responseReader();
    const original = console.error;
    console.error = () => {};
    try {
      await failing(await loadFixture<APIGatewayProxyEventV2>('url-get-search-events.json'), reader.stream, {} as Context);
    } finally {
      console.error = original;
    }
    expect(reader.prelude?.statusCode).toBe(500);
    expect(JSON.parse(await reader.until(() => false)).error.message).toContain('DATABASE_URL');
  });
});
