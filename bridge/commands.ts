import { parseArgs } from 'node:util';
import { UsageError, required } from './cli-util.ts';
import { ConfigError } from './config-error.ts';
import { loadBridgeSettings } from './config.ts';
import { HubProtocolError } from './hub-client.ts';
import { KeyFileError, enrolNode } from './keys.ts';
import { type Logger, describeError } from './logger.ts';
import { BRIDGE_VERSION } from './version.ts';

export interface CliIo {
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  err: (line: string) => void;
  logger?: Logger;
  /** Stops `start`; the process entry aborts it on SIGINT/SIGTERM. */
  signal?: AbortSignal;
  /** Asks a person at a terminal (`init`); absent when stdin is not one. */
  ask?: (question: string, fallback?: string) => Promise<string>;
}

export { table } from './cli-util.ts';

export const USAGE = `usage: bridge <command> [options]       (from source: npm run bridge -- <command>)
 a site's commands (settings from --config <file> or BRIDGE_CONFIG, then the environment, which wins):
  init [--node-id <id> --hub-url <url> --data-dir <dir> --state-dir <dir> --name <text> --admin <subject>
       --https-proxy <url> --ca-file <pem> --key-file <path> --force]
                                                     a new node: settings file, key, state folder; prints what
                                                     to send to the hub's operator (asks at a terminal)
  doctor                                             check settings, key, folders, engine and the way to the hub
  start                                              run the bridge
  status [--json]                                    online, last job, index age, runs
  healthcheck                                        exit code 0 when online (the image's HEALTHCHECK)
  install-file <name>                                print an install file of this version: compose.yaml,
                                                     kubernetes/<file>.yaml (see the install guide)
 the data holder's tools:
  enrol --node-id <id> --key-file <path> [--force]   create the node key; prints the public JWK for the hub
  generate-demo --data <dir> --seed <seed>           write deterministic synthetic DICOM + clinical data
  index --data <dir> --db <file> [--json]            index a data folder (only new or changed files); print the summary
  query --db <file> --ast <file.json> [--exact]      answer a query tree from the index (--exact: no obfuscation,
                                                     for the data holder's own eyes only)
  quality --data <dir> --db <file> [--out <file>]    data-quality report (table; --out x.json or x.csv to keep it)
  hash --data <dir> --dataset <id>                   SHA3-256 of a dataset's index and contents (as its CREATE_DATASET trace holds)
  --version                                          print the bridge's version
exit codes: 0 done, 1 failed (or not healthy), 2 usage or configuration error (the message names the setting)`;

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
        db: { type: 'string' },
        ast: { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean', default: false },
        exact: { type: 'boolean', default: false },
        dataset: { type: 'string' },
        config: { type: 'string' },
        name: { type: 'string' },
        'hub-url': { type: 'string' },
        'data-dir': { type: 'string' },
        'state-dir': { type: 'string' },
        'https-proxy': { type: 'string' },
        'ca-file': { type: 'string' },
        admin: { type: 'string', multiple: true },
        version: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    const command = positionals[0];
    if (values.version) {
      io.out(BRIDGE_VERSION);
      return 0;
    }
    if (values.help || !command) {
      io.out(USAGE);
      return command || values.help ? 0 : 2;
    }
    switch (command) {
      case 'enrol': {
        const enrolled = await enrolNode({
          nodeId: required(values, 'node-id'),
          keyFile: required(values, 'key-file'),
          force: values.force,
        });
        // Only the public half is printed: it is what the hub admin registers.
        io.out(JSON.stringify(enrolled, null, 2));
        io.err(`private key written to ${values['key-file']} (mode 600); register the public JWK above at the hub`);
        return 0;
      }
      case 'init': {
        const { initNode } = await import('./init.ts');
        return await initNode(values, io);
      }
      case 'doctor':
        return await (await import('./site-commands.ts')).doctor(io, values.config);
      case 'status':
        return await (await import('./site-commands.ts')).status(io, { configFile: values.config, json: values.json });
      case 'healthcheck':
        return await (await import('./site-commands.ts')).healthcheck(io, values.config);
      case 'install-file': {
        const name = positionals[1] ?? '';
        if (!/^(compose\.yaml|kubernetes\/[a-z-]+\.yaml)$/.test(name)) throw new UsageError(`install-file: no install file "${name}"`);
        // Beside the entry script: bridge/deploy from the sources, /app/deploy in the image.
        const { readFile } = await import('node:fs/promises');
        const { dirname, join } = await import('node:path');
        io.out((await readFile(join(dirname(process.argv[1] ?? '.'), 'deploy', name), 'utf8')).trimEnd());
        return 0;
      }
      case 'generate-demo': {
        const { generateDemo } = await import('./demo/generate.ts');
        const dataDir = required(values, 'data');
        const result = await generateDemo({ dataDir, seed: required(values, 'seed') });
        if (result.skipped) io.out(`${dataDir}/datasets.json exists: demo data already there, nothing written`);
        else
          io.out(
            `wrote ${result.files} DICOM files for ${result.plan.patients.length} patients in ${result.plan.datasets.length} datasets`,
          );
        return 0;
      }
      case 'index':
      case 'query':
      case 'quality':
        return await (await import('./data-commands.ts')).dataCommand(command, values, io);
      case 'hash': {
        const { hashDataset } = await import('./hash/dataset-hash.ts');
        io.out(JSON.stringify(await hashDataset(required(values, 'data'), required(values, 'dataset')), null, 2));
        return 0;
      }
      case 'start': {
        const { config } = loadBridgeSettings(io.env, values.config);
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
    // The hub does not serve this bridge: no retry can help, the bridge must be updated (or the hub).
    if (err instanceof HubProtocolError) {
      io.err(`bridge: ${err.message}`);
      return 2;
    }
    io.err(err instanceof KeyFileError ? err.message : `bridge: ${describeError(err)}`);
    return 1;
  }
}
