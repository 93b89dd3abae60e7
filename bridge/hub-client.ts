import { z } from 'zod';
import { BRIDGE_PROTOCOL, PROTOCOL_HEADER, type ProtocolRange, mismatchMessage, parseRange, serves } from '../shared/bridge-protocol.ts';
import { type Heartbeat, type JobResult, type LeasedJobs, type NodeReport, leasedJobsSchema } from '../shared/job-protocol.ts';
import { type PrivateJwk, signNodeRequest } from '../shared/node-auth.ts';
import {
  type RunStatusReport,
  type UploadGrant,
  type UploadRequest,
  revokedGrantsSchema,
  uploadGrantSchema,
} from '../shared/processing/bridge-api.ts';
import type { NodeHealth } from '../shared/processing/health.ts';
import { hubJobKeySchema } from './config.ts';
import { BRIDGE_VERSION } from './version.ts';

export { type Heartbeat, heartbeatSchema } from '../shared/job-protocol.ts';

export const jobKeysResponseSchema = z.object({ issuer: z.string().min(1), keys: z.array(hubJobKeySchema).min(1) });
export type JobKeysResponse = z.infer<typeof jobKeysResponseSchema>;

/** The hub answered with an HTTP error; `code` and `message` come from its error body when it has one. */
export class HubHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`hub answered ${status} ${code}: ${message}`);
    this.name = 'HubHttpError';
  }
  /** 4xx other than timeout and rate limit: sending the same request again cannot succeed. */
  get permanent(): boolean {
    return this.status >= 400 && this.status < 500 && this.status !== 408 && this.status !== 429;
  }
}

/** The hub does not serve this bridge's protocol: nothing this bridge sends can be understood; it must be updated. */
export class HubProtocolError extends Error {
  constructor(
    readonly hub: ProtocolRange | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'HubProtocolError';
  }
}

export interface HubClientOptions {
  hubUrl: string;
  audience: string;
  nodeId: string;
  privateJwk: PrivateJwk;
  fetch?: typeof fetch;
  /** Per request, on top of any long-poll wait. */
  timeoutMs?: number;
}

/**
 * The bridge's only way to talk to the hub. Every call, GETs included, carries a fresh node token
 * bound to its method, path+query and exact body bytes, so nothing it sends can be replayed elsewhere.
 */
export class HubClient {
  private readonly fetch: typeof fetch;
  constructor(private readonly opts: HubClientOptions) {
    this.fetch = opts.fetch ?? globalThis.fetch;
  }

  async leaseJobs(opts: { waitSeconds: number; max: number; signal?: AbortSignal }): Promise<LeasedJobs> {
    const path = `/api/v1/bridge/jobs?wait=${opts.waitSeconds}&max=${opts.max}`;
    const json = await this.call('GET', path, undefined, opts.signal, opts.waitSeconds * 1000);
    return parseAnswer(leasedJobsSchema, json, path);
  }

  async postResult(jobId: string, result: JobResult, signal?: AbortSignal): Promise<void> {
    await this.call('POST', `/api/v1/bridge/jobs/${encodeURIComponent(jobId)}/result`, result, signal);
  }

  async postReport(report: NodeReport, signal?: AbortSignal): Promise<void> {
    await this.call('POST', '/api/v1/bridge/reports', report, signal);
  }

  async heartbeat(body: Heartbeat, signal?: AbortSignal): Promise<void> {
    await this.call('POST', '/api/v1/bridge/heartbeat', body, signal);
  }

  async postHealth(body: NodeHealth, signal?: AbortSignal): Promise<void> {
    await this.call('POST', '/api/v1/bridge/health', body, signal);
  }

  /** A processing job is taken: its outcome travels through the run's status route from now on. */
  async jobTaken(jobId: string, receipt: string, signal?: AbortSignal): Promise<void> {
    await this.call('POST', `/api/v1/bridge/jobs/${encodeURIComponent(jobId)}/taken`, { receipt }, signal);
  }

  /** Grants revoked and not yet expired: asked before every run. */
  async revokedGrants(signal?: AbortSignal): Promise<ReadonlySet<string>> {
    const path = '/api/v1/bridge/revoked-grants';
    return new Set(parseAnswer(revokedGrantsSchema, await this.call('GET', path, undefined, signal), path).revoked);
  }

  async postRunStatus(runId: string, body: RunStatusReport, signal?: AbortSignal): Promise<void> {
    await this.call('POST', `/api/v1/bridge/runs/${encodeURIComponent(runId)}/status`, body, signal);
  }

  /** Where to PUT each file of a run: one URL per file, with the headers the PUT must carry. */
  async requestUploads(runId: string, body: UploadRequest, signal?: AbortSignal): Promise<UploadGrant> {
    const path = `/api/v1/bridge/runs/${encodeURIComponent(runId)}/uploads`;
    return parseAnswer(uploadGrantSchema, await this.call('POST', path, body, signal), path);
  }

  /**
   * The hub's public job keys, and the protocols it serves (absent: a hub from before versioning,
   * which speaks protocol 1). The route is public, so no node token is spent on it: this is also the
   * first contact at start, made before the node's registration can be known.
   */
  async jobKeys(signal?: AbortSignal): Promise<JobKeysResponse & { protocol?: ProtocolRange }> {
    const path = '/api/v1/bridge/job-keys';
    const answer: { protocol?: ProtocolRange } = {};
    const json = await this.call('GET', path, undefined, signal, 0, {
      sign: false,
      onHeaders: (h) => (answer.protocol = parseRange(h.get(PROTOCOL_HEADER))),
    });
    return { ...parseAnswer(jobKeysResponseSchema, json, path), ...answer };
  }

  private async call(
    method: 'GET' | 'POST',
    pathAndQuery: string,
    body: unknown,
    signal?: AbortSignal,
    extraMs = 0,
    opts: { sign?: boolean; onHeaders?: (h: Headers) => void } = {},
  ): Promise<unknown> {
    const url = new URL(this.opts.hubUrl + pathAndQuery);
    // Sign exactly the string we send: re-serialising later could change bytes and break the hash.
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers: Record<string, string> = { [PROTOCOL_HEADER]: String(BRIDGE_PROTOCOL) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (opts.sign !== false) {
      const token = await signNodeRequest({
        nodeId: this.opts.nodeId,
        privateJwk: this.opts.privateJwk,
        audience: this.opts.audience,
        method,
        path: url.pathname + url.search,
        body: text,
      });
      headers.authorization = `Bearer ${token}`;
    }
    const timeout = AbortSignal.timeout((this.opts.timeoutMs ?? 15_000) + extraMs);
    const res = await this.fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : text,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    opts.onHeaders?.(res.headers);
    // Every answer says which protocols the hub serves; one that leaves ours out ends the conversation.
    const range = parseRange(res.headers.get(PROTOCOL_HEADER));
    if (range && !serves(range, BRIDGE_PROTOCOL)) {
      await res.body?.cancel();
      throw new HubProtocolError(range, mismatchMessage(range, BRIDGE_PROTOCOL, BRIDGE_VERSION));
    }
    const raw = await res.text();
    let json: unknown;
    try {
      json = raw ? JSON.parse(raw) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const err = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
      if (res.status === 426)
        throw new HubProtocolError(
          range,
          typeof err?.message === 'string' ? err.message.slice(0, 500) : mismatchMessage(range ?? { min: 0, max: 0 }, BRIDGE_PROTOCOL),
        );
      throw new HubHttpError(
        res.status,
        typeof err?.code === 'string' ? err.code : 'http_error',
        typeof err?.message === 'string' ? err.message.slice(0, 300) : res.statusText,
      );
    }
    return json;
  }
}

function parseAnswer<T>(schema: z.ZodType<T>, json: unknown, path: string): T {
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new HubHttpError(502, 'bad_answer', `unexpected answer from ${path}`);
  return parsed.data;
}
