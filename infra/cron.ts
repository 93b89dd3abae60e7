// The hub's periodic sweep (functions/maintenance.ts): forgets expired node token ids and queued
// jobs. Search deadlines do not depend on it on AWS — they travel as delayed SQS messages.

interface CronResources {
  vpc: sst.aws.Vpc;
  databaseUrl: $util.Output<string>;
  jobSigningKey: sst.Secret;
  tracerSigningKey: sst.Secret;
  grantSigningKey: sst.Secret;
}

export function createCron(r: CronResources) {
  return new sst.aws.Cron('HubMaintenance', {
    schedule: 'rate(5 minutes)',
    job: {
      handler: 'functions/entries/lambda-cron.handler',
      runtime: 'nodejs22.x',
      timeout: '60 seconds',
      vpc: r.vpc,
      nodejs: { install: ['@electric-sql/pglite'] },
      environment: {
        DATABASE_URL: r.databaseUrl,
        JOB_SIGNING_KEY: r.jobSigningKey.value,
        TRACER_SIGNING_KEY: r.tracerSigningKey.value,
        GRANT_SIGNING_KEY: r.grantSigningKey.value,
        // The sweep touches only Postgres; these keep the config valid without the API's queues.
        JOB_QUEUE: 'postgres',
        TASK_QUEUE: 'postgres',
      },
    },
  });
}
