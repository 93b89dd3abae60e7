import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { loadDatasets } from '../bridge/dataset.ts';
import { generateDemo } from '../bridge/demo/generate.ts';
import { enrolNode, loadNodeKey, publicJwkOf } from '../bridge/keys.ts';

/** The two demo data holders `npm start` runs; `dataholder` administers both. */
export const DEMO_NODES = [
  { id: 'node-a', name: 'Demo node A (prostate and pelvis MR/CT)' },
  { id: 'node-b', name: 'Demo node B (breast and lung)' },
] as const;

export interface PreparedNode {
  keyFile: string;
  data: string;
  state: string;
  /** SANDBOX_PATH when the demo has processing: beside the data, so inputs can be hard links. */
  sandbox: string;
  /** The node's first dataset (kept for callers that seed one dataset), and all of them. */
  datasetIds: string[];
}

/**
 * Does for a demo node what a data holder and an admin do by hand: enrol a key pair, put data in
 * place (generated on first start) and register the node with the hub through its API.
 */
export async function prepareDemoNode(
  node: (typeof DEMO_NODES)[number],
  opts: { dataDir: string; hubUrl: string; adminToken: string },
): Promise<PreparedNode> {
  const root = path.join(opts.dataDir, 'bridges', node.id);
  const keyFile = path.join(root, 'node-key.json');
  const data = path.join(root, 'data');
  const state = path.join(root, 'state');
  const publicJwk = existsSync(keyFile)
    ? publicJwkOf(await loadNodeKey(keyFile))
    : (await enrolNode({ nodeId: node.id, keyFile })).publicJwk;
  await generateDemo({ dataDir: data, seed: node.id });
  // A bridge refuses a state folder that is not there (a site creates it); the demo is the site here.
  await mkdir(state, { recursive: true, mode: 0o700 });
  const datasets = await loadDatasets(data);

  const res = await fetch(`${opts.hubUrl}/api/v1/nodes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${opts.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id: node.id, name: node.name, publicJwk, admins: ['dataholder'] }),
  });
  // 409: registered on an earlier start, with the key kept under .data.
  if (res.status !== 201 && res.status !== 409) {
    throw new Error(`registering ${node.id} failed: ${res.status} ${await res.text()}`);
  }
  return { keyFile, data, state, sandbox: path.join(root, 'sandbox'), datasetIds: datasets.map((d) => d.id) };
}
