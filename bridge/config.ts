import { resolve } from 'node:path';
import { z } from 'zod';
import { ed25519PublicJwkSchema, nodeIdSchema } from '../shared/node-auth.ts';
import { ConfigError } from './config-error.ts';
import { PROCESSING_SETTINGS, type ProcessingConfig, parseProcessingEnv } from './processing/config.ts';
import { MEDIATOR_ENDPOINT_SETTINGS, type MediatorEndpointConfig, parseMediatorEndpointEnv } from './query/mediator-endpoint-config.ts';
import { DEFAULT_PRIVACY, type PrivacySettings } from './query/obfuscate.ts';
import { SECRET_SETTINGS, type SettingsSource, readSettings } from './settings.ts';

export { ConfigError } from './config-error.ts';

/** A hub job-signing key as pinned in HUB_JOB_KEYS or served by the hub: public, with a key id. */
export const hubJobKeySchema = ed25519PublicJwkSchema
  .extend({ kid: z.string().min(1).max(200) })
  .refine((k) => !('d' in k), 'holds a private key part ("d"); configure only public keys');
export type HubJobKey = z.infer<typeof hubJobKeySchema>;

const httpUrl = z
  .string()
  .url('must be a URL')
  .refine((u) => /^https?:$/.test(new URL(u).protocol), 'must be an http(s) URL');

const jsonKeys = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of public JWKs' });
      return z.NEVER;
    }
  })
  .pipe(z.array(hubJobKeySchema).min(1, 'must hold at least one key'));

/** Obfuscation settings, shared by `start` and the `query` command. */
const privacyEnv = {
  OBFUSCATION: z.enum(['on', 'off']).default('on'),
  OBFUSCATION_EPSILON: z.coerce.number().positive().default(DEFAULT_PRIVACY.epsilon),
  OBFUSCATION_SENSITIVITY: z.coerce.number().positive().default(DEFAULT_PRIVACY.sensitivity),
  OBFUSCATION_ROUNDING_STEP: z.coerce.number().int().positive().default(DEFAULT_PRIVACY.roundingStep),
  OBFUSCATION_SMALL_COUNT: z.coerce.number().int().min(1).default(DEFAULT_PRIVACY.smallCountThreshold),
};

function privacyOf(e: z.infer<z.ZodObject<typeof privacyEnv>>): PrivacySettings {
  return {
    enabled: e.OBFUSCATION === 'on',
    epsilon: e.OBFUSCATION_EPSILON,
    sensitivity: e.OBFUSCATION_SENSITIVITY,
    roundingStep: e.OBFUSCATION_ROUNDING_STEP,
    smallCountThreshold: e.OBFUSCATION_SMALL_COUNT,
  };
}

/** The obfuscation settings alone, for commands that need no hub settings. */
export function loadPrivacySettings(env: Record<string, string | undefined>): PrivacySettings {
  const parsed = z.object(privacyEnv).safeParse(cleanEnv(env));
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`));
  return privacyOf(parsed.data);
}

function cleanEnv(env: Record<string, string | undefined>): Record<string, string> {
  // An empty variable is how shells and compose files say "unset".
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1].trim() !== ''));
}

const envShape = {
  NODE_ID: nodeIdSchema,
  HUB_URL: httpUrl,
  HUB_AUDIENCE: z.string().min(1).optional(),
  HUB_JOB_KEYS: jsonKeys.optional(),
  HUB_ISSUER: z.string().min(1).optional(),
  HUB_GRANT_KEYS: jsonKeys.optional(),
  HEALTH_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  KEY_FILE: z.string().min(1),
  DATA_DIR: z.string().min(1),
  STATE_DIR: z.string().min(1),
  JOB_SOURCE: z.enum(['hub', 'sqs']).default('hub'),
  SQS_QUEUE_URL: httpUrl.optional(),
  SQS_ENDPOINT: httpUrl.optional(),
  AWS_REGION: z.string().min(1).optional(),
  MAPPINGS_FILE: z.string().min(1).optional(),
  REINDEX_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(600),
  MEDIATOR_URL: httpUrl.optional(),
  MEDIATOR_SECRET: z.string().min(1).optional(),
  MEDIATOR_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  SANDBOX_PATH: z.string().min(1).optional(),
  // The way out to the hub: a site's HTTP(S) proxy, and the CA of its TLS-inspecting proxy or of the hub.
  HTTPS_PROXY: httpUrl.optional(),
  HTTP_PROXY: httpUrl.optional(),
  NO_PROXY: z.string().min(1).optional(),
  HUB_CA_FILE: z.string().min(1).optional(),
  ...privacyEnv,
};

const envSchema = z.object(envShape).superRefine((env, ctx) => {
  if (env.MEDIATOR_URL && !env.MEDIATOR_SECRET)
    ctx.addIssue({ code: 'custom', path: ['MEDIATOR_SECRET'], message: 'is required when MEDIATOR_URL is set' });
  // Runs read their inputs from the bridge's own index, which a mediator node does not build.
  if (env.MEDIATOR_URL && env.SANDBOX_PATH)
    ctx.addIssue({
      code: 'custom',
      path: ['SANDBOX_PATH'],
      message: "cannot be used with MEDIATOR_URL (runs need the bridge's own index)",
    });
  if (env.JOB_SOURCE !== 'sqs') return;
  // SQS settings are only required when SQS is the job source; say so by name.
  if (!env.SQS_QUEUE_URL) ctx.addIssue({ code: 'custom', path: ['SQS_QUEUE_URL'], message: 'is required when JOB_SOURCE=sqs' });
  if (!env.AWS_REGION) ctx.addIssue({ code: 'custom', path: ['AWS_REGION'], message: 'is required when JOB_SOURCE=sqs' });
});

export type JobSourceConfig = { kind: 'hub' } | { kind: 'sqs'; queueUrl: string; endpoint?: string; region: string };

export interface BridgeConfig {
  nodeId: string;
  /** Base URL of the hub, without a trailing slash. */
  hubUrl: string;
  /** The `aud` of every node token; the hub compares it to the character. */
  hubAudience: string;
  /** Pinned job-signing keys; undefined means "fetch them from the hub once at start". */
  hubJobKeys?: HubJobKey[];
  /** Expected `iss` of jobs. */
  hubIssuer: string;
  /** False when HUB_ISSUER was not set: then the issuer the hub announces with its keys is accepted. */
  hubIssuerExplicit: boolean;
  keyFile: string;
  dataDir: string;
  stateDir: string;
  jobSource: JobSourceConfig;
  privacy: PrivacySettings;
  mappingsFile?: string;
  /** 0: index at start only. */
  reindexIntervalMs: number;
  /** Set when the node answers through its own mediator instead of the bridge's index. */
  mediator?: { url: string; secret: string; timeoutMs: number };
  /** Set when the node runs approved tools (SANDBOX_PATH); undefined: processing off. */
  processing?: ProcessingConfig;
  /** Pinned public grant keys of the hub; undefined: read from the hub's public key route. */
  hubGrantKeys?: HubJobKey[];
  healthIntervalMs: number;
  /** Set when the bridge serves a site's Focus as its mediator (MEDIATOR_ENDPOINT_LISTEN). */
  mediatorEndpoint?: MediatorEndpointConfig;
  /** How the bridge reaches the hub (proxy, extra CA); empty: directly, with Node's own CA list. */
  network: NetworkSettings;
}

export interface NetworkSettings {
  httpsProxy?: string;
  httpProxy?: string;
  noProxy?: string;
  /** PEM file of extra CA certificates, trusted on top of Node's list. */
  caFile?: string;
}

/** Every name a settings file may hold: the bridge's settings, processing's, and the file forms of secrets. */
export const SETTING_NAMES: ReadonlySet<string> = new Set([
  ...Object.keys(envShape),
  ...PROCESSING_SETTINGS,
  ...MEDIATOR_ENDPOINT_SETTINGS,
  ...SECRET_SETTINGS.map((s) => `${s}_FILE`),
]);

/** The settings file and the environment merged (the environment wins), validated: what every command that needs the node's settings calls. */
export function loadBridgeSettings(
  env: Record<string, string | undefined>,
  configFile?: string,
): { config: BridgeConfig; source: SettingsSource } {
  const source = readSettings(env, SETTING_NAMES, configFile);
  return { config: loadBridgeConfig(source.values), source };
}

/** Validates the bridge's environment and fails fast, naming every missing or malformed setting. */
export function loadBridgeConfig(env: Record<string, string | undefined>): BridgeConfig {
  const cleaned: Record<string, string | undefined> = cleanEnv(env);
  const parsed = envSchema.safeParse(cleaned);
  const processing = parseProcessingEnv(cleaned);
  const endpoint = parseMediatorEndpointEnv(cleaned);
  if (!parsed.success || processing.problems.length > 0 || endpoint.problems.length > 0) {
    const problems = (parsed.success ? [] : parsed.error.issues).map((issue) => {
      const name = issue.path.map(String).join('.') || '(environment)';
      const top = String(issue.path[0] ?? '');
      return `${name} ${cleaned[top] === undefined && issue.code === 'invalid_type' ? 'is missing' : issue.message}`;
    });
    throw new ConfigError([...problems, ...processing.problems, ...endpoint.problems]);
  }
  const e = parsed.data;
  const hubUrl = e.HUB_URL.replace(/\/+$/, '');
  const hubAudience = e.HUB_AUDIENCE ?? new URL(hubUrl).origin;
  return {
    nodeId: e.NODE_ID,
    hubUrl,
    hubAudience,
    hubJobKeys: e.HUB_JOB_KEYS,
    hubIssuer: e.HUB_ISSUER ?? hubAudience,
    hubIssuerExplicit: e.HUB_ISSUER !== undefined,
    keyFile: resolve(e.KEY_FILE),
    dataDir: resolve(e.DATA_DIR),
    stateDir: resolve(e.STATE_DIR),
    jobSource:
      e.JOB_SOURCE === 'sqs'
        ? { kind: 'sqs', queueUrl: e.SQS_QUEUE_URL as string, endpoint: e.SQS_ENDPOINT, region: e.AWS_REGION as string }
        : { kind: 'hub' },
    privacy: privacyOf(e),
    mappingsFile: e.MAPPINGS_FILE ? resolve(e.MAPPINGS_FILE) : undefined,
    reindexIntervalMs: e.REINDEX_INTERVAL_SECONDS * 1000,
    processing: processing.config,
    hubGrantKeys: e.HUB_GRANT_KEYS,
    healthIntervalMs: e.HEALTH_INTERVAL_SECONDS * 1000,
    mediatorEndpoint: endpoint.config,
    network: {
      httpsProxy: e.HTTPS_PROXY,
      httpProxy: e.HTTP_PROXY,
      noProxy: e.NO_PROXY,
      caFile: e.HUB_CA_FILE ? resolve(e.HUB_CA_FILE) : undefined,
    },
    mediator: e.MEDIATOR_URL
      ? { url: e.MEDIATOR_URL.replace(/\/+$/, ''), secret: e.MEDIATOR_SECRET as string, timeoutMs: e.MEDIATOR_TIMEOUT_MS }
      : undefined,
  };
}
