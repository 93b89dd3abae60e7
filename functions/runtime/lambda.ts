import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import type { ErrorBody } from '../../shared/errors.ts';
import { parseTaskMessage } from '../adapters/task-queue-sqs.ts';
import { openPostgres } from '../adapters/db-postgres.ts';
import { buildApp } from '../app.ts';
import { ConfigError, type HubConfig, loadHubConfig } from '../config.ts';
import type { Services } from '../services.ts';
import { handleHubTask } from '../tasks.ts';
import { createNodeServices } from './node-services.ts';

/** How a Lambda handler gets the hub's services: called on every invocation, built once per container. */
export type ServicesSource = () => Promise<Services>;

/**
 * Builds on the first call and keeps the result for the container's life. A failure is not kept,
 * so a cold start that met a passing fault does not poison every later invocation.
 */
export function oncePerContainer<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make().catch((err) => {
      made = undefined;
      throw err;
    });
    return made;
  };
}

/**
 * Services for a Lambda from its environment. Lambda has no writable disk to fall back on, so the
 * embedded defaults (PGlite, a generated job key) are refused by name; the schema is migrated at
 * deploy time (functions/entries/migrate.ts), not on every cold start.
 */
export function servicesFromEnv(env: Record<string, string | undefined>): ServicesSource {
  return oncePerContainer(async () => {
    const config = requireLambdaSettings(loadHubConfig(env));
    // One container serves one request at a time: two connections are plenty, and many containers
    // with a pool of ten each would exhaust the database's connection limit.
    const database = openPostgres(config.DATABASE_URL as string, { max: 2 });
    // No writable disk for a generated tracer key: without TRACER_SIGNING_KEY checkpoints are refused by name.
    return (await createNodeServices(config, { migrate: false, database, generateTracerKey: false })).services;
  });
}

export function requireLambdaSettings(config: HubConfig): HubConfig {
  for (const setting of ['DATABASE_URL', 'JOB_SIGNING_KEY'] as const) {
    if (!config[setting]) throw new ConfigError(`invalid configuration: ${setting}: required on Lambda`);
  }
  return config;
}

/** The answer while the hub cannot start: logged with a request id, the reason shown only for configuration errors. */
export function startupError(err: unknown): APIGatewayProxyStructuredResultV2 {
  const requestId = crypto.randomUUID();
  console.error(JSON.stringify({ level: 'error', msg: 'hub failed to start', requestId, error: (err as Error)?.message }));
  const body: ErrorBody = { error: { code: 'internal', message: err instanceof ConfigError ? err.message : 'internal error', requestId } };
  return { statusCode: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), isBase64Encoded: false };
}

/** The hub API behind API Gateway (HTTP API, payload 2.0) or a function URL, which share the event format. */
export function createHttpHandler(services: ServicesSource) {
  const handler = oncePerContainer(async () => handle(buildApp(await services())));
  return async (event: APIGatewayProxyEventV2, context?: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    let run: Awaited<ReturnType<typeof handler>>;
    try {
      run = await handler();
    } catch (err) {
      return startupError(err);
    }
    // hono and @types/aws-lambda describe the same JSON with different optional fields.
    const result = await run(event as unknown as LambdaEvent, context as unknown as LambdaContext);
    return result as APIGatewayProxyStructuredResultV2;
  };
}

/**
 * The consumer of the hub's SQS task queue. Records run concurrently (tasks are idempotent) and a
 * record that fails, malformed or not, is reported alone in `batchItemFailures`: SQS redelivers
 * just that one and, after the queue's retry limit, moves it to the dead-letter queue.
 */
export function createSqsHandler(services: ServicesSource) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    let s: Services;
    try {
      s = await services();
    } catch (err) {
      console.error(JSON.stringify({ level: 'error', msg: 'hub failed to start', error: (err as Error)?.message }));
      return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) };
    }
    const outcomes = await Promise.allSettled(event.Records.map(async (record) => handleHubTask(s, parseTaskMessage(record.body))));
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    outcomes.forEach((outcome, i) => {
      const record = event.Records[i];
      if (outcome.status === 'fulfilled' || !record) return;
      const reason = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
      s.logger.error('hub task failed', {
        messageId: record.messageId,
        receiveCount: record.attributes?.ApproximateReceiveCount,
        error: reason,
      });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    });
    return { batchItemFailures };
  };
}
