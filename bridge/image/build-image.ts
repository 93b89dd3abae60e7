import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { podmanAt } from '../../scripts/podman-service.ts';
import { BRIDGE_RELEASE } from '../../shared/bridge-protocol.ts';
import { SOURCE_DATE_EPOCH, basesMissing, commandOutput, ensureBases } from './bases.ts';
import { bundleBridge } from './bundle.ts';

/**
 * `npm run build:bridge-image`: the bridge image as CI builds it, with no registry at all: bundle the
 * bridge, make (or take from the cache) the Debian bases, then `podman build` bridge/Dockerfile on
 * them with --pull=never and no network. The storage is a private Podman root under .cache (overlay),
 * kept between runs, so unchanged layers (the addon compile) are reused.
 */
export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const IMAGE_CACHE = resolve(REPO, '.cache/bridge-image');
export const IMAGE_PODMAN_ROOT = resolve(IMAGE_CACHE, 'podman');
export const IMAGE_NAME = 'localhost/eucaim/bridge';

export interface BuiltImage {
  id: string;
  tag: string;
  version: string;
  sizeBytes: number;
  bases: { build: string; runtime: string };
}

function gitValue(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: REPO, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
}

export async function buildBridgeImage(
  opts: { version?: string; noCache?: boolean; log?: (line: string) => void } = {},
): Promise<BuiltImage> {
  const log = opts.log ?? ((line: string) => console.log(`[bridge-image] ${line}`));
  const missing = basesMissing();
  if (missing) throw new Error(missing);
  const version = opts.version ?? BRIDGE_RELEASE;
  const { podman } = await podmanAt(IMAGE_PODMAN_ROOT, 'overlay');
  const bases = await ensureBases({ cacheDir: IMAGE_CACHE, podman, log });
  log(`bundling bridge ${version}`);
  await bundleBridge({ version });
  const tag = `${IMAGE_NAME}:${version}`;
  const revision = gitValue(['rev-parse', 'HEAD']);
  const source = gitValue(['config', '--get', 'remote.origin.url']);
  log(`building ${tag}`);
  const started = Date.now();
  podman(
    [
      'build',
      '--pull=never',
      '--network=none',
      '--format=docker',
      `--timestamp=${SOURCE_DATE_EPOCH}`,
      '--identity-label=false',
      // Buildah's history names intermediate image ids, which differ between a cached and a fresh
      // build of the same sources: without it the image id depends on the sources only.
      '--omit-history',
      // Every step again: how to check that the same sources give the same image id.
      ...(opts.noCache ? ['--no-cache'] : []),
      '--ignorefile',
      resolve(REPO, 'bridge/Dockerfile.dockerignore'),
      '--build-arg',
      `BUILD_BASE=${bases.build}`,
      '--build-arg',
      `RUNTIME_BASE=${bases.runtime}`,
      '--build-arg',
      `VERSION=${version}`,
      '--build-arg',
      `REVISION=${revision}`,
      '--build-arg',
      `SOURCE=${source}`,
      // Also as labels of the final commit: Buildah 1.28 reuses a cached LABEL step even when the
      // ARG it expands changed, which would leave an old revision on a new image.
      '--label',
      `org.opencontainers.image.version=${version}`,
      '--label',
      `org.opencontainers.image.revision=${revision}`,
      '--label',
      `org.opencontainers.image.source=${source}`,
      '-f',
      resolve(REPO, 'bridge/Dockerfile'),
      '-t',
      tag,
      REPO,
    ],
    undefined,
    1_200_000,
  );
  const [id = '', size = '0'] = podman(['image', 'inspect', '--format', '{{.Id}} {{.Size}}', tag]).split(' ');
  log(`built ${tag} (${id.slice(0, 12)}, ${(Number(size) / 1e6).toFixed(1)} MB) in ${Math.round((Date.now() - started) / 1000)} s`);
  return { id, tag, version, sizeBytes: Number(size), bases };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const version = process.argv.find((a) => a.startsWith('--version='))?.slice('--version='.length);
  await buildBridgeImage({ version, noCache: process.argv.includes('--no-cache') }).catch((err: unknown) => {
    console.error(`[bridge-image] ${commandOutput(err)}`);
    process.exit(1);
  });
}
