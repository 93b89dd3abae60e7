import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Check } from './checks/check.ts';
import { checkHub } from './checks/hub-checks.ts';
import { checkDataDir, checkEngine, checkKey, checkState } from './checks/local-checks.ts';
import { table } from './cli-util.ts';
import { ConfigError, SETTING_NAMES, loadBridgeSettings } from './config.ts';
import { loadNodeKey } from './keys.ts';
import { hubFetch, readCaFile } from './net/hub-fetch.ts';
import { SECRET_SETTINGS, readSettings } from './settings.ts';
import { assessHealth, readStatus } from './status-file.ts';

interface Io {
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  err: (line: string) => void;
}

const MARK = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;

/**
 * `bridge doctor`: every check of the node's settings, machine and way to the hub, one line each with
 * the setting to look at. Exit code 0 when nothing fails (warnings allowed), 2 otherwise.
 */
export async function doctor(io: Io, configFile?: string): Promise<number> {
  const checks: Check[] = [];
  let loaded: ReturnType<typeof loadBridgeSettings>;
  try {
    loaded = loadBridgeSettings(io.env, configFile);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const p of err.problems) checks.push({ name: 'settings', setting: p.split(' ')[0] ?? '', status: 'fail', detail: p });
    print(io, checks);
    return 2;
  }
  const { config, source } = loaded;
  checks.push({
    name: 'settings',
    setting: source.file ? 'BRIDGE_CONFIG' : '(environment)',
    status: 'ok',
    detail: `${source.file ? `${source.file} and the environment` : 'from the environment'}; node ${config.nodeId}, hub ${config.hubUrl}`,
  });
  for (const name of SECRET_SETTINGS)
    if (source.origin[name] === 'file' || source.origin[name] === 'environment')
      checks.push({
        name: 'secret',
        setting: name,
        status: 'warn',
        detail: `${name} is written out in the settings; give it as ${name}_FILE`,
      });
  checks.push(await checkKey(config), await checkDataDir(config), await checkState(config), ...(await checkEngine(config)));
  let ca: string | undefined;
  try {
    ca = config.network.caFile ? readCaFile(config.network.caFile) : undefined;
    const privateJwk = await loadNodeKey(config.keyFile).catch(() => undefined);
    checks.push(...(await checkHub(config, { fetch: hubFetch(config.network), privateJwk, ca })));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    checks.push({ name: 'hub', setting: 'HUB_CA_FILE', status: 'fail', detail: err.problems.join('; ') });
  }
  print(io, checks);
  return checks.some((c) => c.status === 'fail') ? 2 : 0;
}

function print(io: Io, checks: Check[]): void {
  io.out(
    table([
      ['', 'check', 'setting', 'what was found / what to do'],
      ...checks.map((c) => [MARK[c.status], c.name, c.setting, c.detail]),
    ]).join('\n'),
  );
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  io.out(`\n${failed ? `${failed} to fix` : 'ready'}${warned ? `, ${warned} warning${warned > 1 ? 's' : ''}` : ''}`);
}

/** STATE_DIR alone, from the settings file or the environment: all `status` and `healthcheck` need. */
function stateDirOf(io: Io, configFile?: string): string {
  const dir = readSettings(io.env, SETTING_NAMES, configFile).values.STATE_DIR;
  if (!dir) throw new ConfigError(['STATE_DIR is missing']);
  return dir;
}

/** `bridge healthcheck`: exit code 0 when the bridge runs and the hub takes its heartbeats, 1 otherwise; prints nothing. */
export async function healthcheck(io: Io, configFile?: string): Promise<number> {
  return assessHealth(await readStatus(stateDirOf(io, configFile)), Date.now()).healthy ? 0 : 1;
}

const ago = (ms: number | undefined, now: number) => {
  if (ms === undefined) return 'never';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  return s < 120 ? `${s} s ago` : s < 7200 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
};

/** `bridge status`: online or not (and why), the last job, the index's age and size, the runs in hand. */
export async function status(io: Io, opts: { configFile?: string; json?: boolean }): Promise<number> {
  const dir = stateDirOf(io, opts.configFile);
  const now = Date.now();
  const s = await readStatus(dir);
  const health = assessHealth(s, now);
  const runs = await countRuns(dir);
  if (opts.json) {
    io.out(JSON.stringify({ online: health.healthy, reason: health.reason, status: s ?? null, runs }, null, 2));
    return health.healthy ? 0 : 1;
  }
  const rows: string[][] = [
    ['online', health.healthy ? 'yes' : `no: ${health.reason}`],
    ['node', s ? `${s.nodeId}, bridge ${s.version} (protocol ${s.protocol})` : '-'],
    ['running since', s ? new Date(s.startedAt).toISOString() : '-'],
    ['last heartbeat taken', ago(s?.hub.lastContactAt, now) + (s?.hub.lastError ? ` (last error: ${s.hub.lastError})` : '')],
    ['last job', s?.jobs.lastAt ? `${ago(s.jobs.lastAt, now)} (${s.jobs.handled} since start)` : 'none since start'],
    [
      'index',
      s?.index
        ? `${ago(s.index.at, now)}: ${s.index.datasets} datasets, ${s.index.studies} studies, ${s.index.series} series, ${s.index.files} files (${s.index.skipped} skipped)`
        : 'not built yet',
    ],
    ['runs', `${runs.running} running, ${runs.queued} queued, ${runs.finished} finished`],
  ];
  io.out(
    table([['', ''], ...rows])
      .slice(1)
      .join('\n'),
  );
  return health.healthy ? 0 : 1;
}

/** Counts STATE_DIR/runs by state, reading the files only (the bridge need not be running). */
async function countRuns(stateDir: string): Promise<{ running: number; queued: number; finished: number }> {
  const counts = { running: 0, queued: 0, finished: 0 };
  const dir = join(stateDir, 'runs');
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.endsWith('.json')) continue;
    const state = await readFile(join(dir, name), 'utf8')
      .then((t) => (JSON.parse(t) as { state?: string }).state)
      .catch(() => 'running');
    if (state === 'running' || state === 'queued' || state === 'finished') counts[state]++;
  }
  return counts;
}
