import { parseArgs } from 'node:util';
import { ConfigError, loadBridgeConfig } from './config.ts';
import { generateDemo } from './demo/generate.ts';
import { buildIndex } from './index/build-index.ts';
import { KeyFileError, enrolNode } from './keys.ts';
import { type Logger, describeError } from './logger.ts';

export interface CliIo {
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  err: (line: string) => void;
  logger?: Logger;
  /** Stops `start`; the process entry aborts it on SIGINT/SIGTERM. */
  signal?: AbortSignal;
}

export const USAGE = `usage: npm run bridge -- <command> [options]
  enrol --node-id <id> --key-file <path> [--force]   create the node key; prints the public JWK for the hub
  generate-demo --data <dir> --seed <seed>           write deterministic synthetic DICOM + clinical data
  index --data <dir>                                 index a data folder and print its summary and bad files
  start                                              run the bridge (configuration from the environment)`;

class UsageError extends Error {}

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/** Formats rows as a plain text table (the first row is the header). */
export function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd());
}

/** Runs one CLI command; answers the process exit code instead of exiting, so it can be tested. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'node-id': { type: 'string' },
        'key-file': { type: 'string' },
        force: { type: 'boolean', default: false },
        data: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    const command = positionals[0];
    if (values.help || !command) {
      io.out(USAGE);
      return command || values.help ? 0 : 2;
    }
    switch (command) {
      case 'enrol': {
        const enrolled = await enrolNode({ nodeId: required(values, 'node-id'), keyFile: required(values, 'key-file'), force: values.force });
        // Only the public half is printed: it is what the hub admin registers.
        io.out(JSON.stringify(enrolled, null, 2));
        io.err(`private key written to ${values['key-file']} (mode 600); register the public JWK above at the hub`);
        return 0;
      }
      case 'generate-demo': {
        const dataDir = required(values, 'data');
        const result = await generateDemo({ dataDir, seed: required(values, 'seed') });
        if (result.skipped) io.out(`${dataDir}/dataset.json exists: demo data already there, nothing written`);
        else io.out(`wrote ${result.files} DICOM files for ${result.plan.patients.length} patients, dataset ${result.plan.dataset.id}`);
        return 0;
      }
      case 'index': {
        const index = await buildIndex(required(values, 'data'));
        const { modalities, ...counts } = index.summary();
        io.out(table([['what', 'count'], ...Object.entries(counts).map(([k, v]) => [k, String(v)]), ...Object.entries(modalities).map(([m, n]) => [`series ${m}`, String(n)])]).join('\n'));
        const bad = index.badFiles();
        if (bad.length > 0) io.out(`\n${table([['bad file', 'reason'], ...bad.map((b) => [b.path, b.reason])]).join('\n')}`);
        return 0;
      }
      case 'start': {
        const config = loadBridgeConfig(io.env);
        // Loaded on demand: the AWS SDK behind it is slow to import and only `start` needs it.
        const { startBridge } = await import('./start.ts');
        const bridge = await startBridge(config, { logger: io.logger, signal: io.signal });
        await bridge.done;
        return 0;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    // Stopped while still starting (e.g. waiting for the hub's keys): a requested stop, not a failure.
    if (io.signal?.aborted) return 0;
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${describeError(err)}\n${USAGE}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      io.err(err.message);
      return 2;
    }
    io.err(err instanceof KeyFileError ? err.message : `bridge: ${describeError(err)}`);
    return 1;
  }
}
