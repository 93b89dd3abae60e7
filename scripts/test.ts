import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { basesMissing } from '../bridge/image/bases.ts';
import { podmanMissing } from '../test/support/podman.ts';

/**
 * `npm test`: runs every vitest project this machine can run and says which it skipped and why.
 * With REQUIRE_ALL_SUITES=1 (CI) a suite that cannot run is a failure, never a silent skip.
 */
const requireAll = process.env.REQUIRE_ALL_SUITES === '1';
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const reportDir = path.resolve('.test-tmp/reports');

async function findPostgres(): Promise<string | undefined> {
  const candidate = process.env.TEST_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/test';
  const sql = postgres(candidate, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return candidate;
  } catch {
    return undefined;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

interface Suite {
  name: string;
  project: string;
  env?: Record<string, string | undefined>;
  files?: string[];
  skip?: string;
}

async function plan(): Promise<Suite[]> {
  const pg = await findPostgres();
  const noPg = pg ? undefined : 'no PostgreSQL reachable (set TEST_DATABASE_URL)';
  const noChromium = existsSync(chromium) ? undefined : `no Chromium at ${chromium} (apt-get install chromium, or set CHROMIUM_PATH)`;
  const noPodman = podmanMissing();
  const noImage =
    noPodman ??
    basesMissing() ??
    (existsSync('/usr/bin/docker-compose') ? undefined : 'no /usr/bin/docker-compose (apt-get install docker-compose)');
  return [
    { name: 'node (PGlite)', project: 'node', env: { TEST_DATABASE_URL: undefined } },
    {
      name: 'node integration (PostgreSQL)',
      project: 'node',
      files: [
        'test/integration/hub-',
        'test/integration/helpdesk-',
        'test/integration/maintenance',
        'test/integration/queue-postgres',
        'test/integration/search-',
        'test/integration/tracer-',
        'test/integration/catalogue-',
        'test/integration/fdp-',
        'test/integration/pid-',
        'test/integration/harvest-',
        'test/integration/negotiation-',
        'test/integration/processing-',
      ],
      env: { TEST_DATABASE_URL: pg },
      skip: noPg,
    },
    { name: 'adapters (SQS, S3 on loopback)', project: 'adapters' },
    { name: 'lambda', project: 'lambda', env: { TEST_DATABASE_URL: pg } },
    { name: 'workers (workerd + PostgreSQL)', project: 'workers', env: { TEST_DATABASE_URL: pg }, skip: noPg },
    { name: 'e2e (npm start federation)', project: 'e2e' },
    { name: 'browser (Chromium)', project: 'browser', env: { TEST_DATABASE_URL: pg }, skip: noChromium },
    { name: 'processing (real containers through Podman)', project: 'processing', skip: noPodman },
    // Builds the bridge image offline (Debian bases from mmdebstrap, Node from npm) and runs it as a site does.
    { name: 'bridge image (built offline, run hardened through Podman)', project: 'image', skip: noImage },
  ];
}

function run(suite: Suite, index: number): { passed: number; failed: number; skipped: number; ok: boolean } {
  const out = path.join(reportDir, `${index}-${suite.project}.json`);
  const env: Record<string, string | undefined> = { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' };
  for (const [k, v] of Object.entries(suite.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const args = [
    'vitest',
    'run',
    '--project',
    suite.project,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${out}`,
    ...(suite.files ?? []),
  ];
  console.log(`\n=== ${suite.name} ===`);
  const res = spawnSync('npx', args, { stdio: 'inherit', env: env as NodeJS.ProcessEnv });
  if (!existsSync(out)) return { passed: 0, failed: 1, skipped: 0, ok: false };
  const report = JSON.parse(readFileSync(out, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    numTotalTests: number;
  };
  const failedTests = report.numFailedTests;
  // A non-zero exit with no failed test (an unhandled error, or no test at all) still fails the suite.
  const ok = res.status === 0 && report.numTotalTests > 0 && failedTests === 0;
  const failed = failedTests + (ok || failedTests > 0 ? 0 : 1);
  return { passed: report.numPassedTests, failed, skipped: report.numPendingTests + report.numTodoTests, ok };
}

async function main() {
  rmSync(reportDir, { recursive: true, force: true });
  mkdirSync(reportDir, { recursive: true });
  const suites = await plan();
  const rows: string[] = [];
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const [i, suite] of suites.entries()) {
    if (suite.skip) {
      rows.push(`${requireAll ? 'FAILED ' : 'skipped'}  ${suite.name}: ${suite.skip}`);
      if (requireAll) failed++;
      continue;
    }
    const r = run(suite, i);
    passed += r.passed;
    failed += r.failed;
    skipped += r.skipped;
    rows.push(`${r.ok ? 'ok     ' : 'FAILED '}  ${suite.name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
  }
  console.log(`\n=== summary ===\n${rows.join('\n')}`);
  if (skipped > 0 && requireAll) {
    console.log('REQUIRE_ALL_SUITES=1: skipped tests count as failures');
    failed += skipped;
  }
  console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
