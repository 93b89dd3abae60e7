import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Plugin, build } from 'esbuild';
import { BRIDGE_RELEASE } from '../../shared/bridge-protocol.ts';

/**
 * Compiles the bridge ahead of time into `dist/bridge/` (or `outDir`): one ES module bundle run by
 * plain `node`, no TypeScript, no tsx and no node_modules at run time. What the image needs besides:
 *
 *   bridge.mjs, chunks/      the bridge and every pure-JS dependency (commands load their parts lazily,
 *                            so `healthcheck` and `status` do not parse the AWS SDK or dockerode)
 *   addon-src/               better-sqlite3's C++ sources, from the very package whose JS is bundled:
 *                            the image compiles them for its own Node (node-gyp --nodedir)
 *   deploy/                  the install files (compose.yaml, kubernetes/), printed by `bridge install-file`
 *   build-info.json          versions the Dockerfile and the tests read
 *
 * The native addon is looked up as `better_sqlite3.node` beside bridge.mjs; `BRIDGE_SQLITE_ADDON`
 * points elsewhere (the tests use the host's build).
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface BundleOptions {
  outDir?: string;
  /** The version the bridge reports (heartbeat, `--version`, image label); default BRIDGE_RELEASE. */
  version?: string;
  /** Copy better-sqlite3's sources for the image's addon stage (default true). */
  addonSources?: boolean;
}

export interface BundleResult {
  outDir: string;
  version: string;
  /** Bytes of JavaScript written (entry and chunks). */
  bytes: number;
  sqliteVersion: string;
}

// better-sqlite3 finds its addon through the `bindings` package, which walks up from the caller's file
// looking for node_modules; in a bundle there is none, so it is replaced by a fixed lookup.
const addonLookup: Plugin = {
  name: 'sqlite-addon',
  setup(b) {
    b.onResolve({ filter: /^bindings$/ }, () => ({ path: 'bindings', namespace: 'bridge-stub' }));
    // dockerode reaches engines over ssh:// through ssh2 (with two optional native addons); the bridge
    // speaks only to a unix socket, so ssh2 is left out and asking for it says why.
    b.onResolve({ filter: /^ssh2$/ }, () => ({ path: 'ssh2', namespace: 'bridge-stub' }));
    b.onLoad({ filter: /^bindings$/, namespace: 'bridge-stub' }, () => ({
      loader: 'js',
      contents:
        "const { join } = require('node:path');\n" +
        'module.exports = (name) => require(process.env.BRIDGE_SQLITE_ADDON || join(__bridge_dir, name));\n',
    }));
    b.onLoad({ filter: /^ssh2$/, namespace: 'bridge-stub' }, () => ({
      loader: 'js',
      contents:
        'module.exports = { Client: class { constructor() { throw new Error("CONTAINER_SOCKET must be a unix socket: ssh:// engines are not supported"); } } };\n',
    }));
    // A module that loads a CommonJS package with createRequire(import.meta.url) (dicom-parser's UMD
    // build has no ES exports) would look for node_modules at run time: turned into a plain require,
    // esbuild bundles the package instead.
    b.onLoad({ filter: /[\\/](bridge|shared)[\\/].*\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('createRequire(import.meta.url)(')) return undefined;
      return { loader: 'ts', contents: text.replaceAll('createRequire(import.meta.url)(', 'require(') };
    });
  },
};

// Bundled CommonJS code calls require() for Node built-ins; an ES module has none of its own.
const BANNER = [
  "import { createRequire as __bridge_cr } from 'node:module';",
  "import { fileURLToPath as __bridge_fu } from 'node:url';",
  'const require = __bridge_cr(import.meta.url);',
  // Chunks live one folder down; the addon sits beside the entry.
  "const __bridge_dir = __bridge_fu(new URL(/\\/chunks\\/[^/]*$/.test(import.meta.url) ? '../' : './', import.meta.url));",
].join('\n');

export async function bundleBridge(opts: BundleOptions = {}): Promise<BundleResult> {
  const outDir = resolve(opts.outDir ?? join(root, 'dist/bridge'));
  const sqlitePkg = JSON.parse(await readFile(join(root, 'node_modules/better-sqlite3/package.json'), 'utf8')) as { version: string };
  const version = opts.version ?? BRIDGE_RELEASE;
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { bridge: 'bridge/cli.ts' },
    outdir: outDir,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    banner: { js: BANNER },
    define: { __BRIDGE_VERSION__: JSON.stringify(version) },
    plugins: [addonLookup],
    legalComments: 'linked',
    minifySyntax: true,
    minifyWhitespace: true,
    // Identifiers stay readable: a stack trace from a site must still name the function.
    minifyIdentifiers: false,
    metafile: true,
    logLevel: 'warning',
  });
  // The install files travel with the image (`bridge install-file`), so a site's copy always matches it.
  await cp(join(root, 'bridge/deploy'), join(outDir, 'deploy'), { recursive: true, filter: (src) => !src.endsWith('.test.ts') });
  if (opts.addonSources !== false) {
    const src = join(root, 'node_modules/better-sqlite3');
    for (const part of ['binding.gyp', 'src', 'deps', 'LICENSE', 'package.json'])
      await cp(join(src, part), join(outDir, 'addon-src', part), { recursive: true });
  }
  const bytes = Object.values(result.metafile.outputs)
    .filter((_, i) => Object.keys(result.metafile.outputs)[i]?.endsWith('.mjs'))
    .reduce((sum, o) => sum + o.bytes, 0);
  const info = { version, node: { engines: '>=20', image: 24 }, betterSqlite3: sqlitePkg.version };
  await writeFile(join(outDir, 'build-info.json'), `${JSON.stringify(info, null, 2)}\n`);
  return { outDir, version, bytes, sqliteVersion: sqlitePkg.version };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const version = process.argv.find((a) => a.startsWith('--version='))?.slice('--version='.length);
  const out = process.argv.find((a) => a.startsWith('--out='))?.slice('--out='.length);
  const r = await bundleBridge({ version, outDir: out });
  console.log(`bridge ${r.version} bundled into ${r.outDir} (${(r.bytes / 1024).toFixed(0)} KiB of JavaScript)`);
}
