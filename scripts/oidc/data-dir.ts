// What the local provider keeps on disk, so that a restart neither invalidates issued tokens
// (signing keys) nor forces scripts to learn a new client secret.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { CLI_CLIENT_ID } from './clients.ts';

export const SIGNING_ALG = 'RS256';
const JWKS_FILE = 'jwks.json';
const CLI_CLIENT_FILE = 'cli-client.json';

export interface CliClient {
  client_id: string;
  client_secret: string;
}

export interface PrivateJwks {
  keys: JWK[];
}

/** Writes through a temporary file so a crash never leaves half a key set; 0600 because it holds secrets. */
async function writeSecretJson(dataDir: string, file: string, value: unknown): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const tmp = join(dataDir, `.${file}.${process.pid}.tmp`);
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, join(dataDir, file));
}

async function readJsonIfPresent(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read ${path}: ${(err as Error).message}`);
  }
}

export async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: SIGNING_ALG, use: 'sig' };
}

export async function loadSigningKeys(dataDir: string): Promise<PrivateJwks | undefined> {
  const path = join(dataDir, JWKS_FILE);
  const stored = (await readJsonIfPresent(path)) as PrivateJwks | undefined;
  if (stored === undefined) return undefined;
  if (!Array.isArray(stored.keys) || stored.keys.length === 0) throw new Error(`${path} holds no keys`);
  return stored;
}

export async function loadOrCreateSigningKeys(dataDir: string): Promise<PrivateJwks> {
  const stored = await loadSigningKeys(dataDir);
  if (stored) return stored;
  const created = { keys: [await newSigningKey()] };
  await writeSecretJson(dataDir, JWKS_FILE, created);
  return created;
}

/**
 * Puts a fresh key first, which the provider then signs with after its next start, and keeps the
 * previous ones published so the tokens they signed stay valid until they expire.
 */
export async function rotateSigningKey(dataDir: string, keep = 2): Promise<JWK> {
  const current = await loadOrCreateSigningKeys(dataDir);
  const fresh = await newSigningKey();
  await writeSecretJson(dataDir, JWKS_FILE, { keys: [fresh, ...current.keys].slice(0, keep + 1) });
  return fresh;
}

function parseCliClient(path: string, stored: unknown): CliClient {
  const c = stored as Partial<CliClient>;
  if (typeof c.client_id !== 'string' || typeof c.client_secret !== 'string') {
    throw new Error(`${path} is not a client file`);
  }
  return { client_id: c.client_id, client_secret: c.client_secret };
}

export async function readCliClient(dataDir: string): Promise<CliClient> {
  const path = join(dataDir, CLI_CLIENT_FILE);
  const stored = await readJsonIfPresent(path);
  if (stored === undefined) throw new Error(`${path} not found: start the local OIDC provider first (npm start)`);
  return parseCliClient(path, stored);
}

/** The secret is random per data dir, never in the source, so a leaked repo grants nothing. */
export async function loadOrCreateCliClient(dataDir: string): Promise<CliClient> {
  const path = join(dataDir, CLI_CLIENT_FILE);
  const stored = await readJsonIfPresent(path);
  if (stored !== undefined) return parseCliClient(path, stored);
  const created = { client_id: CLI_CLIENT_ID, client_secret: randomBytes(32).toString('base64url') };
  await writeSecretJson(dataDir, CLI_CLIENT_FILE, created);
  return created;
}
