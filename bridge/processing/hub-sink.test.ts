import { createHash } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { UploadGrant, UploadRequest } from '../../shared/processing/bridge-api.ts';
import { HubOutputSink } from './hub-sink.ts';
import type { UploadItem } from './upload.ts';

const RUN = 'run_01jd0000000000000000000000';

interface Received {
  method?: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A real loopback HTTP server standing in for S3 or the hub's upload endpoint. */
async function target(answer: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void, onData?: (chunk: Buffer) => void) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      chunks.push(c);
      onData?.(c);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({ method: req.method, headers: req.headers, body });
      answer(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  servers.push(server);
  return { url, received };
}
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** The hub's answer to an upload request, pointing at `url` with these headers. */
function hubGranting(url: string | (() => string), headers: Record<string, string> = {}) {
  const asked: UploadRequest[] = [];
  const hub = {
    asked,
    requestUploads: async (_runId: string, body: UploadRequest): Promise<UploadGrant> => {
      asked.push(body);
      return {
        uploads: body.files.map((f) => ({
          kind: f.kind,
          path: f.path,
          method: 'PUT' as const,
          url: typeof url === 'string' ? url : url(),
          headers,
          expiresAt: Date.now() + 60_000,
        })),
      };
    },
  };
  return hub;
}

function item(bytes: Buffer, body?: () => Readable): UploadItem {
  return {
    runId: RUN,
    nodeId: 'node-a',
    kind: 'output',
    path: 'result.json',
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    body: body ?? (() => Readable.from([bytes])),
  };
}

describe('HubOutputSink', () => {
  it('asks the hub for a URL bound to size and hash, then PUTs the bytes with exactly the given headers', async () => {
    const put = await target((_req, res) => res.end());
    const hub = hubGranting(`${put.url}/bucket/key?X-Amz-Signature=abc`, {
      'x-amz-checksum-sha256': 'q83vEjRWeJA=',
      'content-type': 'application/octet-stream',
    });
    const bytes = Buffer.from('{"files":12}');
    await new HubOutputSink({ hub }).put(item(bytes));
    expect(hub.asked).toEqual([
      { files: [{ kind: 'output', path: 'result.json', bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }] },
    ]);
    expect(put.received).toHaveLength(1);
    const got = put.received[0] as Received;
    expect(got.method).toBe('PUT');
    expect(got.body.equals(bytes)).toBe(true);
    expect(got.headers['x-amz-checksum-sha256']).toBe('q83vEjRWeJA=');
    expect(got.headers['content-type']).toBe('application/octet-stream');
    // A length, never chunked: pre-signed S3 PUTs refuse chunked bodies.
    expect(got.headers['content-length']).toBe(String(bytes.length));
    expect(got.headers['transfer-encoding']).toBeUndefined();
  });

  it('streams the body: the server has the first bytes before the rest is even produced', async () => {
    let firstArrived: () => void = () => {};
    const arrived = new Promise<void>((r) => {
      firstArrived = r;
    });
    const put = await target(
      (_req, res) => res.end(),
      () => firstArrived(),
    );
    const chunk = Buffer.alloc(256 * 1024, 7);
    const total = Buffer.concat([chunk, chunk, chunk, chunk]);
    async function* produce() {
      yield chunk;
      // A sink that gathered the whole body before sending would wait here for ever.
      await arrived;
      yield chunk;
      yield chunk;
      yield chunk;
    }
    await new HubOutputSink({ hub: hubGranting(put.url) }).put(item(total, () => Readable.from(produce())));
    expect(put.received[0]?.body.length).toBe(total.length);
  });

  it('does not follow a redirect to another host, and does not retry it', async () => {
    const elsewhere = await target((_req, res) => res.end());
    const put = await target((_req, res) => {
      res.writeHead(307, { location: `${elsewhere.url}/steal` });
      res.end();
    });
    const hub = hubGranting(put.url);
    await expect(new HubOutputSink({ hub, backoff: { baseMs: 1 } }).put(item(Buffer.from('secret output')))).rejects.toThrow(
      /307 \(a redirect, not followed\)/,
    );
    expect(elsewhere.received).toEqual([]);
    expect(hub.asked).toHaveLength(1);
  });

  it('retries a failing upload with a fresh URL, and gives up at once on a refusal', async () => {
    let calls = 0;
    const flaky = await target((_req, res) => {
      res.statusCode = ++calls === 1 ? 503 : 200;
      res.end();
    });
    const hub = hubGranting(flaky.url);
    const bytes = Buffer.from('abc');
    await new HubOutputSink({ hub, backoff: { baseMs: 1 } }).put(item(bytes));
    expect(hub.asked).toHaveLength(2);
    expect(flaky.received.map((r) => r.body.toString())).toEqual(['abc', 'abc']);

    const refusing = await target((_req, res) => {
      res.statusCode = 400;
      res.end('{"error":{"code":"bad_request"}}');
    });
    const hub2 = hubGranting(refusing.url);
    await expect(new HubOutputSink({ hub: hub2, backoff: { baseMs: 1 } }).put(item(bytes))).rejects.toThrow('answered 400 bad_request');
    expect(hub2.asked).toHaveLength(1);
  });

  it('refuses a grant for another size before sending anything', async () => {
    const put = await target((_req, res) => res.end());
    const hub = hubGranting(put.url, { 'Content-Length': '999' });
    await expect(new HubOutputSink({ hub }).put(item(Buffer.from('abc')))).rejects.toThrow('granted for another size');
    expect(put.received).toEqual([]);
  });
});
