import { z } from 'zod';

/** Where the bridge serves a site's Focus as its mediator; off unless the data holder sets both. */
export interface MediatorEndpointConfig {
  host: string;
  port: number;
  secret: string;
}

const envSchema = z.object({
  // host:port; the host is an IP literal or a name (127.0.0.1 to serve a Focus on the same host).
  MEDIATOR_ENDPOINT_LISTEN: z
    .string()
    .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:8095')
    .refine((v) => Number(v.slice(v.lastIndexOf(':') + 1)) <= 65535, 'port must be at most 65535'),
  // Focus sends it as "Authorization: Secret <it>" (its AUTH_HEADER); long enough not to be guessed.
  MEDIATOR_ENDPOINT_SECRET: z.string().min(16, 'must be at least 16 characters'),
});

/** The names a settings file may hold for the endpoint. */
export const MEDIATOR_ENDPOINT_SETTINGS = Object.keys(envSchema.shape);

/**
 * The endpoint's settings from the environment: none when neither is set, problems naming each bad
 * one otherwise. It answers from the bridge's own index, so it cannot be combined with MEDIATOR_URL.
 */
export function parseMediatorEndpointEnv(env: Record<string, string | undefined>): { config?: MediatorEndpointConfig; problems: string[] } {
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  if (set.MEDIATOR_ENDPOINT_LISTEN === undefined && set.MEDIATOR_ENDPOINT_SECRET === undefined) return { problems: [] };
  if (set.MEDIATOR_URL !== undefined)
    return { problems: ["MEDIATOR_ENDPOINT_LISTEN cannot be used with MEDIATOR_URL (it answers from the bridge's own index)"] };
  const parsed = envSchema.safeParse(set);
  if (!parsed.success)
    return {
      problems: parsed.error.issues.map((i) => {
        const name = String(i.path[0]);
        return `${name} ${set[name] === undefined ? 'is missing' : i.message}`;
      }),
    };
  const listen = parsed.data.MEDIATOR_ENDPOINT_LISTEN;
  const at = listen.lastIndexOf(':');
  return {
    config: {
      host: listen.slice(0, at).replace(/^\[|\]$/g, ''),
      port: Number(listen.slice(at + 1)),
      secret: parsed.data.MEDIATOR_ENDPOINT_SECRET,
    },
    problems: [],
  };
}
