import { z } from 'zod';
import { hexHashPattern } from './hex.ts';

/** The operations the federation traces, after CHAIMELEON's tracer, plus the access-request and result steps. */
export const userActions = [
  'CREATE_DATASET',
  'UPDATE_DATASET',
  'ACCESS_GRANTED',
  'ACCESS_REVOKED',
  'MATERIALISE_DATASET',
  'USE_DATASETS',
  'DOWNLOAD_RESULT',
] as const;
export type UserAction = (typeof userActions)[number];
export const userActionSchema = z.enum(userActions);

const id = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\s]+$/, 'no whitespace');
const datasetIds = z.array(id).min(1).max(100);
const single = z.array(id).length(1, 'exactly one dataset');
const runId = id;
const nodeId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'a node id');

/** SHA3-256 of the dataset's index listing and of its contents, as `npm run bridge -- hash` prints them. */
export const datasetHashesSchema = z
  .object({ algorithm: z.literal('sha3-256'), index: z.string().regex(hexHashPattern), contents: z.string().regex(hexHashPattern) })
  .strict();

const base = { userId: id };

/** One trace as a service or a node submits it; the hub adds sequence, time, submitter and hashes. */
export const traceInputSchema = z.discriminatedUnion('userAction', [
  z.object({ ...base, userAction: z.literal('CREATE_DATASET'), datasetIds: single, datasetHashes: datasetHashesSchema }).strict(),
  z
    .object({
      ...base,
      userAction: z.literal('UPDATE_DATASET'),
      datasetIds: single,
      details: z.enum(['PUBLISH', 'WITHDRAW', 'METADATA_UPDATED']),
    })
    .strict(),
  z.object({ ...base, userAction: z.literal('ACCESS_GRANTED'), datasetIds, requestId: id.optional() }).strict(),
  z.object({ ...base, userAction: z.literal('ACCESS_REVOKED'), datasetIds, requestId: id.optional() }).strict(),
  z.object({ ...base, userAction: z.literal('MATERIALISE_DATASET'), datasetIds, nodeId, runId: runId.optional() }).strict(),
  z
    .object({
      ...base,
      userAction: z.literal('USE_DATASETS'),
      datasetIds,
      tool: z.object({ name: z.string().min(1).max(200), version: z.string().min(1).max(100) }).strict(),
      runId,
      nodeId,
    })
    .strict(),
  z.object({ ...base, userAction: z.literal('DOWNLOAD_RESULT'), datasetIds, runId, resultId: id.optional() }).strict(),
]);
export type TraceInput = z.infer<typeof traceInputSchema>;

/** Splits an input into the indexed columns and the action-specific rest ("payload"). */
export function splitInput(input: TraceInput) {
  const { userId, userAction, datasetIds, ...payload } = input;
  return { userId, userAction, datasetIds, payload: payload as Record<string, unknown> };
}
