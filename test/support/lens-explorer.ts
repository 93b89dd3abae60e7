// Builds the minimal Lens explorer page (test/browser/lens-explorer/) with esbuild and serves it on
// its own loopback origin, with the EUCAIM explorer's own catalogue read from the conformance files.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { build } from 'esbuild';
import { CONFORMANCE_DIR } from './conformance.ts';

const PAGE = (config: Record<string, string>) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>EUCAIM explorer (Samply Lens)</title><link rel="stylesheet" href="/lens.css"></head>
<body>
<header><p id="login" data-testid="explorer-login">Checking your session…</p></header>
<main>
  <lens-search-bar-multiple></lens-search-bar-multiple>
  <lens-search-button title="Search"></lens-search-button>
  <lens-catalogue></lens-catalogue>
  <lens-result-summary></lens-result-summary>
  <lens-result-table pageSize="10"></lens-result-table>
  <ul id="problems" data-testid="explorer-problems"></ul>
</main>
<script type="application/json" id="explorer-config">${JSON.stringify(config)}</script>
<script type="module" src="/explorer.js"></script>
</body>
</html>`;

export interface LensExplorer {
  url: string;
  close(): Promise<void>;
}

/** Picks its port first (the hub must know the explorer's origin before it starts); `start` serves it. */
export async function bundleLensExplorer(): Promise<{ js: string; css: Buffer }> {
  const out = await build({
    entryPoints: [path.resolve('test/browser/lens-explorer/explorer.ts')],
    bundle: true,
    format: 'esm',
    write: false,
    target: 'es2022',
    logLevel: 'silent',
  });
  const css = await readFile(path.resolve('node_modules/@samply/lens/dist/lens.css'));
  return { js: out.outputFiles[0]?.text ?? '', css };
}

export async function serveLensExplorer(port: number, hubUrl: string): Promise<LensExplorer> {
  const { js, css } = await bundleLensExplorer();
  const catalogue = await readFile(path.join(CONFORMANCE_DIR, 'eucaim-explorer/catalogue-eucaim.lens-updates.json'));
  const html = PAGE({ spotUrl: `${hubUrl}/api/v1/spot`, hubUrl, catalogueUrl: '/catalogue.json' });
  const files: Record<string, [string, string | Buffer]> = {
    '/': ['text/html; charset=utf-8', html],
    '/explorer.js': ['text/javascript; charset=utf-8', js],
    '/lens.css': ['text/css; charset=utf-8', css],
    '/catalogue.json': ['application/json', catalogue],
  };
  const server: Server = createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://x').pathname];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file[0], 'cache-control': 'no-store' }).end(file[1]);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
