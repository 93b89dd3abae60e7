import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { useNodeSha256 } from '../functions/tracer/node-sha256.ts';
import { tracerPublicKeySchema } from '../shared/tracer/checkpoint.ts';
import { verifyRemoteLog } from '../shared/tracer/remote-verify.ts';
import { threadedEntryVerifier } from './tracer-verify-threads.ts';

/**
 * `npm run tracer:verify -- --url <hub> [--token <t>] [--key <jwk file>] [--threads <n>]`: downloads
 * the whole trace log, its signed checkpoints and a consistency proof, and recomputes everything
 * locally. Worker threads (default: one less than the cores, at least one) download, validate and
 * hash the entry pages; `--threads 0` does it all in this thread.
 * Exit 0 when the log verifies, 1 when it does not (printing the first bad entry), 2 on misuse.
 */
const USAGE = 'usage: npm run tracer:verify -- --url <hub> [--token <admin access token>] [--key <tracer public JWK file>] [--threads <n>]';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    key: { type: 'string' },
    threads: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
const threads = values.threads === undefined ? Math.max(1, availableParallelism() - 1) : Number(values.threads);
if (values.help || !values.url || !Number.isInteger(threads) || threads < 0) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 2);
}

useNodeSha256();
let publicKey: ReturnType<typeof tracerPublicKeySchema.parse> | undefined;
if (values.key) publicKey = tracerPublicKeySchema.parse(JSON.parse(await readFile(values.key, 'utf8')));

try {
  const started = performance.now();
  const entryVerifier = threads > 0 ? threadedEntryVerifier(threads) : undefined;
  const report = await verifyRemoteLog({ url: values.url, token: values.token ?? process.env.TRACER_TOKEN, publicKey, entryVerifier });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (!report.keyPinned)
    console.error(`warning: key ${report.keyId} was taken from the hub itself; pin it with --key to verify against a key you hold`);
  if (report.consistent) {
    console.log(
      `OK: ${report.entries} entries and ${report.checkpoints} checkpoints verify (key ${report.keyId}, consistency proof ${report.consistencyProof}, ${seconds} s)`,
    );
    process.exit(0);
  }
  const bad = report.firstBad;
  console.log(
    bad ? `INCONSISTENT at entry ${bad.seq} (${bad.reason}): ${bad.message}` : `INCONSISTENT: the hub's consistency proof does not verify`,
  );
  process.exit(1);
} catch (err) {
  console.error(`tracer:verify: ${(err as Error).message}`);
  process.exit(2);
}
