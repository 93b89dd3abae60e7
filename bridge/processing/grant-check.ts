import type { JSONWebKeySet } from 'jose';
import { type AccessCondition, GrantRefused, verifyGrant } from '../../shared/negotiation/grant.ts';

export interface GrantRequest {
  user: string;
  datasets: readonly string[];
  grants: readonly string[];
}

/** Decides whether the signed grants a run carries cover every dataset it reads, for its user. */
export type GrantCheck = (req: GrantRequest) => Promise<{ ok: true } | { ok: false; problem: string }>;

/**
 * The node's own check of the hub's grant statements, offline with the hub's public grant keys: a
 * run is allowed only if every dataset has a valid, unexpired grant to this user for processing.
 * Federated runs are the seed's remote processing; other access models do not cover them.
 */
export function signedGrantCheck(opts: {
  keys: JSONWebKeySet | (() => JSONWebKeySet);
  issuer: string;
  access?: readonly AccessCondition[];
  now?: () => number;
  /** Ids of revoked grants, asked fresh for every run; when it throws, nothing runs. */
  revoked?: () => Promise<ReadonlySet<string>>;
}): GrantCheck {
  const access = opts.access ?? ['REMOTE_PROCESSING'];
  return async ({ user, datasets, grants }) => {
    // A function: the running bridge refreshes the hub's grant keys (rotation) between runs.
    const keys = typeof opts.keys === 'function' ? opts.keys() : opts.keys;
    let revoked: ReadonlySet<string> = new Set();
    try {
      if (opts.revoked) revoked = await opts.revoked();
    } catch {
      return { ok: false, problem: 'the revocation list could not be read; no grant is trusted without it' };
    }
    for (const dataset of datasets) {
      let last = 'no grant for it';
      let covered = false;
      for (const jws of grants) {
        try {
          const claims = await verifyGrant(jws, keys, { issuer: opts.issuer, user, dataset, nowMs: opts.now?.() ?? Date.now() });
          if (revoked.has(claims.jti)) {
            last = 'the grant was revoked';
            continue;
          }
          if (access.includes(claims.access)) {
            covered = true;
            break;
          }
          last = `a grant for ${claims.access}, which does not cover processing`;
        } catch (err) {
          // Other datasets' grants fail with wrong_dataset; only a problem with a grant for this one is worth naming.
          if (err instanceof GrantRefused && err.reason !== 'wrong_dataset') last = `grant refused: ${err.reason}`;
        }
      }
      if (!covered) return { ok: false, problem: `dataset ${dataset}: ${last}` };
    }
    return { ok: true };
  };
}
