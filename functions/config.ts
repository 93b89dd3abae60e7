import { z } from 'zod';
import { ed25519PrivateJwkSchema } from '../shared/node-auth.ts';
import { parseGroupEntitlement } from './identity/entitlements.ts';

const url = z.string().url();
/** A private Ed25519 JWK given as JSON text (a secret in every deployment). */
const privateJwkJson = z.string().transform((s, ctx) => {
  try {
    return ed25519PrivateJwkSchema.parse(JSON.parse(s));
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be an Ed25519 private JWK in JSON' });
    return z.NEVER;
  }
});
/** Space- or comma-separated origins (scheme, host and port, no path), validated one by one. */
const originList = (example: string) =>
  z
    .string()
    .default('')
    .transform((s, ctx) => {
      const origins = s.split(/[\s,]+/).filter(Boolean);
      for (const o of origins)
        if (!URL.canParse(o) || new URL(o).origin !== o) ctx.addIssue({ code: 'custom', message: `${o} is not an origin like ${example}` });
      return origins;
    });
const seconds = (def: number) => z.coerce.number().int().positive().default(def);
/** A group as LS-AAI names it in `eduperson_entitlement` (AARC-G002): membership is decided by group, whatever the role. */
const groupEntitlement = (def: string) =>
  z
    .string()
    .min(1)
    .default(def)
    .refine(
      (s) => parseGroupEntitlement(s) !== undefined,
      'must be an AARC-G002 group entitlement: urn:<nid>:<namespace>:group:<group>[:<subgroup>]*#<authority>',
    );
/** EUCAIM's group in LS-AAI (`vo=lifescience`, group `communities_and_projects:EUCAIM`, the registrar link of ENROL_URL). */
const EUCAIM_GROUP = 'urn:geant:lifescience-ri.eu:group:lifescience:communities_and_projects:EUCAIM';

/**
 * Every setting of the hub, read from the environment (Node, Lambda) or bindings (Workers) and
 * validated once at start: a missing or malformed one stops the process with its name.
 */
export const hubConfigSchema = z
  .object({
    /** The hub's public origin: the audience of node tokens and the issuer of jobs. */
    PUBLIC_URL: url.default('http://127.0.0.1:8080').transform((u) => u.replace(/\/+$/, '')),
    /** With or without the trailing slash; tokens must carry it as discovery states it (LS-AAI: `https://login.aai.lifescience-ri.eu/oidc/`). */
    OIDC_ISSUER: url.default('http://127.0.0.1:8081/oidc/'),
    /** The audience hub access tokens carry; defaults to PUBLIC_URL. LS-AAI puts the client id there. */
    OIDC_AUDIENCE: z.string().min(1).optional(),
    OIDC_JWKS_URL: url.optional(),
    /** Where membership is read for tokens that carry none; discovered from the issuer when unset. */
    OIDC_USERINFO_URL: url.optional(),
    /** A userinfo (or discovery) call not answered within this long fails the request with 503. */
    OIDC_USERINFO_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3000),
    OIDC_WEB_CLIENT_ID: z.string().min(1).default('eucaim-web'),
    MEMBER_ENTITLEMENT: groupEntitlement(`${EUCAIM_GROUP}#aai.lifescience-ri.eu`),
    ADMIN_ENTITLEMENT: groupEntitlement(`${EUCAIM_GROUP}:admins#aai.lifescience-ri.eu`),
    ENROL_URL: url.default('https://signup.aai.lifescience-ri.eu/fed/registrar/?vo=lifescience&group=communities_and_projects:EUCAIM'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    DATA_DIR: z.string().min(1).default('./.data'),
    /** The hub's Ed25519 job-signing key as a private JWK (JSON). Generated into DATA_DIR on Node if absent. */
    JOB_SIGNING_KEY: privateJwkJson.optional(),
    /** The tracer's own Ed25519 checkpoint key as a private JWK (JSON); separate from the job key. Generated into DATA_DIR on Node if absent. */
    TRACER_SIGNING_KEY: privateJwkJson.optional(),
    /** The Ed25519 key signing access grants as a private JWK (JSON); separate from the job and tracer keys. Generated into DATA_DIR on Node if absent. */
    GRANT_SIGNING_KEY: privateJwkJson.optional(),
    /** Space-separated origins of catalogues allowed to hand requests over (POST /api/v3/requests); the hub's own origin always is. */
    NEGOTIATION_DISCOVERY_ORIGINS: originList('https://catalogue.example.org'),
    /**
     * Origins of explorers (Samply Lens) that call the hub as their Spot with the explorer session cookie
     * (functions/spot): CORS with credentials and the cookie's Origin check admit these and the hub's own.
     */
    SPOT_EXPLORER_ORIGINS: originList('https://explorer.example.org'),
    /** A signed checkpoint is published at least every this many entries... */
    TRACER_CHECKPOINT_EVERY: z.coerce.number().int().positive().default(1000),
    /** ...or after this many seconds, whichever comes first. */
    TRACER_CHECKPOINT_SECONDS: seconds(60),
    /** How appends are serialised: `batch` (one transaction per batch of concurrent appends) or `direct`. */
    TRACER_SEQUENCER: z.enum(['batch', 'direct']).default('batch'),
    JOB_QUEUE: z.enum(['postgres', 'sqs']).default('postgres'),
    /** e.g. https://sqs.eu-west-1.amazonaws.com/123456789012/eucaim-node-{nodeId} */
    SQS_QUEUE_URL_TEMPLATE: z.string().includes('{nodeId}').optional(),
    TASK_QUEUE: z.enum(['postgres', 'sqs']).default('postgres'),
    TASK_QUEUE_URL: url.optional(),
    OBJECT_STORE: z.enum(['fs', 's3']).default('fs'),
    S3_BUCKET: z.string().min(3).optional(),
    AWS_REGION: z.string().default('eu-west-1'),
    AWS_ENDPOINT_URL: url.optional(),
    SEARCH_DEADLINE_SECONDS: seconds(10).pipe(z.number().max(60, 'at most 60')),
    NODE_OFFLINE_AFTER_SECONDS: seconds(90),
    LOG_LEVEL: z.enum(['info', 'warn', 'error', 'silent']).default('info'),
    /** The `foaf:name` of the publisher of the hub's FAIR Data Point repository and catalog records. */
    FDP_PUBLISHER: z.string().min(1).max(300).default('EUCAIM - Cancer Image Europe'),
    /** Harvest bounds (functions/harvest): per request, per response, per run; a source over any of them is reported, the catalogue untouched. */
    HARVEST_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(30_000),
    HARVEST_DEADLINE_SECONDS: seconds(300),
    HARVEST_MAX_RESPONSE_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(5 * 1024 * 1024),
    HARVEST_MAX_RUN_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(100 * 1024 * 1024),
    HARVEST_MAX_DOCUMENTS: z.coerce.number().int().positive().default(5000),
    /** Where tickets go: `embedded` (tables in this database, agent view for admins) or `zammad`. */
    HELPDESK: z.enum(['embedded', 'zammad']).default('embedded'),
    ZAMMAD_URL: url.transform((u) => u.replace(/\/+$/, '')).optional(),
    /** A Zammad access token of a user with `ticket.agent` and `admin.user` (acting as the customer via `From` needs it); a secret. */
    ZAMMAD_TOKEN: z.string().min(16, 'must be a Zammad access token').optional(),
    /** The "HMAC SHA1 Signature Token" of the Zammad webhook that posts replies back; a secret. */
    ZAMMAD_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Every Zammad call gives up after this long; the request stays queued and is retried. */
    ZAMMAD_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(5000),
    /** `outbox` (rows in this database, listed to admins) or `smtp` (Node and Lambda only). */
    MAILER: z.enum(['outbox', 'smtp']).default('outbox'),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
    MAIL_FROM: z.string().min(3).default('EUCAIM <no-reply@eucaim.invalid>'),
    /**
     * Space- or comma-separated addresses of reverse proxies in front of a Node hub (or of API Gateway)
     * whose X-Forwarded-For is believed; from anyone else the header is ignored (functions/helpdesk/client-address.ts).
     */
    TRUSTED_PROXIES: z
      .string()
      .default('')
      .transform((s, ctx) => {
        const list = s.split(/[\s,]+/).filter(Boolean);
        for (const a of list) if (!/^[0-9a-f.:]+$/i.test(a)) ctx.addIssue({ code: 'custom', message: `${a} is not an IP address` });
        return list;
      }),
    /** A node silent this long gets one helpdesk ticket per outage. */
    NODE_OFFLINE_TICKET_MINUTES: z.coerce.number().int().positive().default(30),
    /** Negotiation attachments above this size are refused with 413 while streaming (10 MiB). */
    NEGOTIATION_ATTACHMENT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(512 * 1024 * 1024)
      .default(10 * 1024 * 1024),
    /** An open negotiation untouched this many days gets one reminder to whoever must act (0: never). */
    NEGOTIATION_REMINDER_DAYS: z.coerce.number().int().min(0).max(365).default(14),
    /** An open negotiation untouched this many days is closed (ABANDONED) by the hub (0: never). */
    NEGOTIATION_AUTO_CLOSE_DAYS: z.coerce.number().int().min(0).max(3650).default(90),
    /** A webhook delivery not validly acknowledged after this many attempts is given up. */
    NEGOTIATION_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  })
  .superRefine((c, ctx) => {
    if (c.HELPDESK === 'zammad')
      for (const k of ['ZAMMAD_URL', 'ZAMMAD_TOKEN', 'ZAMMAD_WEBHOOK_SECRET'] as const)
        if (!c[k]) ctx.addIssue({ code: 'custom', path: [k], message: 'required when HELPDESK=zammad' });
    if (c.MAILER === 'smtp' && !c.SMTP_URL) ctx.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'required when MAILER=smtp' });
    if (c.JOB_QUEUE === 'sqs' && !c.SQS_QUEUE_URL_TEMPLATE)
      ctx.addIssue({ code: 'custom', path: ['SQS_QUEUE_URL_TEMPLATE'], message: 'required when JOB_QUEUE=sqs' });
    if (c.TASK_QUEUE === 'sqs' && !c.TASK_QUEUE_URL)
      ctx.addIssue({ code: 'custom', path: ['TASK_QUEUE_URL'], message: 'required when TASK_QUEUE=sqs' });
    if (
      c.NEGOTIATION_REMINDER_DAYS > 0 &&
      c.NEGOTIATION_AUTO_CLOSE_DAYS > 0 &&
      c.NEGOTIATION_REMINDER_DAYS >= c.NEGOTIATION_AUTO_CLOSE_DAYS
    )
      ctx.addIssue({ code: 'custom', path: ['NEGOTIATION_REMINDER_DAYS'], message: 'must be fewer days than NEGOTIATION_AUTO_CLOSE_DAYS' });
    if (c.OBJECT_STORE === 's3' && !c.S3_BUCKET)
      ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'required when OBJECT_STORE=s3' });
  });

export type HubConfig = z.infer<typeof hubConfigSchema> & { OIDC_AUDIENCE: string };

export class ConfigError extends Error {}

/** Parses settings, naming every bad one: `invalid configuration: DATABASE_URL: must be a postgres:// URL`. */
export function loadHubConfig(env: Record<string, unknown>): HubConfig {
  const picked = Object.fromEntries(Object.keys(hubConfigSchema.shape ?? {}).map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = hubConfigSchema.safeParse(picked);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  return { ...parsed.data, OIDC_AUDIENCE: parsed.data.OIDC_AUDIENCE ?? parsed.data.PUBLIC_URL };
}
