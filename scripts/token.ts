// `npm run token -- researcher`: prints a hub access token for a demo account, and nothing else on
// stdout, so that `curl -H "authorization: Bearer $(npm run -s token -- researcher)"` works.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fetchDemoToken } from './oidc/token-client.ts';

export { type DemoTokenRequest, fetchDemoToken } from './oidc/token-client.ts';

const DEFAULT_ISSUER = 'http://127.0.0.1:8081/oidc/';
const DEFAULT_DATA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '.data', 'oidc');

async function main(argv: string[]): Promise<number> {
  const username = argv[0];
  if (!username || username.startsWith('-')) {
    console.error('usage: npm run token -- <username>   (researcher, representative, dataholder, admin, outsider)');
    return 2;
  }
  const issuer = process.env.OIDC_ISSUER || DEFAULT_ISSUER;
  // Where `npm start` keeps the provider's files: DATA_DIR/oidc, .data/oidc by default.
  const dataDir = process.env.OIDC_DATA_DIR || (process.env.DATA_DIR ? path.resolve(process.env.DATA_DIR, 'oidc') : DEFAULT_DATA_DIR);
  try {
    process.stdout.write(`${await fetchDemoToken({ issuer, dataDir, username, password: process.env.DEMO_PASSWORD || undefined })}\n`);
    return 0;
  } catch (err) {
    console.error(`token: ${(err as Error).message}`);
    return 1;
  }
}

// Run only as a script, not when a test imports fetchDemoToken from here.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
