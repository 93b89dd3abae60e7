import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import type { UploadGrant, UploadRequest } from '../../shared/processing/bridge-api.ts';
import { Backoff, type BackoffOptions, sleep } from '../backoff.ts';
import { HubHttpError } from '../hub-client.ts';
import type { OutputSink, UploadItem } from './upload.ts';

/** An upload that cannot succeed by trying again (`permanent`), or one that might. */
export class UploadError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

export interface HubOutputSinkOptions {
  hub: { requestUploads(runId: string, body: UploadRequest, signal?: AbortSignal): Promise<UploadGrant> };
  /** Idle time allowed on the PUT connection (not a bound on the whole transfer). */
  idleTimeoutMs?: number;
  attempts?: number;
  backoff?: BackoffOptions;
}

/**
 * A run's log and outputs to the hub's store: ask the hub for a URL per file (bound to its size and
 * SHA-256), then PUT the bytes there with exactly the headers it gave — a pre-signed S3 URL or the
 * hub's own upload endpoint alike. The body is streamed from disk; redirects are never followed, so
 * the bytes go only where the signed answer of the hub said.
 */
export class HubOutputSink implements OutputSink {
  constructor(private readonly opts: HubOutputSinkOptions) {}

  async put(item: UploadItem): Promise<void> {
    const backoff = new Backoff(this.opts.backoff);
    const attempts = this.opts.attempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      try {
        // A fresh URL per attempt: a granted URL may be single-use or expire while we wait.
        const grant = await this.opts.hub.requestUploads(item.runId, {
          files: [{ kind: item.kind, path: item.path, bytes: item.bytes, sha256: item.sha256 }],
        });
        const target = grant.uploads.find((u) => u.kind === item.kind && u.path === item.path);
        if (!target) throw new UploadError('the hub granted no upload URL for this file', true);
        await putStream(target.url, target.headers, item.bytes, item.body(), this.opts.idleTimeoutMs ?? 60_000);
        return;
      } catch (err) {
        const permanent = (err instanceof HubHttpError && err.permanent) || (err instanceof UploadError && err.permanent);
        if (permanent || attempt >= attempts) throw err;
        await sleep(backoff.next());
      }
    }
  }
}

/** PUTs `body` (exactly `bytes` long) to `url`; resolves on a 2xx answer. */
export function putStream(
  url: string,
  headers: Record<string, string>,
  bytes: number,
  body: Readable,
  idleTimeoutMs: number,
): Promise<void> {
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    body.destroy();
    return Promise.reject(new UploadError('the upload URL is not http(s)', true));
  }
  const given = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-length')?.[1];
  if (given !== undefined && Number(given) !== bytes) {
    body.destroy();
    return Promise.reject(new UploadError('the upload URL was granted for another size', true));
  }
  // Without a length node would send the body chunked, which S3 pre-signed PUTs refuse.
  const sent = given === undefined ? { ...headers, 'content-length': String(bytes) } : headers;
  return new Promise<void>((resolve, reject) => {
    const req = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, {
      method: 'PUT',
      headers: sent,
      timeout: idleTimeoutMs,
    });
    req.on('timeout', () => req.destroy(new UploadError('the upload stalled', false)));
    req.on('error', (err) => reject(err));
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (text.length < 2000) text += chunk;
      });
      res.on('error', reject);
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) return resolve();
        body.destroy();
        if (status >= 300 && status < 400)
          return reject(new UploadError(`the upload URL answered ${status} (a redirect, not followed)`, true));
        const code = /"code"\s*:\s*"([a-z_]{1,64})"/.exec(text)?.[1];
        reject(
          new UploadError(
            `the upload URL answered ${status}${code ? ` ${code}` : ''}`,
            status >= 400 && status < 500 && status !== 408 && status !== 429,
          ),
        );
      });
    });
    body.on('error', (err) => req.destroy(err));
    body.pipe(req);
  });
}
