import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, readFile, realpath, rm, stat, statfs } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { connect } from 'node:tls';
import type { NodeHealth } from '../../shared/processing/health.ts';
import { describeError } from '../logger.ts';

type PathCheck = NodeHealth['paths']['data'];
type Gpus = NodeHealth['gpus'];
type Tls = NodeHealth['tls'];

/** GPUs as nvidia-smi lists them; a node without it has none, which is not an error. */
export function detectGpus(command = 'nvidia-smi', timeoutMs = 5000): Promise<Gpus> {
  return new Promise((resolve) => {
    execFile(command, ['--query-gpu=name,memory.total', '--format=csv,noheader,nounits'], { timeout: timeoutMs }, (err, stdout) => {
      if ((err as NodeJS.ErrnoException | null)?.code === 'ENOENT') return resolve({ count: 0, source: 'none', devices: [] });
      if (err) return resolve({ count: 0, source: 'nvidia-smi', devices: [], error: describeError(err).slice(0, 500) });
      const devices = stdout
        .split('\n')
        .filter((l) => l.trim())
        .slice(0, 64)
        .map((line) => {
          const [model = '', mib = ''] = line.split(',').map((s) => s.trim());
          const memory = Number.parseInt(mib, 10);
          return { model: model.slice(0, 200), ...(Number.isFinite(memory) ? { memoryBytes: memory * 1024 * 1024 } : {}) };
        });
      resolve({ count: devices.length, source: 'nvidia-smi', devices });
    });
  });
}

/** MemAvailable counts reclaimable cache, which os.freemem() does not; Linux only, so fall back. */
export async function availableMemory(fallback: number): Promise<number> {
  const text = await readFile('/proc/meminfo', 'utf8').catch(() => '');
  const kib = /^MemAvailable:\s+(\d+) kB$/m.exec(text)?.[1];
  return kib ? Number(kib) * 1024 : fallback;
}

async function space(path: string): Promise<Pick<PathCheck, 'freeBytes' | 'totalBytes'>> {
  const s = await statfs(path);
  return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
}

export async function checkDataPath(path: string): Promise<PathCheck> {
  try {
    if (!(await stat(path)).isDirectory()) return { exists: false, error: 'not a folder' };
    const real = await realpath(path);
    // access() asks the kernel as this process: root passes permission bits, but not a read-only
    // mount (EROFS), so for a root bridge only a read-only mount counts as read-only data.
    const writable = await access(real, constants.W_OK).then(
      () => true,
      () => false,
    );
    return { exists: true, readOnly: !writable, ...(await space(real)) };
  } catch (err) {
    return { exists: false, error: describeError(err).slice(0, 500) };
  }
}

export async function checkSandboxPath(path: string): Promise<PathCheck> {
  try {
    if (!(await stat(path)).isDirectory()) return { exists: false, error: 'not a folder' };
    const probe = await mkdtemp(join(path, '.health-')).then(
      (p) => rm(p, { recursive: true }).then(() => true),
      () => false,
    );
    return { exists: true, writable: probe, ...(await space(path)) };
  } catch (err) {
    return { exists: false, error: describeError(err).slice(0, 500) };
  }
}

/**
 * Days until the hub's TLS certificate expires, read from a handshake (nothing is sent). The chain
 * is verified separately and reported as `authorized`, so an untrusted certificate still shows its date.
 */
export function checkTls(hubUrl: string, opts: { ca?: string; timeoutMs?: number; now?: () => number } = {}): Promise<Tls> {
  const url = new URL(hubUrl);
  if (url.protocol !== 'https:') return Promise.resolve({ checked: false, https: false });
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({
      host,
      port: Number(url.port || 443),
      ...(isIP(host) ? {} : { servername: host }),
      ca: opts.ca,
      rejectUnauthorized: false,
      timeout: opts.timeoutMs ?? 5000,
    });
    const done = (tls: Tls) => {
      socket.destroy();
      resolve(tls);
    };
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      const validTo = Date.parse(cert.valid_to);
      const daysLeft = Math.floor(((validTo - (opts.now?.() ?? Date.now())) / 86_400_000) * 10) / 10;
      const authError = socket.authorizationError ? String(socket.authorizationError).slice(0, 500) : undefined;
      done({
        checked: true,
        https: true,
        daysLeft,
        validTo: new Date(validTo).toISOString(),
        authorized: socket.authorized,
        ...(authError ? { error: authError } : {}),
      });
    });
    socket.once('timeout', () => done({ checked: false, https: true, error: 'TLS handshake timed out' }));
    socket.once('error', (err) => done({ checked: false, https: true, error: describeError(err).slice(0, 500) }));
  });
}
