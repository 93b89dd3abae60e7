import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PrivateJwk, PublicJwk } from '../../shared/node-auth.ts';
import { generateDemo } from '../demo/generate.ts';
import type { DemoPlan } from '../demo/plan.ts';
import { enrolNode, loadNodeKey } from '../keys.ts';
import { type LogFields, type Logger, jsonLogger } from '../logger.ts';
import { tempDir } from './temp-dir.ts';

export interface NodeFixture {
  nodeId: string;
  root: string;
  keyFile: string;
  dataDir: string;
  stateDir: string;
  publicJwk: PublicJwk;
  privateJwk: PrivateJwk;
  plan: DemoPlan;
  remove(): Promise<void>;
}

/** A node as a data holder would set it up: enrolled key, generated data, empty state, random id. */
export async function makeNodeFixture(seed?: string): Promise<NodeFixture> {
  const dir = await tempDir('bridge-node-');
  const nodeId = `node-${crypto.randomUUID().slice(0, 8)}`;
  const keyFile = join(dir.path, 'node-key.json');
  const dataDir = join(dir.path, 'data');
  const { publicJwk } = await enrolNode({ nodeId, keyFile });
  const { plan } = await generateDemo({ dataDir, seed: seed ?? nodeId });
  // The state folder exists before the first start, as the install guide has the site create it.
  await mkdir(join(dir.path, 'state'), { mode: 0o700 });
  return {
    nodeId,
    root: dir.path,
    keyFile,
    dataDir,
    stateDir: join(dir.path, 'state'),
    publicJwk,
    privateJwk: await loadNodeKey(keyFile),
    plan,
    remove: dir.remove,
  };
}

/** A logger that keeps its lines, so tests can assert on warnings without printing them. */
export function memoryLogger(): Logger & { lines: { level: string; msg: string; fields?: LogFields }[] } {
  const lines: { level: string; msg: string; fields?: LogFields }[] = [];
  const logger = jsonLogger({}, (line) => {
    const { level, msg, time: _time, ...fields } = JSON.parse(line) as { level: string; msg: string; time: string };
    lines.push({ level, msg, fields });
  });
  return Object.assign(logger, { lines });
}

/** The settings a deployment gives a bridge for this node and hub (tests add JOB_SOURCE, MEDIATOR_*...). */
export function bridgeEnv(node: NodeFixture, hub: { url: string; jobKey: { publicJwk: unknown } }): Record<string, string> {
  return {
    NODE_ID: node.nodeId,
    HUB_URL: hub.url,
    HUB_JOB_KEYS: JSON.stringify([hub.jobKey.publicJwk]),
    KEY_FILE: node.keyFile,
    DATA_DIR: node.dataDir,
    STATE_DIR: node.stateDir,
  };
}
