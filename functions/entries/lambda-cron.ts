import { runMaintenance } from '../maintenance.ts';
import { servicesFromEnv } from '../runtime/lambda.ts';

// AWS: the target of the schedule in infra/cron.ts — the hub's periodic sweep.
const services = servicesFromEnv(process.env);
export const handler = async () => runMaintenance(await services());
