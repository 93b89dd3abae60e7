import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../bridge/commands.ts';
import { STATE_VERSION_FILE } from '../../bridge/state-dir.ts';
import { type NodeFixture, makeNodeFixture } from '../../bridge/test-support/node-fixture.ts';
import { type CertFiles, makeCa, makeServerCert } from '../support/tls.ts';

/**
 * Every bad setting a site can get wrong ends the same way: one message naming the setting, exit
 * code 2, and nothing written (the state folder is left exactly as it was). Checked for `start`
 * and for `doctor`, which must name the same setting.
 */
let node: NodeFixture;
let servers: Server[] = [];
const urls = { protocol: '', proxy: '', tlsHub: '', plainHub: '' };
let ca: CertFiles;
let otherCa: CertFiles;
let expiredCa: CertFiles;

const listen = async (server: Server) => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return (server.address() as AddressInfo).port;
};

const jobKeys = JSON.stringify({ issuer: 'http://127.0.0.1', keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43), kid: 'k1' }] });

beforeAll(async () => {
  node = await makeNodeFixture();
  // A hub from the future: it answers, but serves bridge protocols 7 to 9 only.
  urls.protocol = `http://127.0.0.1:${await listen(
    createServer((_req, res) => {
      res.setHeader('eucaim-bridge-protocol', '7-9');
      res.setHeader('content-type', 'application/json');
      res.end(jobKeys);
    }),
  )}`;
  // A site proxy that lets nothing through without credentials.
  const proxy = createServer((_req, res) => res.writeHead(407, { 'proxy-authenticate': 'Basic realm="site"' }).end());
  proxy.on('connect', (_req, socket) =>
    socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="site"\r\n\r\n'),
  );
  urls.proxy = `http://127.0.0.1:${await listen(proxy)}`;
  urls.plainHub = `http://127.0.0.1:${await listen(createServer((_req, res) => res.end(jobKeys)))}`;
  const certs = join(node.root, 'certs');
  await mkdir(certs);
  ca = makeCa(certs, 'hub-ca');
  otherCa = makeCa(certs, 'other-ca');
  expiredCa = makeCa(certs, 'old-ca', { expired: true });
  const leaf = makeServerCert(certs, 'hub', ca);
  const tls = createHttpsServer({ key: readFileSync(leaf.key), cert: readFileSync(leaf.cert) }, (_req, res) => res.end(jobKeys));
  urls.tlsHub = `https://127.0.0.1:${await listen(tls as unknown as Server)}`;
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  servers = [];
  await node?.remove();
});

function env(over: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    NODE_ID: node.nodeId,
    HUB_URL: urls.plainHub,
    KEY_FILE: node.keyFile,
    DATA_DIR: node.dataDir,
    STATE_DIR: node.stateDir,
    ...over,
  };
}

async function cli(argv: string[], e: Record<string, string | undefined>) {
  const out: string[] = [];
  const err: string[] = [];
  const controller = new AbortController();
  // A start that got through every check would run on: stop it (the test then fails on its exit code).
  const timer = setTimeout(() => controller.abort(), 20_000);
  const code = await runCli(argv, { env: e, out: (l) => out.push(l), err: (l) => err.push(l), signal: controller.signal });
  clearTimeout(timer);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

type Case = [label: string, setting: string, message: RegExp, prepare: () => Promise<Record<string, string | undefined>>];

const cases: Case[] = [
  ['a missing key file', 'KEY_FILE', /cannot read KEY_FILE .*ENOENT/, async () => env({ KEY_FILE: join(node.root, 'nope.json') })],
  ['an unreadable key file (a folder)', 'KEY_FILE', /cannot read KEY_FILE .*EISDIR/, async () => env({ KEY_FILE: node.dataDir })],
  ['a missing data folder', 'DATA_DIR', /DATA_DIR .*does not exist/, async () => env({ DATA_DIR: join(node.root, 'nope') })],
  ['a data folder that is a file', 'DATA_DIR', /DATA_DIR .*is not a folder/, async () => env({ DATA_DIR: node.keyFile })],
  ['a missing state folder', 'STATE_DIR', /STATE_DIR .*does not exist/, async () => env({ STATE_DIR: join(node.root, 'nope') })],
  [
    'a state folder from a newer bridge',
    'STATE_DIR',
    /STATE_DIR .*holds bridge state schema 9 written by bridge 9\.0\.0; this bridge \(0\.1\.0\) reads up to schema 1/,
    async () => {
      await writeFile(join(node.stateDir, STATE_VERSION_FILE), JSON.stringify({ schema: 9, writtenBy: '9.0.0' }));
      return env();
    },
  ],
  [
    'a hub that answers with an unknown protocol version',
    'protocol',
    /the hub serves bridge protocol 7-9 and this bridge \(version 0\.1\.0\) speaks protocol 1: update the bridge/,
    async () => env({ HUB_URL: urls.protocol }),
  ],
  [
    'a proxy that refuses',
    'HTTPS_PROXY',
    /HTTPS_PROXY http:\/\/127\.0\.0\.1:\d+: the proxy refused the way to 127\.0\.0\.1:\d+ \(HTTP 407/,
    async () => env({ HUB_URL: urls.tlsHub, HTTPS_PROXY: urls.proxy, HUB_CA_FILE: ca.cert }),
  ],
  [
    'an expired CA',
    'HUB_CA_FILE',
    /HUB_CA_FILE .*old-ca\.crt: the certificate "CN=old-ca" expired on Jan {2}1 00:00:00 2021 GMT/,
    async () => env({ HUB_URL: urls.tlsHub, HUB_CA_FILE: expiredCa.cert }),
  ],
  [
    'a wrong CA',
    'HUB_CA_FILE',
    /HUB_URL https:\/\/127\.0\.0\.1:\d+: the hub's certificate .* not trusted|HUB_CA_FILE .*other-ca\.crt does not hold the CA that signed it/,
    async () => env({ HUB_URL: urls.tlsHub, HUB_CA_FILE: otherCa.cert }),
  ],
  ['no CA for a private hub certificate', 'HUB_URL', /set HUB_CA_FILE to the CA that signed it/, async () => env({ HUB_URL: urls.tlsHub })],
];

describe('bad settings stop the bridge before it writes anything', () => {
  it.each(cases)('start refuses %s: exit 2, naming %s', async (_label, _setting, message, prepare) => {
    await rm(node.stateDir, { recursive: true, force: true });
    await mkdir(node.stateDir);
    const e = await prepare();
    const before = await readdir(node.stateDir);
    const res = await cli(['start'], e);
    expect(res.code, res.err).toBe(2);
    expect(res.err).toMatch(message);
    expect(await readdir(node.stateDir)).toEqual(before);
  });

  it.each(cases)('doctor reports %s as a failure of %s', async (_label, setting, message, prepare) => {
    await rm(node.stateDir, { recursive: true, force: true });
    await mkdir(node.stateDir);
    const e = await prepare();
    const before = await readdir(node.stateDir);
    const res = await cli(['doctor'], e);
    expect(res.code, res.out).toBe(2);
    const failed = res.out.split('\n').filter((l) => l.startsWith('FAIL'));
    expect(failed.join('\n')).toMatch(message);
    expect(
      failed.some((l) => l.includes(setting === 'protocol' ? '(bridge version)' : setting)),
      failed.join('\n'),
    ).toBe(true);
    expect(await readdir(node.stateDir)).toEqual(before);
  });

  it('starts with the same settings once they are right (the checks above can pass)', async () => {
    await rm(node.stateDir, { recursive: true, force: true });
    await mkdir(node.stateDir);
    const res = await cli(['doctor'], env());
    // The plain stand-in has no health route or node registration: the hub checks fail, the local ones pass.
    // (The data folder is writable here, so it is a warning: mount it read-only.)
    for (const name of ['key', 'data folder', 'state folder']) expect(res.out).toMatch(new RegExp(`^(ok  |WARN)\\s+${name}\\s`, 'm'));
  });
});
