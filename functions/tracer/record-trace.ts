import { AppError, issuesToDetails } from '../../shared/errors.ts';
import { type TraceInput, traceInputSchema } from '../../shared/tracer/actions.ts';
import type { TraceEntry } from '../../shared/tracer/entry.ts';
import type { Services } from '../services.ts';

/**
 * What other capabilities call as they land (catalogue: CREATE_DATASET / UPDATE_DATASET;
 * negotiation: ACCESS_GRANTED / ACCESS_REVOKED; processing: MATERIALISE_DATASET, USE_DATASETS,
 * DOWNLOAD_RESULT). The hub's own services submit as `hub`; nodes go through the signed route.
 */
export async function recordTrace(services: Pick<Services, 'tracer'>, input: TraceInput, submitter = 'hub'): Promise<TraceEntry> {
  const parsed = traceInputSchema.safeParse(input);
  if (!parsed.success) throw new AppError('bad_request', 'invalid trace', issuesToDetails(parsed.error.issues));
  return services.tracer.append({ input: parsed.data, submitter });
}
