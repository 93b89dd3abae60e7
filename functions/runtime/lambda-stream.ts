import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { streamHandle } from 'hono/aws-lambda';
import type { Writable } from 'node:stream';
import { buildApp } from '../app.ts';
import { oncePerContainer, type ServicesSource, startupError } from './lambda.ts';

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
      const { statusCode, headers, body } = startupError(err);
      awslambda.HttpResponseStream.from(responseStream, { statusCode, headers }).end(body);
      return;
    }
    await run(event, responseStream, context);
  }) as StreamingHandler;
}
