import { z } from 'zod';
import { userActionSchema } from './actions.ts';
import { canonicalJson } from './canonical-json.ts';
import { fromHex, hexHashPattern } from './hex.ts';
import { leafHash } from './merkle.ts';
import { sha256TextHex } from './sha256.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** One log entry as stored and served. `hash` covers every other field, `prevHash` included. */
export const traceEntrySchema = z
  .object({
    seq: z.number().int().min(0),
    id: z.string().uuid(),
    timestamp: z.string().datetime({ offset: true }),
    /** `hub` for the hub's own services, `node:<id>` for a node's signed submission. */
    submitter: z.string().min(1).max(100),
    userId: z.string().min(1).max(200),
    userAction: userActionSchema,
    datasetIds: z.array(z.string()).min(1),
    payload: z.record(z.string(), z.unknown()),
    prevHash: z.string().regex(hexHashPattern),
    hash: z.string().regex(hexHashPattern),
  })
  .strict();
export type TraceEntry = z.infer<typeof traceEntrySchema>;

/** SHA-256 over the canonical JSON of the entry without its own hash, in hex as the log stores it. */
export function entryHash(entry: Omit<TraceEntry, 'hash'> & { hash?: string }): string {
  return sha256TextHex(entryCanonical(entry));
}

/**
 * `canonicalJson` of the entry without its hash, written out for the fixed top-level members (in
 * their sorted order) so the verifier does not sort and walk them for every entry of the log. Any
 * extra member falls back to the generic encoder; a test checks both give the same bytes.
 */
export function entryCanonical(e: Omit<TraceEntry, 'hash'> & { hash?: string }): string {
  if (Object.keys(e).length !== (e.hash === undefined ? 9 : 10)) {
    const { hash: _ignored, ...content } = e;
    return canonicalJson(content);
  }
  return (
    `{"datasetIds":${canonicalJson(e.datasetIds)},"id":${canonicalJson(e.id)},"payload":${canonicalJson(e.payload)}` +
    `,"prevHash":${canonicalJson(e.prevHash)},"seq":${canonicalJson(e.seq)},"submitter":${canonicalJson(e.submitter)}` +
    `,"timestamp":${canonicalJson(e.timestamp)},"userAction":${canonicalJson(e.userAction)},"userId":${canonicalJson(e.userId)}}`
  );
}

/** The Merkle leaf of an entry: H(0x00 || entry hash bytes). `leafHex` gives it in hex. */
export const entryLeaf = (hash: string): Uint8Array => leafHash(fromHex(hash));
