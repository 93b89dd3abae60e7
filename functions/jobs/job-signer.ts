import { type JWK, calculateJwkThumbprint } from 'jose';
import { type JobBody, signJob } from '../../shared/job-protocol.ts';
import type { PrivateJwk, PublicJwk } from '../../shared/node-auth.ts';

/** Signs jobs with the hub's job key; its public half is what bridges pin. */
export interface JobSigner {
  readonly issuer: string;
  sign(input: { jobId: string; nodeId: string; body: JobBody; ttlSeconds: number; nowMs: number }): Promise<string>;
  publicKeys(): (PublicJwk & { kid: string; alg: 'EdDSA'; use: 'sig' })[];
}

export async function createJobSigner(privateJwk: PrivateJwk, issuer: string): Promise<JobSigner> {
  const publicJwk: PublicJwk = { kty: 'OKP', crv: 'Ed25519', x: privateJwk.x };
  const kid = await calculateJwkThumbprint(publicJwk as JWK);
  return {
    issuer,
    sign: (input) => signJob({ ...input, issuer, privateJwk, kid }),
    publicKeys: () => [{ ...publicJwk, kid, alg: 'EdDSA', use: 'sig' }],
  };
}
