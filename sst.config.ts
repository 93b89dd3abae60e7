/// <reference path="./.sst/platform/config.d.ts" />
// The hub on AWS: API Gateway + Lambda for the API, an SQS-fed Lambda for hub tasks, RDS Postgres,
// S3, one SQS queue per node, the web app on CloudFront. `npm run deploy:aws` (sst deploy).
//
// Type-checking: the globals used here and in infra/ ($config, $app, sst.*, aws.*, $interpolate)
// are declared by .sst/platform, which only `sst install` generates (it downloads Pulumi, so not
// offline). tsconfig.json therefore excludes this file and infra/; after `sst install` an editor
// checks them through the reference above. They are deliberately not declared as `any` here.
//
// Deploy order: `sst deploy --stage <stage>`, then apply migrations through the VPC's bastion:
//   npx sst tunnel --stage <stage>        (in another terminal)
//   npx sst shell --stage <stage> --target HubApiFunction -- tsx functions/entries/migrate.ts
// Migrations are additive (expand, then contract in a later release), so the order is safe.
//
// The cron (infra/cron.ts) runs the hub's periodic sweep; search deadlines do not wait for it on
// AWS, they travel as delayed SQS messages to the task consumer.
export default $config({
  app(input) {
    return {
      name: 'eucaim-hub',
      home: 'aws',
      // Production keeps its database and bucket when the app is removed.
      removal: input?.stage === 'production' ? 'retain' : 'remove',
      protect: input?.stage === 'production',
    };
  },
  async run() {
    const { vpc, databaseUrl } = await import('./infra/database');
    const { bucket } = await import('./infra/storage');
    const { jobSigningKey, tracerSigningKey, grantSigningKey } = await import('./infra/secrets');
    const { taskQueue, nodeQueues, nodeQueueUrlTemplate } = await import('./infra/queues');
    const { createApi } = await import('./infra/api');
    const { createWeb } = await import('./infra/web');
    const { createCron } = await import('./infra/cron');

    const { router, api } = createApi({
      vpc,
      databaseUrl,
      bucket,
      jobSigningKey,
      tracerSigningKey,
      grantSigningKey,
      taskQueue,
      nodeQueues,
      nodeQueueUrlTemplate,
    });
    createWeb(router);
    createCron({ vpc, databaseUrl, jobSigningKey, tracerSigningKey, grantSigningKey });
    return { url: router.url, api: api.url, nodes: nodeQueues.map((q) => q.nodeId).join(',') };
  },
});
