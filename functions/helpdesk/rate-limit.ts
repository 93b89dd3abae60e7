import { lt, sql } from 'drizzle-orm';
import { AppError } from '../../shared/errors.ts';
import type { Services } from '../services.ts';
import { helpdeskRateLimits } from './helpdesk.sql.ts';

export interface Limit {
  /** What is counted, e.g. `eoi:email:<address>`; stored only as a SHA-256 hash. */
  key: string;
  max: number;
  windowMs: number;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Fixed-window counters in Postgres, so every runtime (one Node process, many Lambdas or Worker
 * isolates) shares them. One upsert per limit counts and reads atomically; over the limit is a 429.
 */
export async function enforceLimits(s: Pick<Services, 'db' | 'clock'>, limits: Limit[]): Promise<void> {
  const now = s.clock.now().getTime();
  for (const limit of limits) {
    const windowStart = new Date(now - (now % limit.windowMs));
    const key = await sha256Hex(limit.key);
    const [row] = await s.db
      .insert(helpdeskRateLimits)
      .values({ key, windowStart, count: 1 })
      .onConflictDoUpdate({
        target: [helpdeskRateLimits.key, helpdeskRateLimits.windowStart],
        set: { count: sql`${helpdeskRateLimits.count} + 1` },
      })
      .returning({ count: helpdeskRateLimits.count });
    if ((row?.count ?? 0) > limit.max) throw new AppError('rate_limited', 'too many submissions; try again later');
  }
}

/** Old windows are worthless: the sweep forgets those older than a day. */
export async function pruneRateLimits(s: Pick<Services, 'db' | 'clock'>): Promise<void> {
  const cutoff = new Date(s.clock.now().getTime() - 86_400_000 * 2);
  await s.db.delete(helpdeskRateLimits).where(lt(helpdeskRateLimits.windowStart, cutoff));
}
