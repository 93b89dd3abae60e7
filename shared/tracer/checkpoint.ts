import { z } from 'zod';
import { canonicalBytes } from './canonical-json.ts';
import { hexHashPattern } from './hex.ts';

/** A signed tree head: the tree of `treeSize` entries had `rootHash` at `timestamp`. */
export const checkpointSchema = z
  .object({
    origin: z.string().min(1),
    treeSize: z.number().int().min(0),
    rootHash: z.string().regex(hexHashPattern),
    timestamp: z.string().datetime({ offset: true }),
    keyId: z.string().min(1),
    signature: z.string().regex(/^[A-Za-z0-9_-]+$/),
  })
  .strict();
export type Checkpoint = z.infer<typeof checkpointSchema>;

export const tracerPublicKeySchema = z
  .object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string(), kid: z.string() })
  .passthrough();
export type TracerPublicKey = z.infer<typeof tracerPublicKeySchema>;

/** The bytes the signature covers: canonical JSON of everything but the signature and key id. */
export const checkpointMessage = (c: Omit<Checkpoint, 'signature' | 'keyId'>) =>
  canonicalBytes({ origin: c.origin, treeSize: c.treeSize, rootHash: c.rootHash, timestamp: c.timestamp });

const b64url = {
  encode(bytes: Uint8Array): string {
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  },
  decode(text: string): Uint8Array {
    const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(s, (ch) => ch.charCodeAt(0));
  },
};

export async function signCheckpoint(key: CryptoKey, keyId: string, c: Omit<Checkpoint, 'signature' | 'keyId'>): Promise<Checkpoint> {
  const sig = new Uint8Array(await crypto.subtle.sign('Ed25519', key, checkpointMessage(c) as Uint8Array<ArrayBuffer>));
  return { ...c, keyId, signature: b64url.encode(sig) };
}

export async function importCheckpointKey(jwk: { kty: string; crv: string; x: string }): Promise<CryptoKey> {
  return crypto.subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, { name: 'Ed25519' }, false, ['verify']);
}

/** True when the checkpoint was signed by `publicKey` (and names its key id). */
export async function verifyCheckpoint(c: Checkpoint, publicKey: CryptoKey, keyId: string): Promise<boolean> {
  if (c.keyId !== keyId) return false;
  try {
    const sig = b64url.decode(c.signature);
    return await crypto.subtle.verify(
      'Ed25519',
      publicKey,
      sig as Uint8Array<ArrayBuffer>,
      checkpointMessage(c) as Uint8Array<ArrayBuffer>,
    );
  } catch {
    return false;
  }
}
