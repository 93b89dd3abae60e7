import { createStreamingHandler } from '../runtime/lambda-stream.ts';
import { servicesFromEnv } from '../runtime/lambda.ts';

// AWS Lambda behind a function URL with response streaming (infra/api.ts routes the search event
// streams here): the same hub API as functions/entries/lambda.ts, answered as a stream.
export const handler = createStreamingHandler(servicesFromEnv(process.env));
