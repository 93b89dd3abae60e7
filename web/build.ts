// Builds the static researcher app: one minified ES module plus the page and its stylesheet. The
// output is plain files, so any static host (the Node hub, Workers assets, S3) can serve it.
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const webDir = path.dirname(fileURLToPath(import.meta.url));
const STATIC_FILES = ['index.html', 'styles.css'];
/**
 * The app may import the hub only for types (`import type`), which esbuild erases. A value import
 * would drag server code into the bundle, so the build refuses any input from these folders.
 */
const SERVER_ONLY = ['functions/', 'bridge/', 'scripts/'];

export async function buildWeb(opts: { outDir?: string } = {}): Promise<void> {
  const outDir = path.resolve(opts.outDir ?? path.join(webDir, 'dist'));
  await mkdir(outDir, { recursive: true });
  const result = await build({
    absWorkingDir: path.dirname(webDir),
    entryPoints: [path.join(webDir, 'src/main.ts')],
    outfile: path.join(outDir, 'main.js'),
    bundle: true,
    // Browser platform: a `node:` import fails the build instead of shipping a broken bundle.
    platform: 'browser',
    format: 'esm',
    target: ['es2022'],
    minify: true,
    sourcemap: true,
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const serverInputs = Object.keys(result.metafile.inputs).filter((f) => SERVER_ONLY.some((dir) => f.startsWith(dir)));
  if (serverInputs.length > 0) {
    throw new Error(`web bundle must not include server code; use \`import type\` for: ${serverInputs.join(', ')}`);
  }
  await Promise.all(STATIC_FILES.map((f) => copyFile(path.join(webDir, f), path.join(outDir, f))));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  buildWeb()
    .then(() => console.log(`web app built into web/dist in ${Math.round(performance.now() - started)} ms`))
    .catch((err: Error) => {
      console.error(`web build failed: ${err.message}`);
      process.exit(1);
    });
}
