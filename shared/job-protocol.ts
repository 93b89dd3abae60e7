import { SignJWT, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { z } from 'zod';
import { BRIDGE_PROTOCOL } from './bridge-protocol.ts';
import { cancelRunPayloadSchema } from './processing/bridge-api.ts';
import { runJobPayloadSchema } from './processing/run.ts';
import { nodeSchema } from './query.ts';
import { type PrivateJwk, type PublicJwk, importPrivateKey, importPublicKey } from './node-auth.ts';

/**
 * Jobs travel from the hub to a bridge as EdDSA JWS signed with the hub's job key. The bridge trusts
 * nothing in a job until the signature, the addressee, the expiry and its own replay memory agree.
 */
export const JOB_TYP = 'job+jwt';

export const searchCountPayloadSchema = z.object({ searchId: z.string(), query: nodeSchema }).strict();

export const jobBodySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('search.count'), payload: searchCountPayloadSchema }),
  /** Run an approved tool on granted data (shared/processing/bridge-api.ts has the rest of the contract). */
  z.object({ kind: z.literal('processing.run'), payload: runJobPayloadSchema }),
  z.object({ kind: z.literal('processing.cancel'), payload: cancelRunPayloadSchema }),
]);
export type JobBody = z.infer<typeof jobBodySchema>;

export interface VerifiedJob {
  jobId: string;
  nodeId: string;
  expiresAt: number;
  body: JobBody;
}

export async function signJob(input: {
  jobId: string;
  nodeId: string;
  issuer: string;
  body: JobBody;
  privateJwk: PrivateJwk;
  kid: string;
  nowMs?: number;
  ttlSeconds: number;
}): Promise<string> {
  const iat = Math.floor((input.nowMs ?? Date.now()) / 1000);
  // `pv`: the protocol the job is written in, so a bridge that cannot read it refuses it by name.
  return new SignJWT({ job: input.body })
    .setProtectedHeader({ alg: 'EdDSA', typ: JOB_TYP, kid: input.kid, pv: BRIDGE_PROTOCOL })
    .setIssuer(input.issuer)
    .setAudience(input.nodeId)
    .setSubject(input.nodeId)
    .setJti(input.jobId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + input.ttlSeconds)
    .sign(await importPrivateKey(input.privateJwk));
}

export const jobRefusalReasons = [
  'unsigned',
  'bad_signature',
  'expired',
  'wrong_node',
  'replayed',
  'malformed',
  'unsupported_protocol',
] as const;
export type JobRefusalReason = (typeof jobRefusalReasons)[number];

export class JobRefused extends Error {
  constructor(
    readonly reason: JobRefusalReason,
    readonly jobId?: string,
  ) {
    super(`job refused: ${reason}`);
  }
}

/**
 * Checks a job the way a bridge must before acting on it. `seen` answers whether this job id was
 * already handled, so a replayed envelope is refused even while still unexpired.
 */
export async function verifyJob(
  jws: string,
  opts: { hubKeys: PublicJwk[]; issuer: string; nodeId: string; seen: (jobId: string) => boolean | Promise<boolean>; nowMs?: number },
): Promise<VerifiedJob> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  let claims: ReturnType<typeof decodeJwt>;
  try {
    header = decodeProtectedHeader(jws);
    claims = decodeJwt(jws);
  } catch {
    throw new JobRefused('malformed');
  }
  const jobId = typeof claims.jti === 'string' ? claims.jti : undefined;
  if (header.alg !== 'EdDSA' || header.typ !== JOB_TYP) throw new JobRefused('unsigned', jobId);
  // A job without `pv` comes from a hub before versioning, which wrote protocol 1.
  const pv = header.pv ?? 1;
  if (typeof pv !== 'number' || !Number.isInteger(pv) || pv < 1 || pv > BRIDGE_PROTOCOL)
    throw new JobRefused('unsupported_protocol', jobId);
  const key =
    opts.hubKeys.find((k) => (k as { kid?: string }).kid === header.kid) ?? (opts.hubKeys.length === 1 ? opts.hubKeys[0] : undefined);
  if (!key) throw new JobRefused('bad_signature', jobId);
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(jws, await importPublicKey(key), {
      algorithms: ['EdDSA'],
      issuer: opts.issuer,
      currentDate: new Date(opts.nowMs ?? Date.now()),
    }));
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_JWT_EXPIRED') throw new JobRefused('expired', jobId);
    if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') throw new JobRefused('bad_signature', jobId);
    throw new JobRefused('malformed', jobId);
  }
  if (payload.aud !== opts.nodeId || payload.sub !== opts.nodeId) throw new JobRefused('wrong_node', jobId);
  if (!jobId || typeof payload.exp !== 'number') throw new JobRefused('malformed', jobId);
  const body = jobBodySchema.safeParse(payload.job);
  if (!body.success) throw new JobRefused('malformed', jobId);
  if (await opts.seen(jobId)) throw new JobRefused('replayed', jobId);
  return { jobId, nodeId: opts.nodeId, expiresAt: payload.exp * 1000, body: body.data };
}

/**
 * The mediator answer of today's EUCAIM sites, kept readable by existing clients, with one canonical
 * name per field and codes (never free text) in the stratified lists.
 */
export const collectionCountSchema = z.object({
  id: z.string().max(200),
  name: z.string().max(500),
  description: z.string().max(2000).optional(),
  studies_count: z.number().int().nonnegative(),
  subjects_count: z.number().int().nonnegative(),
  /**
   * Ages at diagnosis of the matching subjects; null when it would reveal a group under the threshold.
   * With obfuscation applied each bound is widened to its 5-year bin (min 40, max 69), never exact.
   */
  age_range: z.object({ min: z.number(), max: z.number() }).nullable().optional(),
  gender: z.array(z.string().max(64)).max(10).optional(),
  modalities: z.array(z.string().max(64)).max(50).optional(),
  body_parts: z.array(z.string().max(64)).max(100).optional(),
  manufacturers: z.array(z.string().max(64)).max(100).optional(),
});

/** How the counts were protected before they left the node. */
export const obfuscationSchema = z.object({
  applied: z.boolean(),
  method: z.enum(['laplace']).optional(),
  epsilon: z.number().positive().optional(),
  sensitivity: z.number().positive().optional(),
  roundingStep: z.number().int().positive().optional(),
  /** Counts 1..threshold-1 are reported as `threshold`; true zeros stay zero. */
  smallCountThreshold: z.number().int().nonnegative().optional(),
});
export type Obfuscation = z.infer<typeof obfuscationSchema>;

export const countResultSchema = z.object({
  collections: z.array(collectionCountSchema).max(1000),
  total: z.object({ studies_count: z.number().int().nonnegative(), subjects_count: z.number().int().nonnegative() }),
  /** Filter keys this node could not apply: reported, never silently dropped. */
  unsupported_keys: z.array(z.string().max(256)).max(500).default([]),
  obfuscation: obfuscationSchema.optional(),
});
export type CountResult = z.infer<typeof countResultSchema>;

const receipt = z.string().max(2000).optional();
export const jobResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('answered'), receipt, result: countResultSchema }),
  /** The node cannot evaluate part of the query: it gives no counts rather than counts that ignore it. */
  z.object({ status: z.literal('unsupported'), receipt, unsupported_keys: z.array(z.string().max(256)).min(1).max(500) }),
  z.object({ status: z.literal('error'), receipt, error: z.object({ code: z.string().max(64), message: z.string().max(2000) }) }),
]);
export type JobResult = z.infer<typeof jobResultSchema>;

/** What a node can evaluate: filter keys, and for coded keys the value codes it knows. */
export const capabilityManifestSchema = z.object({
  catalogueVersion: z.number().int(),
  filters: z.array(z.object({ key: z.string().max(256), values: z.array(z.string().max(256)).max(500).optional() })).max(500),
});
export type CapabilityManifest = z.infer<typeof capabilityManifestSchema>;

export const leasedJobsSchema = z.object({
  jobs: z.array(z.object({ receipt: z.string(), jws: z.string() })),
});
export type LeasedJobs = z.infer<typeof leasedJobsSchema>;

/** What a bridge tells the hub when it refuses a job or hits a problem the hub should know about. */
export const nodeReportSchema = z
  .object({
    jobId: z.string().max(200).optional(),
    /** The lease receipt of a refused job, so the hub's queue stops redelivering it. */
    receipt: z.string().max(2000).optional(),
    reason: z.enum([...jobRefusalReasons, 'handler_failed']),
    message: z.string().max(2000),
  })
  .strict();
export type NodeReport = z.infer<typeof nodeReportSchema>;

/** A bridge's periodic sign of life: its version, the datasets it serves and what it can evaluate. */
export const heartbeatSchema = z
  .object({
    version: z.string().max(64),
    /** The bridge protocol it speaks (shared/bridge-protocol.ts); absent from bridges before versioning (1). */
    protocol: z.number().int().min(1).max(9999).optional(),
    datasets: z
      .array(z.object({ id: z.string().min(1).max(200), name: z.string().max(500) }).strict())
      .max(1000)
      .default([]),
    /** Optional so bridges from before the manifest keep working. */
    capabilities: capabilityManifestSchema.optional(),
  })
  .strict();
export type Heartbeat = z.input<typeof heartbeatSchema>;
