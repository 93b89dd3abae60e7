import { constants } from 'node:fs';
import { access, mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { nodeIdSchema } from '../shared/node-auth.ts';
import { ConfigError } from './config-error.ts';
import { type BridgeConfig, loadBridgeConfig } from './config.ts';
import { HubClient } from './hub-client.ts';
import { enrolNode } from './keys.ts';
import { describeError } from './logger.ts';
import { hubFetch, readCaFile } from './net/hub-fetch.ts';
import { explainHubError } from './net/hub-problem.ts';
import { formatSettingsFile } from './settings.ts';

export interface InitIo {
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  err: (line: string) => void;
  /** Present when a person answers at a terminal; without it every value comes from flags. */
  ask?: (question: string, fallback?: string) => Promise<string>;
}

export interface InitFlags {
  config?: string;
  'node-id'?: string;
  name?: string;
  'hub-url'?: string;
  'data-dir'?: string;
  'state-dir'?: string;
  'key-file'?: string;
  'https-proxy'?: string;
  'ca-file'?: string;
  admin?: string[];
  force?: boolean;
}

/**
 * `bridge init`: a new node from nothing. Asks (at a terminal) or reads from flags the node's id, the
 * hub, and the folders; checks all of it before writing anything; then writes the node key (mode 600),
 * the settings file, and the state folder, pins the hub's job keys when the hub answers, and prints
 * what to send to the hub's operator. In the bridge image the folders are the image's own (/data,
 * /state, the key as a secret) and are not asked for: the image's environment already names them.
 */
export async function initNode(flags: InitFlags, io: InitIo): Promise<number> {
  const ask = async (question: string, flag: string | undefined, fallback?: string): Promise<string | undefined> =>
    flag ?? (io.ask ? (await io.ask(question, fallback)).trim() || fallback : fallback);
  const configFile = resolve(flags.config ?? io.env.BRIDGE_CONFIG ?? 'bridge.env');
  const dir = dirname(configFile);
  const inImage = Boolean(io.env.KEY_FILE && io.env.DATA_DIR && io.env.STATE_DIR);
  if (!flags.force && (await exists(configFile)))
    throw new ConfigError([
      `--config ${configFile} already exists; pass --force to write a new node (the hub must then register its new key)`,
    ]);

  const nodeId = await ask('Node id, as the hub will know it (lower case, digits, dashes)', flags['node-id']);
  const hubUrl = await ask("The hub's address (https://...)", flags['hub-url']);
  const name = (await ask('A name for the node, shown on the network page', flags.name, nodeId)) ?? nodeId ?? '';
  const dataDir = inImage ? undefined : await ask('The data folder (read-only for the bridge)', flags['data-dir']);
  const stateDir = inImage
    ? (io.env.STATE_DIR as string)
    : resolve((await ask('The state folder (the bridge writes only here)', flags['state-dir'], join(dir, 'state'))) ?? join(dir, 'state'));
  const proxy = await ask('HTTPS proxy to reach the hub, if any (http://proxy:3128)', flags['https-proxy'] ?? io.env.HTTPS_PROXY, '');
  const caFile = await ask(
    'Extra CA certificate file for the hub or a TLS-inspecting proxy, if any',
    flags['ca-file'] ?? io.env.HUB_CA_FILE,
    '',
  );
  const keyFile = resolve(flags['key-file'] ?? join(dir, 'node-key.json'));

  // Every value is checked before the first file is written: a refused init leaves nothing behind.
  const settings: [string, string, string?][] = [
    ['NODE_ID', nodeId ?? '', "this node's id at the hub"],
    ['HUB_URL', hubUrl ?? '', 'where the hub is; the bridge only connects out'],
  ];
  if (!inImage) {
    settings.push(['KEY_FILE', keyFile, "the node's private key (mode 600); never send it anywhere"]);
    settings.push(['DATA_DIR', dataDir ? resolve(dataDir) : '', 'the datasets, one folder each; mount or share it read-only']);
    settings.push(['STATE_DIR', stateDir, 'index, replay memory, runs; back it up, keep it across upgrades']);
  }
  if (proxy) settings.push(['HTTPS_PROXY', proxy, "the site's proxy to the hub"]);
  if (caFile)
    settings.push(['HUB_CA_FILE', resolve(caFile), 'extra CA trusted for the hub (a TLS-inspecting proxy re-signs with its own)']);
  const problems: string[] = [];
  if (!nodeIdSchema.safeParse(nodeId).success)
    problems.push(`--node-id "${nodeId ?? ''}": lower-case letters, digits and dashes, 2-63 characters`);
  if (!/^https?:\/\/[^/]/.test(hubUrl ?? '')) problems.push(`--hub-url "${hubUrl ?? ''}": must be the hub's http(s) address`);
  if (!inImage && !dataDir) problems.push('--data-dir is required');
  if (problems.length > 0) throw new ConfigError(problems);
  const check = Object.fromEntries(settings.map(([k, v]) => [k, v]));
  const config = loadBridgeConfig({ KEY_FILE: keyFile, DATA_DIR: dataDir ?? '/data', STATE_DIR: stateDir, ...check });
  if (!inImage) await mustRead(config.dataDir, 'DATA_DIR');
  if (config.network.caFile) readCaFile(config.network.caFile);
  if (await exists(keyFile)) {
    if (!flags.force) throw new ConfigError([`--key-file ${keyFile} already exists; pass --force to replace the node key`]);
  }

  // The hub's keys are pinned now, while the admin can still compare them with what the operator says.
  const pinned = await readHubKeys(config, io);
  if (pinned)
    settings.push([
      'HUB_JOB_KEYS',
      JSON.stringify(pinned.keys),
      `the hub's job keys (${pinned.kids}), as read at init; compare them with the operator's`,
    ]);

  await mkdir(dir, { recursive: true });
  const enrolled = await enrolNode({ nodeId: config.nodeId, keyFile, force: flags.force });
  // In the image the state is a volume of its own; on a plain host it is a folder, made here.
  if (!inImage) await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const text = formatSettingsFile(
    [
      `EUCAIM bridge settings for node ${config.nodeId}, written by "bridge init".`,
      'The environment overrides any line; secrets go in files (<NAME>_FILE).',
    ],
    settings,
  );
  const temp = `${configFile}.tmp`;
  await writeFile(temp, text, { mode: 0o640 });
  await rename(temp, configFile);

  const registration = { id: config.nodeId, name, publicJwk: enrolled.publicJwk, admins: flags.admin ?? [] };
  io.out(`Wrote ${configFile} and the node key ${keyFile} (mode 600)${inImage ? '' : `, and made the state folder ${stateDir}`}.`);
  io.out("\nSend this to the hub's operator (it holds no secret); they register it with POST /api/v1/nodes:\n");
  io.out(JSON.stringify(registration, null, 2));
  io.out(
    `\nNext: once the operator confirms, run "bridge doctor"; it checks the settings, the folders and the way to the hub.${pinned ? '' : '\nThe hub did not answer, so its job keys are not pinned: ask the operator for them (HUB_JOB_KEYS).'}`,
  );
  return 0;
}

async function readHubKeys(config: BridgeConfig, io: InitIo) {
  const hub = new HubClient({
    hubUrl: config.hubUrl,
    audience: config.hubAudience,
    nodeId: config.nodeId,
    privateJwk: { kty: 'OKP', crv: 'Ed25519', x: '', d: '' },
    fetch: hubFetch(config.network),
    timeoutMs: 10_000,
  });
  try {
    const answer = await hub.jobKeys();
    return { keys: answer.keys, kids: answer.keys.map((k) => k.kid).join(', ') };
  } catch (err) {
    const problem = explainHubError(err, config);
    // A refusing proxy or an untrusted certificate is a setting to fix now, before anything is written.
    if (problem.fatal) throw new ConfigError([problem.message]);
    io.err(`warning: the hub did not answer (${problem.message || describeError(err)}); its job keys are not pinned`);
    return undefined;
  }
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

async function mustRead(path: string, setting: string): Promise<void> {
  if (!isAbsolute(path)) throw new ConfigError([`${setting} ${path}: must be an absolute path`]);
  await access(path, constants.R_OK | constants.X_OK).catch((err: NodeJS.ErrnoException) => {
    throw new ConfigError([`${setting} ${path}: ${err.code === 'ENOENT' ? 'does not exist' : `cannot be read (${err.code})`}`]);
  });
}
