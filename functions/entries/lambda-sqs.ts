import { createSqsHandler, servicesFromEnv } from '../runtime/lambda.ts';

// AWS Lambda consuming the hub's task queue (SQS); needs partial batch responses on the event source.
export const handler = createSqsHandler(servicesFromEnv(process.env));
