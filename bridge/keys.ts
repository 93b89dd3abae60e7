import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type PrivateJwk, type PublicJwk, ed25519PrivateJwkSchema, generateNodeKeyPair, nodeIdSchema } from '../shared/node-auth.ts';

export class KeyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyFileError';
  }
}

/**
 * Creates the node's Ed25519 key pair and stores the private half, readable by the owner only.
 * An existing key is never replaced silently: the hub has its public half registered, and losing it
 * locks the node out until an admin re-enrols it.
 */
export async function enrolNode(input: {
  nodeId: string;
  keyFile: string;
  force?: boolean;
}): Promise<{ nodeId: string; publicJwk: PublicJwk }> {
  const nodeId = nodeIdSchema.safeParse(input.nodeId);
  if (!nodeId.success) throw new KeyFileError(`invalid node id "${input.nodeId}": ${nodeId.error.issues[0]?.message}`);
  const { privateJwk, publicJwk } = await generateNodeKeyPair();
  const text = `${JSON.stringify(privateJwk)}\n`;
  await mkdir(dirname(input.keyFile), { recursive: true, mode: 0o700 });
  if (input.force) {
    // Write beside and rename, so a crash never leaves a half-written key in place of a good one.
    const temp = `${input.keyFile}.${process.pid}.tmp`;
    await writeFile(temp, text, { mode: 0o600, flag: 'wx' });
    await rename(temp, input.keyFile);
  } else {
    try {
      await writeFile(input.keyFile, text, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST')
        throw new KeyFileError(`${input.keyFile} already exists; pass --force to replace the node key (the hub must then re-enrol it)`);
      throw err;
    }
  }
  // The umask can strip bits but never add them; chmod makes 0600 exact whatever the umask was.
  await chmod(input.keyFile, 0o600);
  return { nodeId: nodeId.data, publicJwk };
}

/** Reads and validates the node's private key; warns through the callback when others can read it. */
export async function loadNodeKey(keyFile: string, warn: (msg: string) => void = () => {}): Promise<PrivateJwk> {
  let text: string;
  try {
    text = await readFile(keyFile, 'utf8');
  } catch (err) {
    throw new KeyFileError(
      `cannot read KEY_FILE ${keyFile}: ${(err as NodeJS.ErrnoException).code ?? 'error'}; run "npm run bridge -- enrol" first`,
    );
  }
  // The image keeps an empty file where the key's secret is mounted: empty means none was.
  if (text.trim() === '')
    throw new KeyFileError(`KEY_FILE ${keyFile} is empty: mount the node's key there (a secret), or run "bridge init"`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new KeyFileError(`KEY_FILE ${keyFile} is not JSON`);
  }
  const parsed = ed25519PrivateJwkSchema.safeParse(json);
  if (!parsed.success) throw new KeyFileError(`KEY_FILE ${keyFile} does not hold an Ed25519 private JWK`);
  const mode = (await stat(keyFile)).mode & 0o777;
  // Group read is how Kubernetes (fsGroup) and Compose hand a secret to a non-root user; others never.
  if (mode & 0o007) warn(`KEY_FILE ${keyFile} has mode ${mode.toString(8)}; others can read it: make it 600 (or 440 for a group)`);
  const { kty, crv, x, d } = parsed.data;
  return { kty, crv, x, d };
}

export function publicJwkOf(privateJwk: PrivateJwk): PublicJwk {
  return { kty: privateJwk.kty, crv: privateJwk.crv, x: privateJwk.x };
}
