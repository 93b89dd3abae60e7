import { type JWK, calculateJwkThumbprint } from 'jose';
import { AppError } from '../../shared/errors.ts';
import type { PrivateJwk } from '../../shared/node-auth.ts';
import { type Checkpoint, signCheckpoint, type TracerPublicKey } from '../../shared/tracer/checkpoint.ts';

/** Signs checkpoints with the tracer's own Ed25519 key (not the job key: a leak of one must not forge the other). */
export interface CheckpointSigner {
  readonly origin: string;
  /** Undefined when no key is configured: appends still work, checkpoints cannot be published. */
  readonly publicKey: TracerPublicKey | undefined;
  sign(input: { treeSize: number; rootHash: string; timestamp: string }): Promise<Checkpoint>;
}

export async function createCheckpointSigner(privateJwk: PrivateJwk, origin: string): Promise<CheckpointSigner> {
  const publicJwk = { kty: 'OKP' as const, crv: 'Ed25519' as const, x: privateJwk.x };
  const kid = await calculateJwkThumbprint(publicJwk as JWK);
  const key = await crypto.subtle.importKey('jwk', { ...publicJwk, d: privateJwk.d }, { name: 'Ed25519' }, false, ['sign']);
  return {
    origin,
    publicKey: { ...publicJwk, kid },
    sign: (input) => signCheckpoint(key, kid, { origin, ...input }),
  };
}

/** The stand-in where no key is configured (Workers, Lambda without TRACER_SIGNING_KEY): refuses by name. */
export function refusingCheckpointSigner(origin: string): CheckpointSigner {
  return {
    origin,
    publicKey: undefined,
    sign: async () => {
      throw new AppError('unavailable', 'the tracer has no signing key (set TRACER_SIGNING_KEY)');
    },
  };
}
