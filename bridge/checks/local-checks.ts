import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import type { BridgeConfig } from '../config.ts';
import { loadDatasets } from '../dataset.ts';
import { KeyFileError, loadNodeKey } from '../keys.ts';
import { describeError } from '../logger.ts';
import { DockerEngine } from '../processing/engine.ts';
import { inspectStateDir } from '../state-dir.ts';
import { type Check, GiB, fail, formatBytes, ok, warn } from './check.ts';

/**
 * The checks of the node's own machine, shared by `doctor`, the start's preflight and the data
 * holders' tier checks. Each reads only: nothing here creates, changes or removes a file.
 */
export async function checkKey(config: Pick<BridgeConfig, 'keyFile'>): Promise<Check> {
  const warnings: string[] = [];
  try {
    const key = await loadNodeKey(config.keyFile, (w) => warnings.push(w));
    const detail = `Ed25519 key, public part x=${key.x.slice(0, 12)}…`;
    return warnings.length ? warn('key', 'KEY_FILE', `${detail}; ${warnings.join('; ')} (chmod 600)`) : ok('key', 'KEY_FILE', detail);
  } catch (err) {
    return fail('key', 'KEY_FILE', err instanceof KeyFileError ? err.message : describeError(err));
  }
}

export async function checkDataDir(config: Pick<BridgeConfig, 'dataDir' | 'mediator'>): Promise<Check> {
  const dir = config.dataDir;
  try {
    if (!(await stat(dir)).isDirectory()) return fail('data folder', 'DATA_DIR', `${dir} is not a folder`);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return fail(
      'data folder',
      'DATA_DIR',
      `${dir} ${code === 'ENOENT' ? 'does not exist (is the data mounted?)' : `cannot be read (${code})`}`,
    );
  }
  const readable = await access(dir, constants.R_OK | constants.X_OK).then(
    () => true,
    () => false,
  );
  if (!readable) return fail('data folder', 'DATA_DIR', `${dir}: the bridge's user (uid ${process.getuid?.() ?? '?'}) cannot read it`);
  try {
    const datasets = await loadDatasets(dir);
    if (datasets.length === 0 && !config.mediator)
      return warn('data folder', 'DATA_DIR', `${dir} holds no dataset folder (one folder per dataset, see the data layout)`);
    const writable = await access(dir, constants.W_OK).then(
      () => true,
      () => false,
    );
    const names =
      datasets
        .map((d) => d.id)
        .slice(0, 5)
        .join(', ') + (datasets.length > 5 ? ', …' : '');
    const detail = `${datasets.length} dataset${datasets.length === 1 ? '' : 's'} (${names || 'none'})`;
    return writable
      ? warn('data folder', 'DATA_DIR', `${detail}; writable by the bridge: mount it read-only`)
      : ok('data folder', 'DATA_DIR', `${detail}, read-only`);
  } catch (err) {
    return fail('data folder', 'DATA_DIR', describeError(err));
  }
}

/** Writable, from a bridge this version can read, with room to grow (the index takes ~1 KiB per file). */
export async function checkState(config: Pick<BridgeConfig, 'stateDir'>): Promise<Check> {
  const r = await inspectStateDir(config.stateDir);
  if (r.problem) return fail('state folder', 'STATE_DIR', r.problem);
  const free = r.freeBytes ?? 0;
  const what =
    r.decision?.action === 'create'
      ? 'empty (a new node)'
      : r.decision?.action === 'migrate'
        ? `schema ${r.decision.from}, migrated to the current one at start`
        : `schema ${r.schema}${r.writtenBy ? ` (bridge ${r.writtenBy})` : ''}`;
  const detail = `${config.stateDir}: ${what}, ${formatBytes(free)} free`;
  return free < GiB ? warn('state folder', 'STATE_DIR', `${detail}; less than 1 GiB left`) : ok('state folder', 'STATE_DIR', detail);
}

/** With processing on: the engine answers on its socket (its API version named), and the sandbox is there. */
export async function checkEngine(config: Pick<BridgeConfig, 'processing' | 'dataDir'>): Promise<Check[]> {
  const p = config.processing;
  if (!p) return [ok('container engine', 'SANDBOX_PATH', 'processing off (no SANDBOX_PATH): no engine needed')];
  const out: Check[] = [];
  try {
    const v = await Promise.race([
      new DockerEngine({ socketPath: p.socketPath }).version(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 5 s')), 5000).unref()),
    ]);
    out.push(ok('container engine', 'CONTAINER_SOCKET', `${v.name} ${v.version} (API ${v.apiVersion}) at ${p.socketPath}`));
  } catch (err) {
    out.push(fail('container engine', 'CONTAINER_SOCKET', `${p.socketPath}: ${describeError(err)}`));
  }
  try {
    const [sandbox, data] = await Promise.all([stat(p.sandboxDir), stat(config.dataDir)]);
    const writable = await access(p.sandboxDir, constants.W_OK).then(
      () => true,
      () => false,
    );
    if (!writable) out.push(fail('sandbox', 'SANDBOX_PATH', `${p.sandboxDir}: the bridge's user cannot write here`));
    else if (sandbox.dev !== data.dev)
      out.push(warn('sandbox', 'SANDBOX_PATH', `${p.sandboxDir} is on another file system than DATA_DIR: inputs are copied, not linked`));
    else out.push(ok('sandbox', 'SANDBOX_PATH', `${p.sandboxDir}, beside the data (inputs are hard links)`));
  } catch (err) {
    out.push(fail('sandbox', 'SANDBOX_PATH', `${p.sandboxDir}: ${describeError(err)}`));
  }
  return out;
}
