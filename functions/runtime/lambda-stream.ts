import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { streamHandle } from 'hono/aws-lambda';
import type { Writable } from 'node:stream';
import type { ErrorBody } from '../../shared/errors.ts';
import { buildApp } from '../app.ts';
import { ConfigError } from '../config.ts';
import { oncePerContainer, type ServicesSource } from './lambda.ts';

type StreamingHandler = (event: APIGatewayProxyEventV2, responseStream: Writable, context: Context) => Promise<void>;

/**
 * The hub API behind a Lambda function URL in RESPONSE_STREAM mode: each chunk the app writes (the
 * search event stream above all) reaches the client as it is written, where `handle()` and API
 * Gateway buffer the whole response. `awslambda` is the Lambda Node runtime's global; hono's
 * `streamHandle` is built on first use, inside it, so importing this module needs no runtime.
 */
export function createStreamingHandler(services: ServicesSource): StreamingHandler {
  const inner = oncePerContainer(async () => streamHandle(buildApp(await services())) as unknown as StreamingHandler);
  return awslambda.streamifyResponse(async (event: APIGatewayProxyEventV2, responseStream: Writable, context: Context) => {
    let run: StreamingHandler;
    try {
      run = await inner();
    } catch (err) {
      const requestId = crypto.randomUUID();
      console.error(JSON.stringify({ level: 'error', msg: 'hub failed to start', requestId, error: (err as Error)?.message }));
      const body: ErrorBody = { error: { code: 'internal', message: err instanceof ConfigError ? err.message : 'internal error', requestId } };
      const out = awslambda.HttpResponseStream.from(responseStream, { statusCode: 500, headers: { 'content-type': 'application/json' } });
      out.end(JSON.stringify(body));
      return;
    }
    await run(event, responseStream, context);
  }) as StreamingHandler;
}
