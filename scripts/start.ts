import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../functions/config.ts';
import { startNodeHub } from '../functions/runtime/node-hub.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './oidc/accounts.ts';
import { startOidcProvider } from './oidc/provider.ts';
import { fetchDemoToken } from './oidc/token-client.ts';
import { buildWeb } from '../web/build.ts';
import { seedDemoCatalogue } from './demo-catalogue.ts';
import { DEMO_NODES, type PreparedNode, prepareDemoNode } from './demo-nodes.ts';
import { type DemoProcessing, prepareDemoProcessing } from './demo-processing.ts';
import { seedDemoProcessing } from './demo-processing-seed.ts';

/**
 * `npm start`: the whole federation on one machine — OIDC provider, hub (API + web app) and two
 * bridges as separate processes — on embedded defaults kept under ./.data.
 */
const env = process.env;
const dataDir = path.resolve(env.DATA_DIR ?? '.data');
const port = Number(env.PORT ?? 8080);
const oidcPort = Number(env.OIDC_PORT ?? 8081);
const publicUrl = env.PUBLIC_URL ?? `http://127.0.0.1:${port}`;
const children: ChildProcess[] = [];
let processing: DemoProcessing | undefined;
const log = (msg: string) => console.log(`[start] ${msg}`);

async function main() {
  await mkdir(dataDir, { recursive: true });
  log('building the web app');
  await buildWeb();
  const oidc = await startOidcProvider({
    port: oidcPort,
    dataDir: path.join(dataDir, 'oidc'),
    hubAudience: publicUrl,
    webRedirectUris: [`${publicUrl}/`],
    webOrigins: [publicUrl],
  });
  const hub = await startNodeHub(
    { ...env, PUBLIC_URL: publicUrl, OIDC_ISSUER: oidc.issuer, DATA_DIR: dataDir },
    { port, webRoot: path.relative(process.cwd(), path.resolve('web/dist')) },
  );
  const adminToken = await fetchDemoToken({ issuer: oidc.issuer, dataDir: path.join(dataDir, 'oidc'), username: 'admin' });
  const hubKeys = JSON.stringify(hub.services.jobSigner.publicKeys());
  // Both bridges run the demo tool when this machine has Podman; without it they answer counts only.
  const prepared = await prepareDemoProcessing(dataDir);
  if ('missing' in prepared) log(`processing off: ${prepared.missing}`);
  else processing = prepared;
  for (const node of DEMO_NODES) {
    const ready = await prepareDemoNode(node, { dataDir, hubUrl: publicUrl, adminToken });
    children.push(startBridge(node.id, ready, hubKeys));
  }
  // The nodes' datasets enter the catalogue as a data holder registers them: through its API.
  const holderToken = await fetchDemoToken({ issuer: oidc.issuer, dataDir: path.join(dataDir, 'oidc'), username: 'dataholder' });
  await seedDemoCatalogue({ hubUrl: publicUrl, adminToken, holderToken, nodes: DEMO_NODES });
  if (processing) {
    const token = (username: string) => fetchDemoToken({ issuer: oidc.issuer, dataDir: path.join(dataDir, 'oidc'), username });
    const tokens = {
      admin: adminToken,
      holder: holderToken,
      researcher: await token('researcher'),
      representative: await token('representative'),
    };
    await seedDemoProcessing({ hubUrl: publicUrl, approval: processing.approval, nodes: DEMO_NODES, tokens });
  }

  const stop = async () => {
    log('stopping');
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    await processing?.stop();
    await hub.stop();
    await oidc.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  banner(oidc.issuer);
}

function startBridge(nodeId: string, prepared: PreparedNode, hubKeys: string) {
  const processingEnv = processing
    ? { SANDBOX_PATH: prepared.sandbox, TOOLS_FILE: processing.toolsFile, CONTAINER_SOCKET: processing.pm.socketPath }
    : { SANDBOX_PATH: '' };
  const child = spawn(process.execPath, ['--import', 'tsx', 'bridge/cli.ts', 'start'], {
    env: {
      ...env,
      NODE_ID: nodeId,
      HUB_URL: publicUrl,
      HUB_JOB_KEYS: hubKeys,
      KEY_FILE: prepared.keyFile,
      DATA_DIR: prepared.data,
      STATE_DIR: prepared.state,
      ...processingEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) console.log(`[${nodeId}] ${line}`);
  };
  child.stdout?.on('data', prefix);
  child.stderr?.on('data', prefix);
  child.on('exit', (code, signal) => log(`${nodeId} exited (${signal ?? code})`));
  return child;
}

function banner(oidcIssuer: string) {
  const lines = [
    '',
    '  EUCAIM federation running locally',
    `  web app and API   ${publicUrl}`,
    `  health            ${publicUrl}/api/v1/health`,
    `  OIDC provider     ${oidcIssuer}`,
    `  bridges           ${DEMO_NODES.map((n) => n.id).join(', ')} (separate processes)`,
    `  processing        ${processing ? `on: tool ${processing.approval.id}@${processing.approval.version} (${processing.approval.image.digest.slice(0, 19)}…) through a private Podman; researcher holds processing grants (see /workspace)` : 'off (no Podman here)'}`,
    `  demo logins       ${DEMO_ACCOUNTS.map((a) => a.sub).join(', ')} — password "${DEMO_PASSWORD}"`,
    '  a token for curl  npm run token -- researcher',
    `  state kept in     ${path.relative(process.cwd(), dataDir) || '.'}`,
    '  Ctrl-C stops everything.',
    '',
  ];
  console.log(lines.join('\n'));
}

main().catch(async (err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  for (const child of children) child.kill('SIGTERM');
  await processing?.stop().catch(() => {});
  process.exit(1);
});
