// The hub API: one Lambda behind API Gateway (HTTP API, payload 2.0) running functions/entries/lambda.ts,
// a streaming one behind a function URL for the search routes (live event streams), and the task
// consumer on the same code. A CloudFront router puts the API under /api on the web
// app's domain, so the browser app calls it same-origin (no CORS) and PUBLIC_URL is that domain.

interface HubResources {
  vpc: sst.aws.Vpc;
  databaseUrl: $util.Output<string>;
  bucket: sst.aws.Bucket;
  jobSigningKey: sst.Secret;
  tracerSigningKey: sst.Secret;
  grantSigningKey: sst.Secret;
  taskQueue: sst.aws.Queue;
  nodeQueues: { nodeId: string; queue: sst.aws.Queue }[];
  nodeQueueUrlTemplate: $util.Output<string>;
}

export function createApi(r: HubResources) {
  const router = new sst.aws.Router('HubRouter');

  /** Both Lambdas read the hub's ordinary settings (functions/config.ts) from their environment. */
  const hubFunction = (handler: string, timeout: `${number} seconds`) => ({
    handler,
    runtime: 'nodejs22.x' as const,
    timeout,
    memory: '1024 MB' as const,
    vpc: r.vpc,
    link: [r.bucket, r.taskQueue, ...r.nodeQueues.map((n) => n.queue)],
    // Imported by node-services for the embedded default; never used on Lambda, but kept out of
    // the bundle, which would lose its WebAssembly files.
    nodejs: { install: ['@electric-sql/pglite'] },
    environment: {
      PUBLIC_URL: router.url,
      OIDC_ISSUER: process.env.OIDC_ISSUER ?? 'https://login.aai.lifescience-ri.eu/oidc/',
      DATABASE_URL: r.databaseUrl,
      JOB_SIGNING_KEY: r.jobSigningKey.value,
      TRACER_SIGNING_KEY: r.tracerSigningKey.value,
      GRANT_SIGNING_KEY: r.grantSigningKey.value,
      JOB_QUEUE: 'sqs',
      SQS_QUEUE_URL_TEMPLATE: r.nodeQueueUrlTemplate,
      TASK_QUEUE: 'sqs',
      TASK_QUEUE_URL: r.taskQueue.url,
      OBJECT_STORE: 's3',
      S3_BUCKET: r.bucket.name,
    },
  });

  // A named function (not one inlined in the route) so `sst shell --target HubApiFunction` can
  // borrow its environment for the migration step. Bridges long-poll for jobs for up to 20 s;
  // API Gateway cuts integrations at 30 s.
  const apiFunction = new sst.aws.Function('HubApiFunction', hubFunction('functions/entries/lambda.handler', '29 seconds'));
  const api = new sst.aws.ApiGatewayV2('HubApi', { cors: false });
  api.route('$default', apiFunction.arn);
  // Everything the hub answers itself (shared/server-paths.ts SERVER_PATHS, checked by its test); the rest
  // of the domain is the static web app.
  for (const prefix of ['/api', '/tracer', '/fdp', '/pid']) router.route(prefix, api.url);

  // Live search events: API Gateway buffers a response until it ends, so the event stream of
  // GET /api/v1/search/{id}/events is served by a second function (functions/entries/lambda-stream.ts,
  // same app, hono's streamHandle) behind a function URL in RESPONSE_STREAM mode. The router matches
  // path prefixes (longest wins), so the whole /api/v1/search prefix goes there; the other search
  // routes answer there exactly as through API Gateway. A stream lasts the search's deadline (at most
  // 60 s) plus 3 s; a function URL allows up to 15 min, API Gateway's 30 s cut does not apply.
  // The URL is public (authorization "none"): the hub checks every caller's token itself.
  const streamFunction = new sst.aws.Function('HubStreamFunction', {
    ...hubFunction('functions/entries/lambda-stream.handler', '75 seconds'),
    streaming: true,
    url: true,
  });
  router.route('/api/v1/search', streamFunction.url);
  // The same for a Lens explorer's Spot routes (GET /api/v1/spot/beam/{id} streams Beam results).
  router.route('/api/v1/spot', streamFunction.url);

  r.taskQueue.subscribe(hubFunction('functions/entries/lambda-sqs.handler', '60 seconds'), {
    // Only the records the handler reports in batchItemFailures come back (then to the DLQ).
    batch: { size: 10, window: '1 second', partialResponses: true },
  });

  return { router, api, streamFunction };
}
