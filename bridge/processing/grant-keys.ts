import type { JSONWebKeySet } from 'jose';
import { z } from 'zod';
import { ed25519PublicJwkSchema } from '../../shared/node-auth.ts';
import { Backoff, sleep } from '../backoff.ts';
import { type Logger, describeError } from '../logger.ts';

const keysAnswerSchema = z.object({ keys: z.array(ed25519PublicJwkSchema.refine((k) => !('d' in k), 'a private key')).max(20) });

const REFRESH_MS = 10 * 60_000;

/**
 * The hub's public grant keys, which the node checks every run's grant statements with, offline.
 * Pinned (HUB_GRANT_KEYS) they never change; otherwise they are read from the hub's public
 * `GET /api/v1/negotiation/keys` at start and every 10 minutes, so a key rotation reaches the node.
 */
export class GrantKeys {
  private current: JSONWebKeySet;

  constructor(private readonly opts: { hubUrl: string; pinned?: JSONWebKeySet['keys']; fetch?: typeof fetch; logger: Logger }) {
    this.current = { keys: opts.pinned ?? [] };
  }

  keys(): JSONWebKeySet {
    return this.current;
  }

  async refresh(signal?: AbortSignal): Promise<void> {
    // A public route: no node token, which the hub's user-token check would only refuse.
    const res = await (this.opts.fetch ?? fetch)(`${this.opts.hubUrl}/api/v1/negotiation/keys`, {
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(15_000)]) : AbortSignal.timeout(15_000),
    });
    if (!res.ok) throw new Error(`the hub answered ${res.status} for its grant keys`);
    const parsed = keysAnswerSchema.safeParse(await res.json());
    if (!parsed.success) throw new Error('the hub answered something else than a key set for its grant keys');
    this.current = { keys: parsed.data.keys };
  }

  /** Keeps fetched keys fresh until `signal` aborts; with pinned keys it returns at once. */
  async loop(signal: AbortSignal): Promise<void> {
    if (this.opts.pinned) return;
    const backoff = new Backoff({ maxMs: 60_000 });
    while (!signal.aborted) {
      try {
        await this.refresh(signal);
        backoff.reset();
        await sleep(REFRESH_MS, signal);
      } catch (err) {
        if (signal.aborted) return;
        const waitMs = backoff.next();
        this.opts.logger.warn('hub grant keys unavailable; retrying', { error: describeError(err), waitMs });
        await sleep(waitMs, signal);
      }
    }
  }
}
