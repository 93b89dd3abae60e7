// The hub API: one Lambda behind API Gateway (HTTP API, payload 2.0) running functions/entries/lambda.ts,
// and the task consumer on the same code. A CloudFront router puts the API under /api on the web
// app's domain, so the browser app calls it same-origin (no CORS) and PUBLIC_URL is that domain.

interface HubResources {
  vpc: sst.aws.Vpc;
  databaseUrl: $util.Output<string>;
  bucket: sst.aws.Bucket;
  jobSigningKey: sst.Secret;
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
  // Everything the hub answers itself (functions/identity/public-routes.ts API_PREFIXES); the rest
  // of the domain is the static web app.
  for (const prefix of ['/api', '/tracer', '/fdp', '/pid']) router.route(prefix, api.url);

  r.taskQueue.subscribe(hubFunction('functions/entries/lambda-sqs.handler', '60 seconds'), {
    // Only the records the handler reports in batchItemFailures come back (then to the DLQ).
    batch: { size: 10, window: '1 second', partialResponses: true },
  });

  return { router, api };
}
