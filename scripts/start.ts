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
import { DEMO_NODES, prepareDemoNode } from './demo-nodes.ts';

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
  for (const node of DEMO_NODES) {
    const prepared = await prepareDemoNode(node, { dataDir, hubUrl: publicUrl, adminToken });
    children.push(startBridge(node.id, prepared, hubKeys));
  }
  // The nodes' datasets enter the catalogue as a data holder registers them: through its API.
  const holderToken = await fetchDemoToken({ issuer: oidc.issuer, dataDir: path.join(dataDir, 'oidc'), username: 'dataholder' });
  await seedDemoCatalogue({ hubUrl: publicUrl, adminToken, holderToken, nodes: DEMO_NODES });

  const stop = async () => {
    log('stopping');
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    await hub.stop();
    await oidc.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  banner(oidc.issuer);
}

function startBridge(nodeId: string, prepared: { keyFile: string; data: string; state: string }, hubKeys: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bridge/cli.ts', 'start'], {
    env: {
      ...env,
      NODE_ID: nodeId,
      HUB_URL: publicUrl,
      HUB_JOB_KEYS: hubKeys,
      KEY_FILE: prepared.keyFile,
      DATA_DIR: prepared.data,
      STATE_DIR: prepared.state,
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
    `  demo logins       ${DEMO_ACCOUNTS.map((a) => a.sub).join(', ')} — password "${DEMO_PASSWORD}"`,
    '  a token for curl  npm run token -- researcher',
    `  state kept in     ${path.relative(process.cwd(), dataDir) || '.'}`,
    '  Ctrl-C stops everything.',
    '',
  ];
  console.log(lines.join('\n'));
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  for (const child of children) child.kill('SIGTERM');
  process.exit(1);
});

