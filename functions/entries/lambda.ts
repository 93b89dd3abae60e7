import { createHttpHandler, servicesFromEnv } from '../runtime/lambda.ts';

// AWS Lambda behind API Gateway (HTTP API, payload 2.0): the hub API, services built once per container.
export const handler = createHttpHandler(servicesFromEnv(process.env));
